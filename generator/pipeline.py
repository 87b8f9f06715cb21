"""The pipeline in one place: spec (load, normalize) → model (IR) → emit (render, format); writing is the caller's."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from generator.emit import budget, verify
from generator.emit.budget import Listing
from generator.emit.catalog import catalog
from generator.emit.models import models_text
from generator.emit.models_worker import ModelsWorker
from generator.emit.render import models_path, render_source
from generator.emit.write import format_files
from generator.errors import FatalError, Report
from generator.model.build import build_model
from generator.model.config import VendorConfig
from generator.model.filters import apply, nothing_left
from generator.model.ir import Server
from generator.model.workflows import add_stated_parameters
from generator.runtime.visibility import Filters
from generator.spec.bounds import check_operations
from generator.spec.load import LoadedSpec, load_spec
from generator.spec.normalize import Survey, normalize
from generator.spec.patterns import drop_bad_patterns
from generator.spec.refs import dangling
from generator.spec.structure import check_elsewhere, check_structure, iter_operations


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


def build_ir(config: VendorConfig, report: Report, *, responses: bool = True) -> tuple[Server, list[str], int]:
    """Load, normalize and parse one vendor's spec into the IR (``responses``: see ``build_model``)."""
    spec, document, notes, operations = _prepared(config, report)
    for where, why in check_structure(document):
        report.warn(where, why)
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


def generate(
    config: VendorConfig,
    *,
    with_files: bool = True,
    filters: Filters | None = None,
    worker: ModelsWorker | None = None,
    responses: bool = True,
) -> Generated:
    """Run every stage up to (not including) writing; errors are collected, fatal ones raise.

    With a ``worker``, ``models.py`` is written in that process while this one renders the rest. With
    ``responses=False`` the IR leaves out each tool's success schema (locks and ``shapes.json`` read them).

    Where it can, the structure check runs in a forked process while this one builds and renders from the
    unchecked document, and its verdict is asked only at the end: the result is kept when the spec was clean,
    and otherwise everything is done again after the check here (what openapi-pydantic refuses is dropped or
    loosened first).
    """
    started = time.perf_counter()
    result = Generated(config)
    spec, document, result.notes, result.operations = _prepared(config, result.report)
    stage = _Stage(spec, document, config, filters, worker, responses, with_files)
    clean = check_elsewhere(document)
    if clean is not None:
        trial = Generated(config, report=Report())
        try:
            stage.run(trial, result.report)
            failure: Exception | None = None
        except Exception as exc:  # an unchecked document may break a stage; the check says whether it may
            failure = exc
        if clean():
            if failure is not None:
                raise failure
            result.server, result.files, result.filtered = trial.server, trial.files, trial.filtered
            result.listing = trial.listing
            result.report.problems += trial.report.problems
            result.report.renames += trial.report.renames
            result.seconds = time.perf_counter() - started
            return result
    for where, why in check_structure(document):
        result.report.warn(where, why)
    stage.run(result, result.report)
    result.seconds = time.perf_counter() - started
    return result


@dataclass(frozen=True)
class _Stage:
    """Model and emit for one prepared document: the part of :func:`generate` done again after a failed check."""

    spec: LoadedSpec
    document: dict[str, Any]
    config: VendorConfig
    filters: Filters | None
    worker: ModelsWorker | None
    responses: bool
    with_files: bool

    def run(self, into: Generated, before: Report) -> None:
        """Build the IR and the files into ``into``; files only when neither ``before`` nor ``into`` has errors."""
        report = into.report
        server = build_model(self.spec, self.document, self.config, report, responses=self.responses)
        if not server.tools and not before.errors and not report.errors:  # an error already says why
            first = next((f" (first: {p.where}: {p.message})" for p in (*before.problems, *report.problems)), "")
            raise FatalError("#/paths", f"no operation is left to generate{first}")
        if self.filters is not None:
            kept, into.filtered = apply(server, self.filters)
            if server.tools and not kept.tools:
                raise FatalError(*nothing_left(server, self.filters))
            server = kept
        into.server = server
        if self.with_files and not before.errors and not report.errors:
            files = _formatted_files(server, report, self.worker)
            into.files = {} if report.errors else files
            listed = files.get(f"src/{server.package}/tools.json")
            into.listing = budget.measure(json.loads(listed)) if listed else None
        elif not report.errors:
            into.listing = budget.measure(catalog(server))


def _formatted_files(server: Server, report: Report, worker: ModelsWorker | None) -> dict[str, str]:
    """Every file, rendered and formatted: ruff goes over the rest while the worker writes ``models.py``.

    ``models.py`` is formatted on its own afterwards, beside the package's ``pyproject.toml`` (its ruff settings).
    Ruff's findings are reported after the models' problems, as when everything was formatted at once.

    The server-import check (``verify``) starts as soon as the rest is rendered, on the files as rendered and
    without ``models.py``, so that the child imports them while ruff formats them and the worker writes the
    models (a server imports its models on a tool's first call, not at start). What ruff changes keeps the
    program's meaning (``--fix-only`` applies safe fixes; the formatter keeps the syntax tree), so a pass stands
    for the formatted files; a failure is checked again on the formatted files with ``models.py``, so that its
    file and line are the written ones, and so that a server which needs its models at start is judged with them.
    """
    models = worker.submit(server.models) if worker else None
    checked = None
    try:
        files = render_source(server)
        checked = verify.SHARED.submit(files, server.package)
        found = Report()
        formatted = format_files(files, found)
        answer = models or (lambda: models_text(server.models))
        models = None  # its answer is read below, so the clean-up must not read it again
        text, problems = answer()
        path = models_path(server)
        formatted[path] = format_files({"pyproject.toml": files["pyproject.toml"], path: text}, found)[path]
    except BaseException:
        if models:  # read the answer all the same: the worker's next one belongs to the next request
            models()
        if checked:  # its answer, unread, would be taken for the next check's
            verify.SHARED.stop()
        raise
    verdict = checked()  # read even when it is not needed: the child's next answer belongs to the next check
    for where, message in problems:
        report.error(where, message)
    report.problems += found.problems
    if not report.errors:  # a file that fails ruff or a models.py that fails to import is reported already
        if verdict[0]:
            verdict = verify.SHARED.check(formatted, server.package)
        errors, warnings = verdict
        for where, message in errors:
            report.error(where, message)
        for where, message in warnings:
            report.warn(where, message)
    return dict(sorted(formatted.items()))
