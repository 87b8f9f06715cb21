"""The pipeline in one place: spec (load, normalize) → model (IR) → emit (render, format); writing is the caller's."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from generator.emit.models_worker import ModelsWorker
from generator.emit.render import render
from generator.emit.write import format_files
from generator.errors import Report
from generator.model.build import build_model
from generator.model.config import VendorConfig
from generator.model.filters import Filters, apply
from generator.model.ir import Server
from generator.model.workflows import add_stated_parameters
from generator.spec.load import load_spec
from generator.spec.normalize import normalize
from generator.spec.patterns import drop_bad_patterns
from generator.spec.refs import dangling
from generator.spec.structure import check_structure, iter_operations


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


def build_ir(config: VendorConfig, report: Report) -> tuple[Server, list[str], int]:
    """Load, normalize and parse one vendor's spec into the IR."""
    spec = load_spec(config.spec_location(), config.spec.sha256)
    document, notes = normalize(spec.document)
    for pointer, target in dangling(document):
        report.warn(pointer, f"$ref {target!r} does not resolve")
    for pointer, why in drop_bad_patterns(document):
        report.warn(pointer, why)
    operations = len(iter_operations(document))
    add_stated_parameters(document, config)  # the config's parameters are checked with the spec's own
    for where, why in check_structure(document):  # what openapi-pydantic refuses is dropped or loosened
        report.warn(where, why)
    server = build_model(spec, document, config, report)
    return server, notes, operations


def generate(
    config: VendorConfig,
    *,
    with_files: bool = True,
    filters: Filters | None = None,
    worker: ModelsWorker | None = None,
) -> Generated:
    """Run every stage up to (not including) writing; errors are collected, fatal ones raise.

    With a ``worker``, ``models.py`` is written in that process while this one renders the rest.
    """
    started = time.perf_counter()
    result = Generated(config)
    server, result.notes, result.operations = build_ir(config, result.report)
    if filters is not None:
        server, result.filtered = apply(server, filters)
    result.server = server
    if with_files and not result.report.errors:
        files = render(server, result.report, worker.submit(server.models) if worker else None)
        if not result.report.errors:
            formatted = format_files(files, result.report)
            result.files = {} if result.report.errors else formatted
    result.seconds = time.perf_counter() - started
    return result
