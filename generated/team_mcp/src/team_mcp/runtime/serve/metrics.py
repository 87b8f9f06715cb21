"""Prometheus metrics of one server process (prometheus-client), in a registry of their own."""

from __future__ import annotations

from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

# Tool calls take from a few milliseconds (a cached read) to minutes (a followed job).
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)


class Metrics:
    """Tool calls by tool, kind and outcome, their latency, upstream statuses, retries, 429s and the day's quota."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._children: dict[tuple[str, str, str], tuple[Any, Any]] = {}
        self._statuses: dict[str, Any] = {}
        labels = ("tool", "kind")
        self.calls = Counter(
            "mcp_tool_calls", "Tool calls by tool, kind and outcome", (*labels, "outcome"), registry=self.registry
        )
        self.latency = Histogram(
            "mcp_tool_call_duration_seconds", "Tool call latency", labels, buckets=BUCKETS, registry=self.registry
        )
        self.in_flight = Gauge("mcp_tool_calls_in_flight", "Tool calls being answered", registry=self.registry)
        self.upstream = Counter(
            "mcp_upstream_responses", "Upstream answers by HTTP status (none: no answer)", ("status",),
            registry=self.registry,
        )  # fmt: skip
        self.retries = Counter("mcp_upstream_retries", "Upstream requests sent again", registry=self.registry)
        self.throttled = Counter("mcp_upstream_throttled", "Upstream 429 answers", registry=self.registry)
        self.quota_left = Gauge(
            "mcp_upstream_daily_quota_left", "Upstream requests left today, as last counted (-1: no quota or none yet)",
            registry=self.registry,
        )  # fmt: skip

    def call(self, tool: str, kind: str, outcome: str, seconds: float) -> None:
        """Count one call and observe its latency (each label set's children found once, then kept)."""
        key = (tool, kind, outcome)
        children = self._children.get(key)
        if children is None:
            children = self._children[key] = (self.calls.labels(*key), self.latency.labels(tool, kind))
        children[0].inc()
        children[1].observe(seconds)

    def answer(self, status: int | None, retrying: bool) -> None:
        """Count one upstream answer (None: none came), a retry, a 429."""
        label = str(status) if status else "none"
        child = self._statuses.get(label)
        if child is None:
            child = self._statuses[label] = self.upstream.labels(label)
        child.inc()
        if retrying:
            self.retries.inc()
        if status == 429:
            self.throttled.inc()

    def exposition(self) -> tuple[bytes, str]:
        """The text format and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
