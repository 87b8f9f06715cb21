"""The pipeline in one place: spec (load, normalize) → model (IR) → emit (render, format); writing is the caller's."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.emit import budget
from generator.emit.budget import Listing
from generator.emit.catalog import catalog
from generator.emit.render import listed, models_path, render_code, render_documents, with_toolset
from generator.emit.write import format_files
from generator.errors import FatalError, Report
from generator.model.build import build_model
from generator.model.config import VendorConfig
from generator.model.filters import apply, nothing_left
from generator.model.ir import Server
from generator.model.workflows import add_stated_parameters
from generator.processes import Asked, Processes
from generator.runtime.visibility import Filters
from generator.spec.bounds import check_operations
from generator.spec.load import LoadedSpec, load_spec
from generator.spec.normalize import Survey, normalize
from generator.spec.patterns import drop_bad_patterns
from generator.spec.refs import dangling
from generator.spec.structure import check_structure, iter_operations

if TYPE_CHECKING:
    from generator.emit.models import Answer


@dataclass
class Generated:
    """One server's result: its IR, its files (formatted), and what happened on the way."""

    config: VendorConfig
    server: Server | None = None
    files: dict[str, str] = field(default_factory=dict)
    report: Report = field(default_factory=Report)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    operations: int = 0
    filtered: list[str] = field(default_factory=list)
    listing: Listing | None = None  # the size of its tools/list, and the default toolset chosen from it

    def add(self, built: Generated) -> None:
        """Take what the model and emit stages made, after what the spec stage reported."""
        self.server, self.files, self.filtered, self.listing = built.server, built.files, built.filtered, built.listing
        self.report.problems += built.report.problems
        self.report.renames += built.report.renames


def build_ir(config: VendorConfig, report: Report, *, responses: bool = True) -> tuple[Server, list[str], int]:
    """Load, normalize and parse one vendor's spec into the IR (``responses``: see ``build_model``)."""
    spec, document, notes, operations = _prepared(config, report)
    _check(document, report)
    return build_model(spec, document, config, report, responses=responses), notes, operations


def _prepared(config: VendorConfig, report: Report) -> tuple[LoadedSpec, dict[str, Any], list[str], int]:
    """The loaded spec, its normalized document (not yet structure-checked), the notes and the operation count."""
    spec = load_spec(config.spec_location(), config.spec.sha256)
    check_operations(len(iter_operations(spec.document)))  # before any walk of a spec too large to serve
    survey = Survey()
    document, notes = normalize(spec.document, in_place=True, survey=survey)  # the loaded dict is ours alone
    for where, why in survey.skipped:
        report.warn(where, why)
    for pointer, target in dangling(document, survey.refs):
        report.warn(pointer, f"$ref {target!r} does not resolve")
    for pointer, why in drop_bad_patterns(document, survey.patterns):
        report.warn(pointer, why)
    operations = len(iter_operations(document))
    add_stated_parameters(document, config)  # the config's parameters are checked with the spec's own
    return spec, document, notes, operations


def _check(document: dict[str, Any], report: Report) -> None:
    """The structure check, here: each operation dropped and schema loosened is a warning."""
    for where, why in check_structure(document):
        report.warn(where, why)


def generate(
    config: VendorConfig,
    *,
    with_files: bool = True,
    filters: Filters | None = None,
    processes: Processes | None = None,
    responses: bool = True,
) -> Generated:
    """Run every stage up to (not including) writing; errors are collected, fatal ones raise.

    spec (load, normalize, check the structure) → model (the IR, filtered) → emit (the files, formatted and
    verified). ``processes`` does some of it beside this process (see :mod:`generator.processes`); the result is
    the same without. With ``responses=False`` the IR leaves out each tool's success schema (locks and
    ``details.json`` read them).
    """
    started = time.perf_counter()
    result = Generated(config)
    spec, document, result.notes, result.operations = _prepared(config, result.report)
    aside = processes or Processes()
    stage = _Stage(spec, document, config, filters, aside, responses, with_files, before=result.report)
    built = aside.unless_faulty(document, stage.run)  # the structure check, forked, while model and emit run
    if built is None:  # checked here instead: what openapi-pydantic refuses is dropped or loosened first
        _check(document, result.report)
        built = stage.run()
    result.add(built)
    result.seconds = time.perf_counter() - started
    return result


@dataclass(frozen=True)
class _Stage:
    """Model and emit for one prepared document, into a :class:`Generated` of their own."""

    spec: LoadedSpec
    document: dict[str, Any]
    config: VendorConfig
    filters: Filters | None
    processes: Processes
    responses: bool
    with_files: bool
    before: Report  # what the spec stage reported: with an error in it, no files are made

    def run(self) -> Generated:
        """The IR, filtered, and (with files, when nothing has failed) the files and the listing's size.

        With files, the models worker is sent the server's models as soon as the model stage knows them, so that
        it writes ``models.py`` while the tools are built (on GitHub's spec the second core was otherwise idle
        then, and busy with the models during rendering).
        """
        into = Generated(self.config)
        writing = self.with_files and not self.before.errors
        with self.processes.asking() as asked:
            owed: list[Callable[[], Answer]] = []

            def models_known(schemas: dict[str, Any]) -> None:
                owed.append(asked.models(schemas))

            into.server = self._model(into, models_known if writing else None)
            if writing and owed and not into.report.errors:
                files = _formatted_files(into.server, into.report, asked, owed[0])
                into.files = {} if into.report.errors else files
                listed = files.get(f"src/{into.server.package}/tools.json")
                into.listing = budget.measure(json.loads(listed)) if listed else None
            elif not into.report.errors:
                into.listing = budget.measure(catalog(into.server))
        return into

    def _model(self, into: Generated, models_known: Callable[[dict[str, Any]], None] | None) -> Server:
        """The IR, with ``filters`` applied; fatal when nothing is left to generate."""
        report = into.report
        server = build_model(
            self.spec, self.document, self.config, report, responses=self.responses, models_known=models_known
        )
        if not server.tools and not self.before.errors and not report.errors:  # an error already says why
            problems = (*self.before.problems, *report.problems)
            first = next((f" (first: {p.where}: {p.message})" for p in problems), "")
            raise FatalError("#/paths", f"no operation is left to generate{first}")
        if self.filters is None:
            return server
        kept, into.filtered = apply(server, self.filters)
        if server.tools and not kept.tools:
            raise FatalError(*nothing_left(server, self.filters))
        return kept


def _formatted_files(server: Server, report: Report, asked: Asked, models: Callable[[], Answer]) -> dict[str, str]:
    """Every file, rendered and formatted, with ``models.py`` from ``models`` (the worker's, asked for by the model
    stage).

    The documents (``render_documents``: the listing, ``details.json``, the README, the shipping files) are made in
    a forked copy of this process while this one renders the code: on GitHub's spec they take 0.5 s and the code
    0.4 s, and the second core is otherwise idle then (this process works out no listing of its own over 128 tools,
    ``render.with_toolset``). The server-import check (``verify``) starts as soon as the
    code is rendered, on the files as rendered and without ``models.py``, so that the child imports them while ruff
    formats them (a server imports its models on a tool's first call, and reads its documents on first use, never
    on import). What ruff changes keeps the program's meaning (``--fix-only`` applies safe fixes; the formatter
    keeps the syntax tree), so a pass stands for the formatted files; a failure is checked again on the formatted
    files with ``models.py``, so that its file and line are the written ones, and so that a server which needs its
    models at start is judged with them. ``models.py`` is formatted on its own, beside the package's
    ``pyproject.toml`` (its ruff settings); ruff's findings are reported after the models' problems.
    """
    documents = asked.processes.beside(lambda: json.dumps(render_documents(*listed(server))))
    code = render_code(with_toolset(server))
    imported = asked.imports(code, server.package)
    found = Report()
    formatted = format_files(code, found)
    text, problems = models()
    path = models_path(server)
    formatted[path] = format_files({"pyproject.toml": code["pyproject.toml"], path: text}, found)[path]
    formatted |= json.loads(documents())
    verdict = imported()
    for where, message in problems:
        report.error(where, message)
    report.problems += found.problems
    if not report.errors:  # a file that fails ruff or a models.py that fails to import is reported already
        if verdict[0]:
            verdict = asked.processes.imports_now(formatted, server.package)
        errors, warnings = verdict
        for where, message in errors:
            report.error(where, message)
        for where, message in warnings:
            report.warn(where, message)
    return dict(sorted(formatted.items()))
