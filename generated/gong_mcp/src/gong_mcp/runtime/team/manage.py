"""Management commands on the package's console script: ``connections create|list|revoke|rotate``, ``audit``,
and (``account_cli``) ``accounts`` and ``keys``.

They use the same store as the server (``--store`` or ``<PREFIX>_STORE``), so a connection made on one host
works at once on every replica that shares the store.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ..contract import FROM_CODE, KINDS, Operation, Vendor, parse_list, unknown_names
from ..failures import BadInput, ManagementError, StoreDown, StoreKeyError
from ..settings import FILTER_NOUNS
from . import audit, connections
from .connections import Connection
from .store import Store

if TYPE_CHECKING:  # a type only: the sealer loads with the account commands
    from .accounts import Members


def run(
    args: argparse.Namespace,
    store_url: str,
    public_url: str,
    operations: Mapping[str, Operation],
    vendor: Vendor | None = None,
    env: Mapping[str, str] | None = None,
    members: Members | None = None,
) -> int:
    """Run one management command (``members``: a suite's vendors); one line on stderr when it cannot be done: 2 for
    bad input, else 1."""
    try:
        if args.command in ("accounts", "keys") and vendor is not None:
            from . import account_cli  # the sealer and the vendor's OAuth client load only for these commands

            return account_cli.run(args, store_url, public_url, vendor, env or {}, operations.values(), members)
        store = Store.open(store_url)
        if args.command == "audit":
            return _audit(store, args)
        return _connections(store, args, public_url or "http://127.0.0.1:8000", operations, members or {})
    except BadInput as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (StoreDown, ManagementError, StoreKeyError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _filters(args: argparse.Namespace, operations: Mapping[str, Operation], members: Members) -> Connection:
    """The connection ``create`` asks for; ``BadInput`` when a filter names an unknown method, tag or tool."""
    given = {"methods": args.c_methods, "tags": args.c_tags, "include": args.c_include, "exclude": args.c_exclude}
    picked = {key: frozenset(parse_list(text)) for key, text in given.items()}
    account = account_binding(getattr(args, "c_account", None) or [], members, "--")
    return connection_from(args.name, picked, args.c_expires, args.require_bearer, account, operations, "--")


def account_binding(given: Sequence[str], members: Members, label: str = "") -> str | None:
    """The stored binding (``connections.binding``) the accounts ``given`` ask for: a single-vendor package's one
    name (the last given, as ever), a suite's ``VENDOR=NAME`` once per vendor; ``BadInput`` naming what is wrong."""
    if not members:
        return given[-1] if given else None
    bound: dict[str, str] = {}
    for item in given:
        vendor, sep, name = item.partition("=")
        if not sep or vendor not in members or not name:
            choices = ", ".join(sorted(members))
            raise BadInput(f"{label}account {item[:80]!r}: give VENDOR=NAME, VENDOR one of {choices}")
        if vendor in bound:
            raise BadInput(f"{label}account: {vendor} is given twice (one account per vendor)")
        bound[vendor] = name
    return connections.binding_text(bound)


def connection_from(
    name: str,
    filters: Mapping[str, frozenset[str]],
    expires_at: str | None,
    require_bearer: bool,
    account: str | None,
    operations: Mapping[str, Operation],
    label: str = "",
) -> Connection:
    """A connection checked as every way of making one checks it (the command line, the admin API): known kinds,
    tags and tools, an ISO expiry; ``BadInput`` naming the field (``label`` + its name) and the known names."""
    tags = {tag for op in operations.values() for tag in op.tags}
    known: dict[str, set[str]] = {"methods": set(KINDS), "tags": tags, "include": set(operations)}
    known["exclude"] = known["include"]
    for key, names in known.items():
        problem = unknown_names(f"{label}{key}", FILTER_NOUNS[key], filters.get(key, frozenset()), names)
        if problem:
            raise BadInput(problem)
    expires = None
    if expires_at:
        try:
            moment = datetime.fromisoformat(expires_at.replace("Z", "+00:00"))
        except ValueError:
            raise BadInput(
                f"{label}expires-at: {expires_at[:40]!r} is not an ISO time like 2026-12-31T23:59Z"
            ) from None
        expires = connections.now_text(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    return Connection(
        name, filters.get("methods", frozenset()), filters.get("tags", frozenset()),
        filters.get("include", frozenset()), filters.get("exclude", frozenset()), expires, require_bearer,
        account=account,
    )  # fmt: skip


def _connections(
    store: Store, args: argparse.Namespace, public_url: str, operations: Mapping[str, Operation], members: Members
) -> int:
    if args.action == "list":
        for conn in connections.listed(store):
            print(_row(conn))
        return 0
    if args.action == "revoke":
        connections.revoke(store, args.name)
        print(f"revoked {args.name}: refused from the next request on")
        return 0
    if args.action == "rotate":
        secret = connections.rotate(store, args.name)
    else:
        conn = _filters(args, operations, members)
        secret = connections.create(store, conn)
    _show(args.name, secret, public_url.rstrip("/"))
    return 0


def _show(name: str, secret: str, base: str) -> None:
    print(f"connection {name}: shown once, store it now")
    print(f"  URL:    {base}/mcp/c/{secret}")
    print(f"  header: {base}/mcp with 'Authorization: Bearer {secret}'")


def _row(conn: Connection) -> str:
    state = conn.refusal() or "active"
    parts = [
        f"methods={','.join(sorted(conn.methods)) or '*'}", f"tags={','.join(sorted(conn.tags)) or '*'}",
        f"include={','.join(sorted(conn.include)) or '*'}", f"exclude={','.join(sorted(conn.exclude)) or '-'}",
        f"expires={conn.expires_at[:16] + 'Z' if conn.expires_at else 'never'}",
        f"bearer={'required' if conn.require_bearer else 'no'}", f"account={conn.account or '-'}",
    ]  # fmt: skip
    return f"{conn.name}\t{'active' if state == 'active' else state}\t" + " ".join(parts)


def _audit(store: Store, args: argparse.Namespace) -> int:
    since = audit.since_text(args.since) if args.since else None
    for entry in (shown.printable() for shown in audit.read(store, since, args.who, args.limit)):
        if args.json:
            print(json.dumps(entry.as_dict()))
        else:
            outcome = entry.outcome + (f" ({entry.request_id})" if entry.request_id else "")
            outcome += " (from code)" if entry.via == FROM_CODE else ""
            outcome += f" (as {entry.account})" if entry.account else ""
            print(f"{entry.at[:19]}Z\t{entry.who}\t{entry.tool}\t{entry.kind}\t{outcome}\t{entry.duration_ms} ms")
    return 0
