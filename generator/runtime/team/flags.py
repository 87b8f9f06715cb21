"""The management subcommands' flags (``connections``, ``audit``, ``accounts``, ``keys``): argparse only, so that every
start of a server can offer them without loading what running them needs (``manage``, ``account_cli``: the store,
the sealer, the vendor's OAuth client).
"""

from __future__ import annotations

import argparse
from typing import Any


def add_commands(parser: argparse.ArgumentParser) -> None:
    """The ``connections``, ``audit``, ``accounts`` and ``keys`` subcommands (the server runs when none is given)."""
    commands = parser.add_subparsers(dest="command", metavar="{connections,audit,accounts,keys}")
    conns = commands.add_parser("connections", help="per-person connection URLs: create, list, revoke, rotate")
    actions = conns.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="make a connection and print its URL once")
    create.add_argument("--name", required=True)
    create.add_argument("--methods", dest="c_methods", default="", help="kinds it may use: read, write, custom")
    create.add_argument("--tags", dest="c_tags", default="", help="tags it may use (comma-separated)")
    create.add_argument("--include", dest="c_include", default="", help="only these tools (comma-separated)")
    create.add_argument("--exclude", dest="c_exclude", default="", help="never these tools (comma-separated)")
    create.add_argument("--expires-at", dest="c_expires", help="ISO time it stops working, e.g. 2026-12-31T23:59Z")
    create.add_argument("--require-bearer", action="store_true", help="also demand the server token as a header")
    create.add_argument(
        "--account", dest="c_account", action="append", default=[],
        help="the vendor account its calls use (`accounts add` first); a suite: VENDOR=NAME, once per vendor",
    )  # fmt: skip
    actions.add_parser("list", help="every connection (never a secret)")
    for verb, text in (("revoke", "refuse it from the next request on"), ("rotate", "a new URL; the old one stops")):
        actions.add_parser(verb, help=text).add_argument("name")
    trail = commands.add_parser("audit", help="who called which tool, when, and how it went")
    trail.add_argument("--since", help="an ISO time or an age: 90m, 24h, 7d")
    trail.add_argument("--who", help="one connection name or oauth:<subject>")
    trail.add_argument("--limit", type=int, default=1000)
    trail.add_argument("--json", action="store_true", help="one JSON object per line")
    for sub in (*actions.choices.values(), trail, *_account_commands(commands)):
        sub.add_argument("--store", default=argparse.SUPPRESS, help="the store (default: the server's setting)")
        sub.add_argument("--public-url", default=argparse.SUPPRESS, help="the address clients use")


def _account_commands(commands: Any) -> list[argparse.ArgumentParser]:
    """The ``accounts`` and ``keys`` subcommands on ``commands`` (a subparsers object); the leaf parsers."""
    accts = commands.add_parser("accounts", help="vendor accounts: add, list, remove, connect (OAuth), map")
    actions = accts.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="store a credential from the server's variables (or JSON on stdin)")
    add.add_argument("name")
    add.add_argument("--stdin", action="store_true", help="read the credential as a JSON object from stdin")
    add.add_argument("--base-url", dest="a_base_url", help="the account's own API base URL")
    add.add_argument("--scopes", dest="a_scopes", help="the scopes the credential was granted (comma-separated)")
    add.add_argument("--vendor", dest="a_vendor", help="the vendor the account calls (a suite: one of its vendors)")
    actions.add_parser("list", help="every account: kind, state, token expiry, last use (never a secret)")
    actions.add_parser("remove", help="revoke its tokens at the vendor where possible, and delete it").add_argument(
        "name"
    )
    connect = actions.add_parser("connect", help="print the vendor's OAuth link that connects the account")
    connect.add_argument("name")
    connect.add_argument("--vendor", dest="a_vendor", help="the vendor the account calls (a suite: one of its vendors)")
    mapping = actions.add_parser("map", help="OAuth callers with SUBJECT call as ACCOUNT")
    mapping.add_argument("subject")
    mapping.add_argument("account")
    keys = commands.add_parser("keys", help="the store key that seals account secrets: generate, rotate")
    verbs = keys.add_subparsers(dest="action", required=True)
    verbs.add_parser("generate", help="print a new store key")
    verbs.add_parser("rotate", help="reseal every secret under <PREFIX>_STORE_KEY (the old key in _STORE_KEY_OLD)")
    return [*actions.choices.values(), *verbs.choices.values()]
