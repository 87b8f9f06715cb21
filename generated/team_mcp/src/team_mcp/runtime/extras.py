"""Which pip extra a start needs: the one place a feature is mapped to the optional library it imports.

A plain install serves stdio and plain HTTP. Code mode needs ``[code]`` (pydantic-monty), a PostgreSQL store
needs ``[team]`` (psycopg); the table of extras is ``contract.EXTRAS``, which the generated pyproject.toml lists
too. The check looks for the module without importing it, so a start that needs nothing optional loads nothing.
"""

from __future__ import annotations

from importlib.util import find_spec

from .contract import CODE, CODE_EXTRA, TEAM, Extra


def needed(toolset: str, postgres_store: bool) -> list[tuple[str, Extra]]:
    """The optional parts this start uses, each as (the setting that asks for it, its extra).

    Args:
        toolset: the toolset being served (``code`` runs Python in pydantic-monty's sandbox).
        postgres_store: whether a ``postgresql://`` store will be opened (serving HTTP or a management command).
    """
    wanted = []
    if toolset == CODE:
        wanted.append(("--toolset code", CODE_EXTRA))
    if postgres_store:
        wanted.append(("a postgresql:// store", TEAM))
    return wanted


def installed(module: str) -> bool:
    """Whether ``module`` can be imported here (found, not imported)."""
    try:
        return find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def missing(distribution: str, wanted: list[tuple[str, Extra]]) -> str | None:
    """One line naming the first wanted extra that is not installed, and how to install it; None when all are.

    e.g. ``--toolset code needs pydantic-monty: pip install 'gong-mcp[code]'``.
    """
    for feature, extra in wanted:
        if not installed(extra.module):
            return f"{feature} needs {extra.project}: pip install '{distribution}[{extra.name}]'"
    return None
