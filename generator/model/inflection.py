"""Adapter for a private API: the ``inflect`` engine that datamodel-code-generator loads for its own naming.

A plain ``import inflect`` costs over a second: typeguard re-instruments its code on every import.
datamodel-code-generator (which the models stage loads anyway) ships a loader of the same inflect code without
that instrumentation, as the private ``datamodel_code_generator.reference._get_inflect_engine``. This module is
the one place that reaches for it; ``tests/model/test_inflection.py`` fails loudly when the library changes it.
"""

from __future__ import annotations

from functools import cache
from typing import Literal, Protocol, cast


class Inflector(Protocol):
    """The two ``inflect.engine`` methods naming uses."""

    def singular_noun(self, text: str) -> str | Literal[False]:
        """The singular of a plural noun, or ``False`` when ``text`` is not plural."""

    def plural_noun(self, text: str) -> str:
        """The plural of a singular noun."""


@cache
def engine() -> Inflector:
    """The shared inflect engine; without datamodel-code-generator's loader, the slow public one."""
    try:
        from datamodel_code_generator.reference import _get_inflect_engine
    except ImportError:  # a datamodel-code-generator without it: the slow, public way
        import inflect

        return cast(Inflector, inflect.engine())
    return cast(Inflector, _get_inflect_engine())
