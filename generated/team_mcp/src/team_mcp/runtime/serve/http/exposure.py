"""Who can reach this server, decided before it starts: loopback for one person (open), or closed.

A server is open (a request with no credential is served) only when it listens on loopback, keeps no store,
has no public URL and names no host beyond loopback: then only this machine's user can reach it. Anything
else is closed: every request needs a credential, and a server with no way to check one refuses to start.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from mcp.server.transport_security import TransportSecuritySettings

from ...contract import parse_list
from ...failures import StartError
from .tokens import NEW_TOKEN, TOKEN_ENV

HOSTS_ENV = "MCP_ALLOWED_HOSTS"
FORWARDED_ENV = "MCP_FORWARDED_ALLOW_IPS"  # proxies whose X-Forwarded-For is believed (--forwarded-allow-ips)
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or name to bind or to be reached at) is this machine only."""
    bare = host.strip("[]").rsplit(":", 1)[0] if host.count(":") == 1 else host.strip("[]")
    if bare == "localhost":
        return True
    try:
        return ipaddress.ip_address(bare).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Exposure:
    """The facts that decide openness."""

    host: str
    allowed_hosts: tuple[str, ...]
    store: bool
    public_url: str
    oauth: bool
    token: bool

    def beyond_loopback(self) -> str | None:
        """What makes the server reachable beyond this machine's one user, or None."""
        if not is_loopback(self.host):
            return f"it listens on {self.host or 'every address'}"
        outside = [h for h in self.allowed_hosts if not is_loopback(h)]
        if outside:
            return f"it answers for --allowed-hosts {','.join(outside)} (a proxy in front)"
        if self.public_url:
            return f"it has a public URL ({self.public_url})"
        return "it keeps a store (connections, a team)" if self.store else None

    def open(self) -> bool:
        """Whether a request with no credential is served: loopback for one person, with no credential configured."""
        return not (self.token or self.oauth) and self.beyond_loopback() is None

    def refusal(self) -> str | None:
        """Why the server must not start as configured, or None."""
        reach = self.beyond_loopback()
        if self.token or self.oauth or reach is None:
            return None
        if not is_loopback(self.host) or not self.store:
            return (
                f"refusing to serve: {reach}, and no caller could be checked: set {TOKEN_ENV} (or --token-file) to "
                f"a secret clients send as 'Authorization: Bearer <token>' (make one with {NEW_TOKEN}), or configure "
                "OAuth (--oauth-issuer, --resource-url)"
            )
        return None  # a store on loopback: connection URLs are the way in; a request without one gets 401


def host_checks(
    host: str, allowed_hosts: tuple[str, ...], allowed_origins: tuple[str, ...]
) -> TransportSecuritySettings:
    """DNS-rebinding protection stays on: Host and Origin must name this server (``*`` hosts: the proxy checks)."""
    if allowed_hosts == ("*",):
        return TransportSecuritySettings(enable_dns_rebinding_protection=False)
    wildcard = host in ("0.0.0.0", "::", "")
    if wildcard and not allowed_hosts:
        raise StartError(
            f"binding to {host or 'every address'} needs --allowed-hosts (or {HOSTS_ENV}): the host names clients "
            "use, e.g. mcp.example.com, so that DNS-rebinding protection knows them; '*' leaves the Host check "
            "to a proxy in front"
        )
    own = [] if wildcard else [host if ":" not in host else f"[{host.strip('[]')}]"]
    names = list(dict.fromkeys([*allowed_hosts, *own, *LOOPBACK]))
    origins = list(allowed_origins)
    for name in names:
        origins += [f"http://{name}", f"https://{name}", f"http://{name}:*", f"https://{name}:*"]
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=[form for name in names for form in (name, f"{name}:*")],
        allowed_origins=list(dict.fromkeys(origins)),
    )


def proxies(flag: str | None, env_value: str | None) -> str | None:
    """``--forwarded-allow-ips`` (or ``MCP_FORWARDED_ALLOW_IPS``) as uvicorn takes it, every item an address or a
    network (``*``: any); ``StartError`` naming the first that is neither (uvicorn would match it against nothing)."""
    items = parse_list(flag or env_value)
    for item in items:
        if item == "*":
            continue
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise StartError(
                f"--forwarded-allow-ips (or {FORWARDED_ENV}): {item!r} is not an IP address or network"
            ) from None
    return ",".join(items) or None


def hosts(flag: str | None, env_value: str | None) -> tuple[str, ...]:
    """``--allowed-hosts`` or ``MCP_ALLOWED_HOSTS``, parsed once."""
    return parse_list(flag or env_value)
