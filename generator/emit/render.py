"""Render: IR → ``{relative path: text}`` in memory. Templates only loop and print.

Every spec-derived literal goes through ``pyrepr`` and every docstring through ``docstring``
(``generator.emit.escape``): a spec is untrusted input, and its text must come out inert.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import stat
from dataclasses import replace
from importlib import resources
from typing import Any

import jinja2

import generator
from generator.emit import budget, jsontext, workflow_views
from generator.emit.catalog import catalog
from generator.emit.deploy_views import bundle_manifest, credential_rows, deploy_view, package_extras, server_json
from generator.emit.details import details
from generator.emit.escape import docstring, jsonstr, md, pyrepr, pyrepr_toml
from generator.emit.functions import module_views
from generator.emit.views import operation_view, probe, tool_row
from generator.model.ir import Server
from generator.runtime.setting_table import setting_rows


def _template_source(name: str) -> str:
    return resources.files("generator.templates").joinpath(name).read_text(encoding="utf-8")


OPTIONS: dict[str, Any] = {"trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True}


def make_environment() -> jinja2.Environment:
    """The one Jinja environment, shared by the generator and the tests."""
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_template_source),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        bytecode_cache=template_cache(),
        **OPTIONS,
    )
    env.filters.update(pyrepr=pyrepr, pyrepr_toml=pyrepr_toml, docstring=docstring, md=md, jsonstr=jsonstr)
    return env


class _QuietCache(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, as ``__pycache__`` is Python's; a read or write that fails is skipped."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def template_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs, in the user's cache folder; ``None`` where there is none of ours.

    Compiling the templates costs 0.2-0.3 s of every run. Jinja checks each entry against its template's source
    and the interpreter's version; the folder's name adds Jinja's version and the environment's options, which
    the compiled code depends on and the check does not see. Only a folder this user owns and nobody else can
    write is used, since its files are loaded as code.
    """
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    digest = hashlib.sha256(json.dumps([jinja2.__version__, OPTIONS], sort_keys=True).encode()).hexdigest()[:16]
    folder = os.path.join(base, "mcpgen", f"templates-{digest}")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        state = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(state.st_mode) or state.st_uid != os.getuid() or state.st_mode & 0o077:
        return None
    return _QuietCache(folder)


def listed(server: Server) -> tuple[Server, dict[str, Any]]:
    """The listing (``tools.json``'s entries, by tool name) and the server with the default toolset its size
    implies (``generator.emit.budget``), which ``vendor.py``, the README and the bundle state."""
    entries = catalog(server)
    return replace(server, toolset=budget.measure(entries).toolset), entries


def with_toolset(server: Server) -> Server:
    """The server with its default toolset, as :func:`listed` gives it, without working out the listing where the
    count of tools alone decides (``budget.default_toolset``)."""
    return replace(server, toolset=budget.default_toolset(len(server.tools), lambda: catalog(server)))


def render_code(server: Server) -> dict[str, str]:
    """The package's Python files (its modules, the runtime, its test; not ``models.py``, see :func:`models_path`)
    and ``pyproject.toml`` (ruff's settings for them): what ruff formats and the server's import reads. ``server``
    as :func:`with_toolset` gives it; the rest is :func:`render_documents`."""
    env = make_environment()
    src = f"src/{server.package}"
    files = {
        "pyproject.toml": pyproject(env, server),
        "tests/test_server.py": env.get_template("package/tests/test_server.py.j2").render(
            server=server, tools=server.tools, probe=probe(server.tools, frozenset(server.models))
        ),
        **_source_files(env, server, src),
    }
    for name, text in runtime_files():
        files[f"{src}/runtime/{name}"] = text
    return files


def render_documents(server: Server, entries: dict[str, Any]) -> dict[str, str]:
    """Every file that is not Python: the listing (``tools.json``), ``describe_tool``'s full story
    (``details.json``), the README and the shipping artifacts. The server reads none of them on import, and ruff
    leaves them alone, so the pipeline makes them beside the code (``generator.processes.Processes.beside``)."""
    env = make_environment()
    src = f"src/{server.package}"
    readme = env.get_template("package/README.md.j2").render(
        server=server,
        deploy=deploy_view(server),
        tools=[tool_row(t) for t in server.tools],
        settings=setting_rows(server.env_prefix, server),
        credentials=credential_rows(server),
    )
    return {
        f"{src}/tools.json": jsontext.indented(entries) + "\n",
        f"{src}/details.json": jsontext.indented(details(server)) + "\n",
        "README.md": readme,
        **deploy_files(env, server),
    }


def models_path(server: Server) -> str:
    """Where ``models.py`` goes in the package."""
    return f"src/{server.package}/models.py"


def pyproject(env: jinja2.Environment, server: Server) -> str:
    """The package's ``pyproject.toml``: dependencies, extras (``contract.EXTRAS``) and the mcpgen that wrote it."""
    return env.get_template("package/pyproject.toml.j2").render(
        server=server, extras=package_extras(), mcpgen_version=generator.__version__
    )


def deploy_files(env: jinja2.Environment, server: Server) -> dict[str, str]:
    """The shipping artifacts: image, compose, Kubernetes, the registry's server.json, the MCP Bundle manifest."""
    deploy = deploy_view(server)
    templated = {
        "Dockerfile": "Dockerfile",
        ".dockerignore": "dockerignore",
        ".mcpbignore": "mcpbignore",
        "compose.yaml": "compose.yaml",
        "deploy/kubernetes.yaml": "kubernetes.yaml",
    }
    files = {path: env.get_template(f"package/{name}.j2").render(deploy=deploy) for path, name in templated.items()}
    return files | {"server.json": server_json(server), "manifest.json": bundle_manifest(server)}


def _source_files(env: jinja2.Environment, server: Server, src: str) -> dict[str, str]:
    """The package's own modules (not the runtime, not the models), keyed by path."""
    modules = module_views(server.tools, frozenset(server.models))
    oauth = list(dataclasses.asdict(server.oauth).items()) if server.oauth else None
    files = {
        f"{src}/{name}.py": env.get_template(f"package/{name}.py.j2").render(
            server=server, oauth=oauth, mcpgen_version=generator.__version__
        )
        for name in ("__init__", "__main__", "server", "vendor")
    }
    files[f"{src}/operations.py"] = env.get_template("package/operations.py.j2").render(
        operations=[operation_view(t) for t in server.tools],
        spec_imports=sorted(["Operation", *workflow_views.classes(list(server.tools))]),
    )
    files[f"{src}/tools/__init__.py"] = env.get_template("package/tools_init.py.j2").render(modules=modules)
    for module in modules:
        files[f"{src}/tools/{module['name']}.py"] = env.get_template("package/tool_module.py.j2").render(module=module)
    return files


SUITE_ONLY = "serve/suite.py"  # the runtime of a suite (``emit.suite_files``); a vendor's own package has no use for it


def runtime_files(*, suite: bool = False) -> list[tuple[str, str]]:
    """Every module of ``generator.runtime`` (relative name, text), copied verbatim into each package; the suite's
    own module only into a suite."""
    root = resources.files("generator.runtime")
    found: list[tuple[str, str]] = []
    stack = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        for entry in folder.iterdir():
            if entry.is_dir() and entry.name != "__pycache__":
                stack.append((entry, f"{prefix}{entry.name}/"))
            elif entry.name.endswith(".py") and (suite or prefix + entry.name != SUITE_ONLY):
                found.append((prefix + entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)
