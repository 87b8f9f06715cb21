"""Management commands for vendor accounts and the store key: ``accounts add|list|remove|connect|map`` and
``keys generate|rotate``.

A credential is never taken from the command line (it would sit in shell history and ``ps``): ``accounts add``
reads the variables the server itself reads, at the time of the command, or a JSON object on stdin.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping
from typing import TextIO

import anyio

from ..contract import Operation, Vendor, parse_list
from ..failures import AccountError
from . import accounts, sealing, vendor_oauth
from .accounts import KEY, Account, AccountSecret
from .sealing import Sealer
from .store import Store
from .vendor_client import Client

MAX_STDIN_BYTES = 64_000


def run(
    args: argparse.Namespace,
    store_url: str,
    public_url: str,
    vendor: Vendor,
    env: Mapping[str, str],
    operations: Iterable[Operation] = (),
    members: accounts.Members | None = None,
) -> int:
    """Run one ``accounts`` or ``keys`` command (``members``: a suite's vendors, one of which ``accounts add``
    names with ``--vendor``); errors are raised for the caller to print in one line."""
    if args.command == "keys" and args.action == "generate":
        print(sealing.generate())
        return 0
    sealer = Sealer.from_env(env, vendor.env_prefix)  # before the store: without the key, nothing is touched
    store = Store.open(store_url)
    accounts.check_key(store, sealer, f"{vendor.env_prefix}_STORE_KEY")  # a wrong key changes nothing
    if args.command == "keys":
        print(f"resealed {accounts.rotate_keys(store, sealer)} secret(s) under key {sealer.current_id}")
        return 0
    if args.action == "add":
        return _add(store, sealer, accounts.account_vendor(members or {}, args.a_vendor, vendor, operations), args, env)
    if args.action == "remove":
        return _remove(store, sealer, vendor, args.name, env, public_url)
    if args.action == "connect":
        calls, _defaults, recorded = accounts.account_vendor(members or {}, args.a_vendor, vendor, operations)
        return _connect(store, sealer, calls, (args.name, recorded), env, public_url)
    if args.action == "map":
        accounts.map_subject(store, args.subject, args.account)
        print(f"OAuth subject {args.subject} calls as account {args.account}")
    for account in accounts.listed(store) if args.action == "list" else ():
        print(row(account))
    return 0


def _connect(
    store: Store, sealer: Sealer, vendor: Vendor, named: tuple[str, str], env: Mapping[str, str], public: str
) -> int:
    """``accounts connect``: ``named`` is the account's name and the vendor its row records (a suite's member)."""
    name, recorded = named
    client = Client.from_env(vendor, env, public)
    if client is None:
        raise AccountError(_no_client(vendor, public))
    print(f"open this link to connect {name} (valid {vendor_oauth.STATE_TTL_S // 60} minutes, once; it is served by")
    print(f"the server at {public}, which must be running with the same {vendor.env_prefix}_OAUTH_* settings):")
    print(vendor_oauth.start(store, sealer, client, name, vendor=recorded))
    return 0


def _add(
    store: Store,
    sealer: Sealer,
    calls: tuple[Vendor, tuple[str, ...], str],
    args: argparse.Namespace,
    env: Mapping[str, str],
) -> int:
    """``accounts add``: ``calls`` is the vendor it calls, its argument defaults, the vendor its row records."""
    vendor, defaults, recorded = calls
    given = read_json(sys.stdin) if args.stdin else env
    values = accounts.credential_from(vendor.auth, given, defaults)
    base = args.a_base_url or (given.get("base_url") if args.stdin else None)
    scopes = frozenset(parse_list(args.a_scopes)) if args.a_scopes else None
    account = Account(accounts.check_name(args.name), KEY, base_url=base, scopes=scopes, vendor=recorded)
    accounts.save(store, sealer, account, AccountSecret(values))
    calls_whom = f" for {vendor.title}" if recorded else ""
    stored = ", ".join(sorted(values))
    print(f"account {args.name}{calls_whom}: stored ({stored}), sealed under key {sealer.current_id}")
    return 0


def read_json(stream: TextIO) -> dict[str, str]:
    """A JSON object of strings from ``stream`` (at most ``MAX_STDIN_BYTES``)."""
    text = stream.read(MAX_STDIN_BYTES + 1)
    if len(text) > MAX_STDIN_BYTES:
        raise AccountError(f"stdin is larger than {MAX_STDIN_BYTES} bytes")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # nested past what the parser takes too
        raise AccountError("stdin is not a JSON object") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise AccountError("stdin must be a JSON object whose values are strings")
    return data


def _remove(store: Store, sealer: Sealer, vendor: Vendor, name: str, env: Mapping[str, str], public: str) -> int:
    client = Client.from_env(vendor, env, public or "http://127.0.0.1")
    revoked, bound = anyio.run(vendor_oauth.remove, store, sealer, client, name)
    at_vendor = "revoked at the vendor and " if revoked else ""
    cut = f"; its connections {', '.join(bound)} are revoked (make new ones for another account)" if bound else ""
    print(f"account {name}: {at_vendor}deleted{cut}")
    return 0


def row(account: Account) -> str:
    """One line of ``accounts list``."""
    scopes = "*" if account.scopes is None else ",".join(sorted(account.scopes)) or "-"
    parts = [
        f"expires={account.token_expires_at[:16] + 'Z' if account.token_expires_at else '-'}",
        f"last_use={account.last_used_at[:16] + 'Z' if account.last_used_at else 'never'}",
        f"base_url={account.base_url or '-'}", f"scopes={scopes}", f"identity={account.identity or '-'}",
    ]  # fmt: skip
    if account.abandoned:
        parts.append(f"lease=abandoned@{str(account.lease)[:16]}Z")
    if account.vendor:
        parts.insert(0, f"vendor={account.vendor}")
    return f"{account.name}\t{account.kind}\t{account.state}\t" + " ".join(parts)


def _no_client(vendor: Vendor, public_url: str) -> str:
    if not public_url:
        return "--public-url (or the server's public URL setting) is needed: the vendor sends the browser back there"
    prefix = f"{vendor.env_prefix}_OAUTH_"
    return (
        f"{vendor.title}'s OAuth is not configured: set {prefix}CLIENT_ID and {prefix}CLIENT_SECRET (and"
        f" {prefix}AUTHORIZE_URL, {prefix}TOKEN_URL where the vendor's config does not name them)"
    )
