"""P6's table and ratios: ours over each peer, in calls per second and per CPU second the server used."""

from __future__ import annotations

from typing import Any

PEER = "openapi-mcp-generator"


def _rate(servers: dict[str, Any], label: str, level: str, key: str = "calls_per_s") -> float | None:
    figures = servers.get(label, {}).get(level, {})
    value: float | None = figures.get(key)
    return value


PAIRS = (
    ("mcpgen", "bare SDK floor"),
    ("mcpgen x2 workers", "bare SDK floor x2"),
    ("mcpgen", "FastMCP from_openapi"),
    ("mcpgen", PEER),
)


def ratios(servers: dict[str, Any]) -> dict[str, float]:
    """Ours over each peer: calls per second and calls per CPU second (per core used); p99/p50 at 32 clients."""
    out = {}
    for ours, peer in PAIRS:
        for level in ("1", "32"):
            for key, name in (("calls_per_s", "calls/s"), ("calls_per_cpu_s", "per core")):
                mine, theirs = _rate(servers, ours, level, key), _rate(servers, peer, level, key)
                if mine and theirs:
                    out[f"P6 {name} {ours} / {peer} @{level}"] = mine / theirs
    for label in ("mcpgen", "mcpgen x2 workers"):
        if _rate(servers, label, "32"):
            out[f"P6 p99/p50 {label} @32"] = servers[label]["32"]["p99_ms"] / servers[label]["32"]["p50_ms"]
    return out


def table(found: dict[str, Any]) -> str:
    """One row per server and level, then the ratios."""
    load = "/".join(f"{x:.1f}" for x in found.get("load_before", ()))
    lines = [f"P6 over streamable HTTP ({found['cores']} cores shared by client, server and upstream; load {load})"]
    lines.append(
        f"{'server':<24}{'clients':>8}{'calls':>7}{'calls/s':>9}{'cores':>7}{'/CPU-s':>8}{'p50 ms':>9}{'p99 ms':>9}"
    )
    for label, levels in found["servers"].items():
        for level in levels.values():
            if "error" in level:
                lines.append(f"{label:<24}{level['clients']:>8}  could not be driven: {level['error']}")
                continue
            per_cpu = level["calls_per_cpu_s"] or 0.0
            lines.append(
                f"{label:<24}{level['clients']:>8}{level['calls']:>7}{level['calls_per_s']:>9.1f}"
                f"{level['server_cores']:>7.2f}{per_cpu:>8.1f}{level['p50_ms']:>9.2f}{level['p99_ms']:>9.2f}"
            )
    lines += [f"{name:<64}{value:>8.3f}" for name, value in found["ratios"].items()]
    return "\n".join(lines)
