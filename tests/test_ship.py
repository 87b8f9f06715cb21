"""The shipping artifacts of every generated package, each checked by a real tool: hadolint (Dockerfile),
kubernetes-validate offline (manifests), ``mcpb validate`` and ``mcpb pack`` (the MCP Bundle); compose.yaml and
server.json structurally (no ``docker compose`` plugin here; the registry's schema rules restated below).
The image is built only where a Docker daemon answers; otherwise the ``peers`` summary says it was not.
"""

from __future__ import annotations

import importlib
import json
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
import yaml

import generator
from generator.emit.deploy_views import bundle_manifest
from generator.errors import Report
from generator.model.ir import Server
from tests.conftest import ROOT, VENDORS
from tests.peers import node_tool

BIN = Path(sys.executable).parent
# The rules of the registry's server.json schema (2025-09-29) that a generated file must keep.
SERVER_JSON_RULES = {
    "type": "object",
    "required": ["$schema", "name", "description", "version", "packages", "remotes"],
    "properties": {
        "name": {"type": "string", "pattern": r"^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$", "maxLength": 200},
        "description": {"type": "string", "minLength": 1, "maxLength": 100},
        "version": {"type": "string", "pattern": r"^\d+\.\d+\.\d+$"},
        "packages": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/package"}},
        "remotes": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/remote"}},
    },
    "$defs": {
        "secret": {
            "type": "object",
            "required": ["name", "isSecret"],
            "properties": {"name": {"type": "string"}, "isSecret": {"const": True}, "isRequired": {"type": "boolean"}},
        },
        "package": {
            "type": "object",
            "required": ["registryType", "identifier", "version", "transport"],
            "properties": {
                "registryType": {"const": "pypi"},
                "transport": {"const": {"type": "stdio"}},
                "environmentVariables": {"type": "array", "items": {"$ref": "#/$defs/secret"}},
            },
        },
        "remote": {
            "type": "object",
            "required": ["type", "url", "headers"],
            "properties": {
                "type": {"const": "streamable-http"},
                "url": {"type": "string", "pattern": "^https://[^/]+/mcp$"},
                "headers": {"type": "array", "items": {"$ref": "#/$defs/secret"}},
            },
        },
    },
}


PACKAGES = (*VENDORS, "team")  # the suite ships as each vendor does


def package(vendor: str) -> Path:
    return ROOT / "generated" / f"{vendor}_mcp"


def credentials(vendor: str) -> list[str]:
    """Every credential variable the generated server reads (a suite: every one of each of its vendors)."""
    server = importlib.import_module(f"{vendor}_mcp.server")
    members = [m.vendor for m in server.MEMBERS] if hasattr(server, "MEMBERS") else [server.VENDOR]
    return sorted({env for member in members for scheme in member.auth for env in scheme.env})


def run(argv: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("vendor", PACKAGES)
def test_dockerfile_is_hadolint_clean_multi_stage_non_root_and_secret_free(vendor: str) -> None:
    folder = package(vendor)
    done = run([BIN / "hadolint", "Dockerfile"], folder)
    assert done.returncode == 0, done.stdout + done.stderr
    text = (folder / "Dockerfile").read_text(encoding="utf-8")
    assert len(re.findall(r"^FROM python:[\d.]+-slim", text, re.M)) == 2
    assert re.search(r"^USER 10001", text, re.M) and "/healthz" in text.split("HEALTHCHECK", 1)[1]
    assert re.search(r'^ENTRYPOINT \[.*"--transport", "http"', text, re.M)
    assert re.search(r'pip install --no-cache-dir "\.\[all\]"$', text, re.M)  # a team image: store and code mode
    baked = "\n".join(re.findall(r"^(?:ENV|ARG) .*", text, re.M))
    assert not any(name in baked for name in [*credentials(vendor), "MCP_SERVER_TOKEN"])


@pytest.mark.parametrize("vendor", PACKAGES)
def test_kubernetes_manifests_validate_offline(vendor: str) -> None:
    folder = package(vendor)
    done = run([BIN / "kubernetes-validate", "--strict", "deploy/kubernetes.yaml"], folder)
    assert done.returncode == 0 and "passed for resource deployment" in done.stdout, done.stdout + done.stderr
    deployment, _service = yaml.safe_load_all((folder / "deploy" / "kubernetes.yaml").read_text(encoding="utf-8"))
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert pod["securityContext"]["runAsNonRoot"] and container["securityContext"]["capabilities"] == {"drop": ["ALL"]}
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["resources"]["limits"] and container["resources"]["requests"]
    refs = {e["name"] for e in container["env"] if "valueFrom" in e}
    assert set(credentials(vendor)) | {"MCP_SERVER_TOKEN"} == refs


@pytest.mark.parametrize("vendor", PACKAGES)
def test_compose_has_replicas_postgres_and_secrets_only_from_the_environment(vendor: str) -> None:
    compose = yaml.safe_load((package(vendor) / "compose.yaml").read_text(encoding="utf-8"))
    server, postgres = compose["services"]["server"], compose["services"]["postgres"]
    assert server["deploy"]["replicas"] >= 2 and server["build"] == "."
    assert postgres["image"].startswith("postgres:") and "healthcheck" in postgres
    assert server["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in [*credentials(vendor), "MCP_SERVER_TOKEN"]:
        assert server["environment"][name].startswith(f"${{{name}:"), name
    assert postgres["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


@pytest.mark.parametrize("vendor", PACKAGES)
def test_server_json_keeps_the_registry_rules(vendor: str) -> None:
    folder = package(vendor)
    document = json.loads((folder / "server.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, SERVER_JSON_RULES)
    version = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    (pkg,) = document["packages"]
    assert document["version"] == pkg["version"] == version and pkg["identifier"] == f"{vendor}-mcp"
    written = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mcpgen"]["version"]
    publisher = document["_meta"]["io.modelcontextprotocol.registry/publisher-provided"]
    assert set(document["_meta"]) == {"io.modelcontextprotocol.registry/publisher-provided"}  # all the registry keeps
    assert (
        publisher["io.mcpgen/generator"]
        == {"name": "mcpgen", "version": written}
        == {
            "name": "mcpgen",
            "version": generator.__version__,
        }
    )
    assert sorted(v["name"] for v in pkg["environmentVariables"]) == credentials(vendor)
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert f"<!-- mcp-name: {document['name']} -->" in readme  # PyPI ownership proof the registry looks for


@pytest.mark.parametrize("vendor", PACKAGES)
def test_mcp_bundle_validates_and_packs(vendor: str, tmp_path: Path, tally: list[str]) -> None:
    folder, mcpb = package(vendor), node_tool("mcpb")
    done = run([mcpb, "validate", "manifest.json"], folder)
    assert done.returncode == 0, done.stdout + done.stderr
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    sensitive = {c["title"] for c in manifest["user_config"].values() if c["sensitive"]}
    assert sensitive == set(credentials(vendor))
    bundle = tmp_path / f"{vendor}.mcpb"
    done = run([mcpb, "pack", ".", bundle], folder)
    assert done.returncode == 0, done.stdout + done.stderr
    names = zipfile.ZipFile(bundle).namelist()
    assert {"manifest.json", "pyproject.toml", f"src/{vendor}_mcp/server.py"} <= set(names)
    assert not any(n.startswith(("tests/", "deploy/", ".")) or ".egg-info/" in n for n in names), names
    tally.append(
        f"{vendor} artifacts: hadolint clean, kubernetes-validate passed, mcpb validate + pack ({len(names)} files)"
    )


def test_the_image_is_built_where_a_docker_daemon_answers(tally: list[str]) -> None:
    docker = shutil.which("docker")
    if docker is None or run([docker, "info"], ROOT).returncode != 0:
        tally.append("image: NOT built (no Docker daemon here); the Dockerfiles were checked by hadolint only")
        pytest.skip("no Docker daemon")
    for vendor in VENDORS:
        done = run([docker, "build", "-q", "-t", f"{vendor}-mcp:test", "."], package(vendor))
        assert done.returncode == 0, done.stderr
        listed = run(
            [docker, "run", "--rm", "--entrypoint", f"{vendor}-mcp", f"{vendor}-mcp:test", "--list-tools"], ROOT
        )
        assert listed.returncode == 0 and listed.stdout.strip()
    tally.append(f"image: built and ran --list-tools for {', '.join(VENDORS)}")


@pytest.mark.parametrize("vendor", PACKAGES)
def test_the_readme_deploy_commands_name_what_the_artifacts_hold(vendor: str) -> None:
    folder = package(vendor)
    readme = (folder / "README.md").read_text(encoding="utf-8")
    deploy = readme.split("## Deploy", 1)[1].split("\n## ", 1)[0]
    commands = [line for block in deploy.split("```sh")[1:] for line in block.split("```")[0].splitlines() if line]
    for path in ("deploy/kubernetes.yaml", "manifest.json"):
        assert any(path in line for line in commands) and (folder / path).exists()
    created = next(line for line in commands if line.startswith("kubectl create secret"))
    deployment = next(yaml.safe_load_all((folder / "deploy" / "kubernetes.yaml").read_text(encoding="utf-8")))
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    refs = [e["valueFrom"]["secretKeyRef"] for e in container["env"] if "valueFrom" in e]
    assert {r["key"] for r in refs if not r.get("optional")} == set(re.findall(r"--from-literal=([a-z-]+)=", created))
    image = next(line for line in commands if line.startswith("docker build")).split()[3]
    compose = yaml.safe_load((folder / "compose.yaml").read_text(encoding="utf-8"))
    assert image == container["image"] == compose["services"]["server"]["image"]
    assert any(line.startswith("docker run") and line.endswith(image) for line in commands)


def test_the_bundle_installs_no_extra_unless_its_default_toolset_is_code(
    vendor_ir: Callable[[str], tuple[Server, Report]],
) -> None:
    for vendor in VENDORS:  # both serve the full toolset by default: the bundle is the lean install
        args = json.loads((package(vendor) / "manifest.json").read_text(encoding="utf-8"))["server"]["mcp_config"]
        assert "--extra" not in args["args"]
    server, _ = vendor_ir("gong")
    coded = json.loads(bundle_manifest(replace(server, toolset="code")))["server"]["mcp_config"]["args"]
    assert coded[:3] == ["run", "--extra", "code"] and coded[-3:] == ["gong-mcp", "--transport", "stdio"]
