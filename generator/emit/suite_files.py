"""A suite package: several vendors' generated packages composed into one server (``<suite>_mcp``).

Each vendor is generated as its own package first (the same pipeline, checks and files); the suite takes each one's
``vendor.py``, ``operations.py``, ``models.py`` and ``tools/`` into a sub-package of the vendor's name, adds one copy
of the runtime, one listing (``tools.json``), one ``details.json`` (full descriptions, answer shapes) and a server that
composes the vendors (``runtime/serve/suite.py``). Its README, pyproject, image, compose, Kubernetes manifest,
``server.json`` and bundle come from the templates every package uses, given a ``Server`` whose ``members`` are the
vendors.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from typing import Any

import generator
from generator.emit import budget, jsontext
from generator.emit.deploy_views import deploy_view
from generator.emit.render import deploy_files, make_environment, pyproject, runtime_files
from generator.emit.views import probe, tool_row
from generator.emit.write import format_files
from generator.errors import Report
from generator.model.ir import Server
from generator.model.suite_config import SuiteConfig
from generator.runtime.setting_table import SUITE_SETTINGS, VENDOR_SETTINGS, setting_rows

MOVED = ("vendor.py", "operations.py", "models.py")  # with ``tools/``: what a vendor's sub-package holds
TAKEN = frozenset({"runtime", "server", "tools", "models", "operations", "vendor"})  # names the suite's own files use
# A module moved one package down reaches the one runtime one level further up: ``.runtime`` → ``..runtime``.
_RUNTIME_IMPORT = re.compile(r"^(\s*from )(\.+)(runtime\b)", re.MULTILINE)
SUITE_VERSION = "0.1.0"  # the MCP server version a suite reports; its vendors' API versions are in the README


def suite_server(suite: SuiteConfig, members: list[Server]) -> Server:
    """The suite as one ``Server``: every vendor's tools and credentials, its own name and variables."""
    title = suite.title or " and ".join(member.title for member in members)
    digest = hashlib.sha256(json.dumps([[m.vendor, m.spec_sha256] for m in members]).encode()).hexdigest()
    return replace(
        members[0],
        vendor=suite.name,
        title=title,
        package=f"{suite.name}_mcp",
        distribution=f"{suite.name}-mcp",
        env_prefix=suite.name.upper(),
        description=f"One MCP server for the {title} APIs",
        base_url="",
        spec_name=f"{suite.name}.suite.toml",
        spec_sha256=digest,
        spec_url=None,
        api_version=SUITE_VERSION,
        auth=tuple(scheme for member in members for scheme in member.auth),
        tools=tuple(tool for member in members for tool in member.tools),
        models={},
        scope_prose=(),
        max_rps=0.0,
        daily_quota=0,
        url_template="",
        variables=(),
        oauth=None,
        members=tuple(members),
    )


def clashes(members: list[Server]) -> list[tuple[str, str]]:
    """``(where, why)`` for each vendor whose name cannot be a sub-package, and each tool name two vendors share."""
    found = [
        (member.vendor, "a suite's vendor name must be a Python name other than " + ", ".join(sorted(TAKEN)))
        for member in members
        if not member.vendor.isidentifier() or member.vendor in TAKEN
    ]
    seen: dict[str, str] = {}
    for member in members:
        for tool in member.tools:
            if tool.name in seen:
                found.append((f"{tool.method} {tool.path}", f"tool {tool.name!r} is {seen[tool.name]}'s too"))
            seen.setdefault(tool.name, member.vendor)
    return found


def suite_package(suite: SuiteConfig, parts: list[tuple[Server, dict[str, str]]], report: Report) -> dict[str, str]:
    """Every file of the suite's package, formatted (not yet import-checked); ``{}`` when something is reported."""
    for where, why in clashes([server for server, _ in parts]):
        report.error(where, why)
    if report.errors:
        return {}
    catalog = _merged(parts, "tools.json")
    server = replace(suite_server(suite, [s for s, _ in parts]), toolset=budget.measure(catalog).toolset)
    src = f"src/{server.package}"
    files = {f"{src}/tools.json": jsontext.indented(catalog) + "\n"}
    files[f"{src}/details.json"] = jsontext.indented(_merged(parts, "details.json")) + "\n"
    files |= {f"{src}/runtime/{name}": text for name, text in runtime_files(suite=True)}
    files |= _own_files(server)
    for member, made in parts:
        files |= _moved(member, made, server.package)
    files |= format_files({path: text for path, text in files.items() if not path.endswith("models.py")}, report)
    return {} if report.errors else dict(sorted(files.items()))


def _merged(parts: list[tuple[Server, dict[str, str]]], name: str) -> dict[str, Any]:
    """A JSON file every vendor package ships (its listing, its details), the vendors' entries in turn."""
    merged: dict[str, Any] = {}
    for server, files in parts:
        merged |= json.loads(files.get(f"src/{server.package}/{name}", "{}"))
    return merged


def _moved(member: Server, files: dict[str, str], into: str) -> dict[str, str]:
    """A vendor's modules under ``<suite>/<vendor>/``, each reaching the suite's one runtime."""
    src = f"src/{member.package}/"
    moved = {
        f"src/{into}/{member.vendor}/__init__.py": f'"""The {member.title} API\'s tools, operations and models."""\n'
    }
    for path, text in files.items():
        name = path.removeprefix(src)
        if path.startswith(src) and (name in MOVED or name.startswith("tools/")):
            moved[f"src/{into}/{member.vendor}/{name}"] = _RUNTIME_IMPORT.sub(r"\1\2.\3", text)
    return moved


def _own_files(server: Server) -> dict[str, str]:
    """The suite's own files: its modules, README, pyproject, test and shipping artifacts."""
    env = make_environment()
    src = f"src/{server.package}"
    members = [{"name": m.vendor, "constant": m.vendor.upper(), "title": m.title} for m in server.members]
    files = {
        f"{src}/{name}.py": env.get_template(f"package/{name}.py.j2").render(server=server)
        for name in ("__init__", "__main__")
    }
    files[f"{src}/server.py"] = env.get_template("package/suite_server.py.j2").render(
        server=server, members=members, mcpgen_version=generator.__version__
    )
    probes = [
        {**view, "probe": probe(m.tools, frozenset(m.models))} for view, m in zip(members, server.members, strict=True)
    ]
    files["tests/test_server.py"] = env.get_template("package/tests/test_suite.py.j2").render(
        server=server, members=probes, tools=len(server.tools)
    )
    files["pyproject.toml"] = pyproject(env, server)
    files["README.md"] = env.get_template("package/suite_README.md.j2").render(
        server=server,
        deploy=deploy_view(server),
        members=[
            {
                "vendor": m,
                "tools": [tool_row(t) for t in m.tools],
                "settings": setting_rows(m.env_prefix, m, VENDOR_SETTINGS),
            }
            for m in server.members
        ],
        settings=setting_rows(server.env_prefix, server, SUITE_SETTINGS),
    )
    return files | deploy_files(env, server)
