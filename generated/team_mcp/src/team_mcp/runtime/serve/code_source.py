"""The Python ``run_code`` is given, checked and prepared before the sandbox sees it.

Checked: it parses, imports only ``CODE_IMPORTS``, runs no code from strings, and names every tool it uses in a
call (``gong.list_calls`` alone is a tool never called, which the sandbox could only report as a missing
attribute). Prepared: the value of the last expression is the answer wherever it stands, inside ``try``, ``if``,
``for``, ``while``, ``with`` or ``match`` blocks too: each expression statement in a tail position of the code's
last statement keeps its value in ``ANSWER``, which the code then ends with. The edit is made in place (only
``ANSWER = `` is inserted before those expressions), so line numbers in tracebacks stay those of the code sent.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping

from mcp.types import CallToolResult

from ..contract import CODE_IMPORTS
from ..shaping import results

ANSWER = "_run_code_answer"  # bound to None before the code runs (``sandbox.run``), so an untaken branch is None
_DYNAMIC = frozenset({"eval", "exec", "compile", "__import__"})  # code from strings would pass the import check


def prepared(code: str, objects: Mapping[str, frozenset[str]]) -> str | CallToolResult:
    """The code to run (its last expression's value kept, however nested), or the tool error that refuses it;
    ``objects`` are the tools of each object the code calls them on (``gong``; a suite's each vendor)."""
    code = code.replace("\r\n", "\n").replace("\r", "\n")  # the line breaks the parser counts, and only those
    flags = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    try:
        tree = compile(code, "run_code.py", "exec", flags=flags, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return results.error(f"the code is not valid Python: {exc}", hint="fix the code and run it again")
    refusal = _refused(tree) or _uncalled(tree, objects)
    return refusal or _with_answer(code, tree)


def _refused(tree: ast.Module) -> CallToolResult | None:
    """A tool error when the code imports a module outside ``CODE_IMPORTS`` or runs code from a string."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in _DYNAMIC:
            return results.error(f"{node.id}() is not allowed in run_code", hint="write the code out, not in strings")
        modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom):
            modules = [("." * node.level) + (node.module or "")]
        refused = [m for m in modules if m.split(".")[0] not in CODE_IMPORTS]
        if refused:
            return results.error(
                f"import of {refused[0]!r} is not allowed in run_code",
                hint=f"the code may import only {', '.join(CODE_IMPORTS)}",
            )
    return None


def _uncalled(tree: ast.Module, objects: Mapping[str, frozenset[str]]) -> CallToolResult | None:
    """A tool error naming the first tool the code refers to without calling it (``f = gong.list_calls``)."""
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or not isinstance(node.value, ast.Name):
            continue
        if node.attr in objects.get(node.value.id, ()) and id(node) not in called:
            tool = f"{node.value.id}.{node.attr}"
            return results.error(
                f"line {node.lineno}: {tool} is a tool: call it, `await {tool}(...)`",
                hint=f"describe_tool({node.attr!r}) shows its arguments; fix the code and run it again",
            )
    return None


def _with_answer(code: str, tree: ast.Module) -> str:
    """``code`` with ``ANSWER = `` before each expression in a tail position of its last statement, ending with
    ``ANSWER``; the code itself when it ends with an expression (its value is the answer) or has no such tail."""
    if not tree.body or isinstance(tree.body[-1], ast.Expr):
        return code
    tails = sorted(_tails(tree.body[-1]), key=lambda node: (node.lineno, node.col_offset), reverse=True)
    if not tails:
        return code
    lines = code.split("\n")
    for node in tails:  # from the end, so that each insertion leaves the offsets before it unchanged
        line = lines[node.lineno - 1].encode("utf-8")  # offsets are in UTF-8 bytes
        lines[node.lineno - 1] = (line[: node.col_offset] + f"{ANSWER} = ".encode() + line[node.col_offset :]).decode()
    return "\n".join(lines) + f"\n{ANSWER}\n"


def _tails(statement: ast.stmt) -> Iterator[ast.Expr]:
    """The expression statements a statement may end on: itself, or the last statement of each of its blocks,
    followed down (a definition runs none of its body, so it has none)."""
    if isinstance(statement, ast.Expr):
        yield statement
    elif not isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        for block in _blocks(statement):
            if block:
                yield from _tails(block[-1])


def _blocks(statement: ast.stmt) -> Iterator[list[ast.stmt]]:
    """The statement lists a compound statement holds: its body, ``else`` and ``finally``, handlers and cases."""
    for field in ("body", "orelse", "finalbody"):
        yield getattr(statement, field, None) or []
    for part in (*getattr(statement, "handlers", ()), *getattr(statement, "cases", ())):
        yield part.body
