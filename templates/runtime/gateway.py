"""The one place that talks to the vendor: send a request, retry what may be retried, shape the result."""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import time
from email.utils import parsedate_to_datetime
from pathlib import Path
from collections.abc import Mapping
from typing import Any

import httpx2
from mcp.types import CallToolResult

from . import auth, downloads, results, workflows
from .request import BadArgument, Request, build
from .settings import Settings
from .spec import Operation, Vendor
from .uploads import UploadError

RETRY_STATUSES = (429, 503)
RATE_HEADERS = {
    "ratelimit-limit": ("ratelimit-limit", "x-ratelimit-limit", "x-rate-limit-limit"),
    "ratelimit-remaining": ("ratelimit-remaining", "x-ratelimit-remaining", "x-rate-limit-remaining"),
    "ratelimit-reset": ("ratelimit-reset", "x-ratelimit-reset", "x-rate-limit-reset", "retry-after"),
}
HINTS = {
    400: "check the arguments against the tool's input schema and try again",
    401: "the upstream rejected the credentials; check the {prefix}_* credential variables",
    402: "the vendor account has no credits or plan for this call",
    403: "the credentials lack permission for this call{scopes}",
    404: "the resource was not found; check the ids, and {prefix}_BASE_URL",
    409: "the request conflicts with the resource's current state; read it again before retrying",
    413: "the upload is too large for the vendor",
    422: "the vendor could not process these arguments; check their values",
    429: "the vendor's rate limit was reached; wait {wait} and try again",
}


class Gateway:
    """Holds the HTTP client and settings of one server; every tool call goes through ``call``."""

    def __init__(
        self,
        vendor: Vendor,
        settings: Settings,
        transport: httpx2.AsyncBaseTransport | None = None,
        operations: Mapping[str, Operation] | None = None,
    ) -> None:
        self.vendor = vendor
        self.settings = settings
        self.operations = operations or {}  # every operation, served or not: workflows call status tools
        self.memo: dict[Any, tuple[float, Any]] = {}  # short-lived answers workflows reuse (flow inputs)
        self._transport = transport
        self._client: httpx2.AsyncClient | None = None
        self._next_slot = 0.0
        self._slot_lock = asyncio.Lock()
        self.credits_spent = 0

    @property
    def client(self) -> httpx2.AsyncClient:
        """One pooled client per server, made on first use (inside the running event loop)."""
        if self._client is None:
            timeout = httpx2.Timeout(self.settings.read_timeout, connect=self.settings.connect_timeout)
            self._client = httpx2.AsyncClient(timeout=timeout, transport=self._transport, trust_env=False)
        return self._client

    async def call(self, op: Operation, args: dict[str, Any]) -> CallToolResult:
        """Check, build, send, retry and shape one call; never raises."""
        if workflows.involved(op):
            return await workflows.run(self, op, args)
        try:
            creds = auth.resolve(self.vendor.auth, self.settings.env)
        except auth.MissingCredentials as exc:
            return results.error(str(exc), hint="set the variable(s) in the server's environment and restart it")
        refusal = self._refusal(op)
        if refusal is not None:
            return refusal
        try:
            request = build(op, self.settings.base_url, args, self.settings.env, self.settings.upload_root)
        except (BadArgument, UploadError) as exc:
            return results.error(str(exc), hint="fix that argument and call again")
        request.headers.update(creds.headers)
        request.params.extend(creds.params.items())
        try:
            return await self._send(op, request, creds.secrets)
        except httpx2.TimeoutException:
            return results.error(
                f"{op.method} {op.path} timed out",
                hint=f"try again later, or raise {self.vendor.env_prefix}_READ_TIMEOUT",
            )
        except httpx2.HTTPError as exc:
            where = request.url.split("?")[0]
            message = results.redact(f"cannot reach {where}: {type(exc).__name__}", creds.secrets)
            return results.error(message, hint=f"check {self.vendor.env_prefix}_BASE_URL and the network")
        finally:
            request.close()

    def _refusal(self, op: Operation) -> CallToolResult | None:
        missing = [s for s in op.scopes if self.settings.scopes is not None and s not in self.settings.scopes]
        if missing:
            return results.error(
                f"this tool needs the OAuth scope {', '.join(missing)}, which the token does not hold",
                hint=f"grant the scope to the app, or add it to {self.vendor.env_prefix}_SCOPES if the token has it",
            )
        if op.credits:
            if self.credits_spent >= self.settings.credit_budget:
                return results.error(
                    f"the credit budget of {self.settings.credit_budget} calls for this server process is spent",
                    hint=f"raise {self.vendor.env_prefix}_CREDIT_CALL_BUDGET and restart the server "
                    "if more calls are worth paying for",
                )
            self.credits_spent += 1
        return None

    async def _send(self, op: Operation, request: Request, secrets: tuple[str, ...]) -> CallToolResult:
        may_retry = op.read_only or op.idempotent or op.retry_safe
        attempt = 0
        while True:
            await self._pace()
            response = await self.client.request(
                request.method,
                request.url,
                params=request.params or None,
                headers=request.headers,
                json=request.json,
                data=request.data,
                files=request.files,
                content=request.content,
            )
            wait = _retry_after(response)
            if response.status_code in RETRY_STATUSES and may_retry and attempt < self.settings.max_retries:
                delay = min(self.settings.max_retry_wait, wait if wait is not None else 2**attempt) + random.uniform(
                    0, 0.25
                )
                if delay <= self.settings.max_retry_wait:
                    attempt += 1
                    await asyncio.sleep(delay)
                    continue
            return self._shape(op, response, secrets, attempt)

    async def _pace(self) -> None:
        if self.settings.max_rps <= 0:
            return
        async with self._slot_lock:
            now = time.monotonic()
            slot = max(now, self._next_slot)
            self._next_slot = slot + 1.0 / self.settings.max_rps
        if slot > now:
            await asyncio.sleep(slot - now)

    def _shape(
        self, op: Operation, response: httpx2.Response, secrets: tuple[str, ...], retries: int
    ) -> CallToolResult:
        meta = _rate_meta(response)
        if retries:
            meta["retries"] = retries
        if response.status_code >= 400:
            return self._failure(op, response, secrets, meta)
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        body = response.content
        if not body:
            return results.success({"status": response.status_code, "body": None}, meta=meta or None)
        if "json" in media or (not media and body[:1] in (b"{", b"[")):
            try:
                data = json.loads(body)
            except ValueError:
                return results.error(
                    f"the vendor answered {response.status_code} with invalid JSON",
                    hint="try again; if it persists, report it to the vendor",
                )
            return self._sized(data, body, meta)
        if downloads.is_file(media, response.headers):
            folder, media = self.settings.output_dir, media or "application/octet-stream"
            return downloads.saved(folder, body, media, response.headers, op, meta)
        return self._sized(response.text, body, meta)

    def _sized(self, data: Any, body: bytes, meta: dict[str, Any]) -> CallToolResult:
        cap = self.settings.max_response_bytes
        if len(body) <= cap:
            return results.success(data, meta=meta or None)
        path = self._write(body, ".json" if not isinstance(data, str) else ".txt")
        head = body[:cap].decode("utf-8", "ignore")
        summary = {"truncated": True, "size_bytes": len(body), "full_body_path": str(path), "preview": head}
        return results.success(summary, meta={**meta, "truncated": True})

    def _write(self, body: bytes, suffix: str) -> Path:
        folder = self.settings.output_dir
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (hashlib.sha256(body).hexdigest()[:16] + suffix)
        path.write_bytes(body)
        return path.resolve()

    def _failure(
        self, op: Operation, response: httpx2.Response, secrets: tuple[str, ...], meta: dict[str, Any]
    ) -> CallToolResult:
        status = response.status_code
        vendor_message, request_id = _vendor_error(response)
        wait = _retry_after(response)
        when = f"{wait:.0f} s" if wait is not None else "a little"
        scopes = f" (it needs scope {', '.join(op.scopes)})" if op.scopes else ""
        default = "the vendor failed; try again later" if status >= 500 else "check the arguments"
        hint = HINTS.get(status, default).format(prefix=self.vendor.env_prefix, scopes=scopes, wait=when)
        text = f"{self.vendor.title} answered HTTP {status} to {op.method} {op.path}"
        if vendor_message:
            text += f": {vendor_message}"
        if request_id:
            text += f" (request id {request_id})"
        details = {"status": status, "request_id": request_id, "retry_after_s": wait}
        return results.error(results.redact(text, secrets), hint=hint, meta=meta or None, details=details)


def _retry_after(response: httpx2.Response) -> float | None:
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def _rate_meta(response: httpx2.Response) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for name, sources in RATE_HEADERS.items():
        value = next((response.headers[s] for s in sources if s in response.headers), None)
        if value is not None:
            meta[name] = value
    return {"ratelimit": meta} if meta else {}


def _vendor_error(response: httpx2.Response) -> tuple[str, str | None]:
    try:
        data = response.json()
    except ValueError:
        return response.text[:300].strip(), response.headers.get("x-request-id")
    if not isinstance(data, dict):
        return str(data)[:300], None
    request_id = data.get("requestId") or data.get("request_id") or response.headers.get("x-request-id")
    message = data.get("errors") or data.get("error") or data.get("message") or data.get("detail") or ""
    if isinstance(message, list | dict):
        message = json.dumps(message, ensure_ascii=False)[:300]
    return str(message)[:300], str(request_id) if request_id else None
