"""The ``accounts`` and ``keys`` subcommands' flags: argparse only, so that every start of a server can offer them
without loading what running them needs (``account_cli``: the store, the sealer, the vendor's OAuth client).
"""

from __future__ import annotations

import argparse
from typing import Any


def add_commands(commands: Any) -> list[argparse.ArgumentParser]:
    """The ``accounts`` and ``keys`` subcommands on ``commands`` (a subparsers object); the leaf parsers."""
    accts = commands.add_parser("accounts", help="vendor accounts: add, list, remove, connect (OAuth), map")
    actions = accts.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="store a credential from the server's variables (or JSON on stdin)")
    add.add_argument("name")
    add.add_argument("--stdin", action="store_true", help="read the credential as a JSON object from stdin")
    add.add_argument("--base-url", dest="a_base_url", help="the account's own API base URL")
    add.add_argument("--scopes", dest="a_scopes", help="the scopes the credential was granted (comma-separated)")
    actions.add_parser("list", help="every account: kind, state, token expiry, last use (never a secret)")
    actions.add_parser("remove", help="revoke its tokens at the vendor where possible, and delete it").add_argument(
        "name"
    )
    connect = actions.add_parser("connect", help="print the vendor's OAuth link that connects the account")
    connect.add_argument("name")
    mapping = actions.add_parser("map", help="OAuth callers with SUBJECT call as ACCOUNT")
    mapping.add_argument("subject")
    mapping.add_argument("account")
    keys = commands.add_parser("keys", help="the store key that seals account secrets: generate, rotate")
    verbs = keys.add_subparsers(dest="action", required=True)
    verbs.add_parser("generate", help="print a new store key")
    verbs.add_parser("rotate", help="reseal every secret under <PREFIX>_STORE_KEY (the old key in _STORE_KEY_OLD)")
    return [*actions.choices.values(), *verbs.choices.values()]
