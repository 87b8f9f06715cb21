"""``select``: a JMESPath expression that narrows a JSON answer before the size cap, checked before the call is sent.

JMESPath (jmespath.org) is the query language the AWS CLI's ``--query`` uses: ``calls[].id`` lists every call's id,
``calls[?duration > `3600`].{id: id, title: title}`` keeps long calls' ids and titles. The ``jmespath`` package is
its reference implementation, with the specification's compliance tests; a language of our own would be one more.
"""

from __future__ import annotations

from typing import Any

import jmespath
from jmespath import exceptions as jmespath_errors
from jmespath.parser import ParsedResult


def compiled(expression: str) -> ParsedResult | str:
    """The expression, ready to apply; or one line naming where it stops being JMESPath."""
    try:
        return jmespath.compile(expression)
    except jmespath_errors.ParseError as exc:
        return _where(expression, exc.lex_position, str(exc.msg) if exc.msg else "not valid")
    except jmespath_errors.JMESPathError as exc:
        return f"select {expression!r} is not valid JMESPath: {_first_line(exc)}"


def applied(expression: ParsedResult, data: Any) -> tuple[Any, str]:
    """The selected part of ``data``, or ``(None, why)`` when the expression fails on it (a function given the
    wrong type: ``length(`1`)``)."""
    try:
        return expression.search(data), ""
    except jmespath_errors.JMESPathError as exc:
        return None, f"select {expression.expression!r} failed on the answer: {_first_line(exc)}"


def _where(expression: str, position: int | None, message: str) -> str:
    at = len(expression) if position is None else max(0, min(position, len(expression)))
    shown = f"{expression[:at]}⟨here⟩{expression[at:]}"
    return f"select is not valid JMESPath at character {at} ({message.rstrip('.').lower()}): {shown}"


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
