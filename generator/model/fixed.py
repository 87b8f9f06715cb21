"""Parameters the server fills, never the model: the credential, and constant headers.

A credential parameter is an apiKey scheme's own parameter (a form or JSON body field of the same name too), or
a header, query, cookie parameter or body field named as a credential (``token``, ``api_key``, ``Authorization``
…) and described as one (Slack's required header ``token``, its form field ``token``): it is sent with the
credential in use, whatever the model sends. A constant header is a required header with one value (a
single ``enum`` value, a ``const`` or a ``default``, e.g. ``Notion-Version``): it is sent with the spec's value,
which the setting ``<PREFIX>_<HEADER>`` can change. Neither is listed as an argument.
"""

from __future__ import annotations

import re

from generator.model.encoding import constant
from generator.model.spec_arguments import RawArg
from generator.runtime.contract import Fixed, Variable
from generator.spec.refs import Resolver

CREDENTIAL_NAME = re.compile(
    r"^(x[-_])?(api[-_]?key|api[-_]?token|access[-_]?token|auth[-_]?token|token|key|secret|authorization|"
    r"app[-_]?key|client[-_]?secret|private[-_]?token)$",
    re.IGNORECASE,
)
# What a credential's description says (a page token or a sort key says none of these).
CREDENTIAL_WORDS = re.compile(
    r"\b(api[ _-]?(key|token)|access[ _-]?(key|token)|secret|credentials?|authenticat\w*|authori[sz]\w*|auth|"
    r"bearer|oauth)\b",
    re.IGNORECASE,
)
PLACES = ("header", "query", "cookie", "body")  # ``body``: one field of a form, multipart or JSON body


def setting_name(wire: str) -> str:
    """A header's setting name after the vendor's prefix: ``Notion-Version`` → ``NOTION_VERSION``."""
    return re.sub(r"[^A-Z0-9]+", "_", wire.upper()).strip("_") or "HEADER"


def is_credential(raw: RawArg, api_keys: set[tuple[str, str]]) -> bool:
    """An apiKey scheme's parameter (a body field: named as one), or one named and described as a credential."""
    if raw.location not in PLACES:
        return False
    key = (raw.location, raw.wire.lower() if raw.location == "header" else raw.wire)
    named = CREDENTIAL_NAME.match(raw.wire) is not None
    in_body = raw.location == "body" and raw.wire.lower() in {name.lower() for _, name in api_keys}
    return (
        key in api_keys
        or in_body
        or (named and (raw.wire.lower() == "authorization" or bool(CREDENTIAL_WORDS.search(raw.description))))
    )


def split(
    raw_args: tuple[RawArg, ...],
    api_keys: set[tuple[str, str]],
    prefix: str,
    kept: set[str],
    resolver: Resolver,
    where: str,
) -> tuple[list[RawArg], tuple[Fixed, ...]]:
    """The arguments left for the model, and the parameters the server fills (``kept``: config-filled wires)."""
    args: list[RawArg] = []
    fixed: list[Fixed] = []
    for raw in raw_args:
        value = _constant_header(raw, resolver, where)
        if raw.wire in kept:
            args.append(raw)
        elif is_credential(raw, api_keys):
            fixed.append(Fixed(raw.location, raw.wire, credential=True, required=raw.required))
        elif value is not None:
            fixed.append(Fixed("header", raw.wire, value, f"{prefix}_{setting_name(raw.wire)}"))
        else:
            args.append(raw)
    return args, tuple(fixed)


def _constant_header(raw: RawArg, resolver: Resolver, where: str) -> str | None:
    if raw.location != "header" or not raw.required:
        return None
    return constant(resolver.deref(raw.schema, where))


def variables(found: list[tuple[str, Fixed]], prefix: str) -> tuple[Variable, ...]:
    """A setting for each constant header (once, with the first operation's value)."""
    settings: dict[str, Variable] = {}
    for _, fixed in found:
        if not fixed.credential and fixed.env and fixed.env not in settings:
            help_text = f"the `{fixed.wire}` header the spec pins, sent with each request that declares it"
            settings[fixed.env] = Variable(fixed.env.removeprefix(f"{prefix}_"), fixed.value, help_text)
    return tuple(settings.values())


def summary(found: list[tuple[str, Fixed]], auth_env: tuple[str, ...]) -> list[tuple[str, str]]:
    """``(where, message)`` once per parameter: which operations it was taken from and what fills it."""
    by_param: dict[tuple[str, str, bool], list[tuple[str, Fixed]]] = {}
    for where, fixed in found:
        by_param.setdefault((fixed.location, fixed.wire, fixed.credential), []).append((where, fixed))
    lines = []
    for (location, wire, credential), places in by_param.items():
        first, fixed = places[0]
        count = f"{len(places)} operation(s), e.g. {first}"
        if credential:
            what = f"carries the credential: filled from {' or '.join(auth_env) or 'the credential'}, not an argument"
        else:
            what = f"is constant: sent as {fixed.value!r} (setting {fixed.env}), not an argument"
        lines.append((first, f"{location} parameter {wire!r} ({count}) {what}"))
    return lines
