"""The one place that talks to the vendor: send a request, retry what may be retried, shape the result."""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

import httpx2
from mcp.types import CallToolResult

from . import auth, downloads, events, faults, pagination, results, workflows
from .contract import MAX_PAGES, META_PAGINATION, META_RETRIES, Operation, Vendor
from .progress import Progress
from .request import BadArgument, Request, build
from .settings import Settings
from .uploads import UploadError


class Exchange(NamedTuple):
    """The final answer, how many retries it took, and where a file answer was saved (its body is not read)."""

    response: httpx2.Response
    retries: int
    saved: Path | None = None


OCTETS = "application/octet-stream"
# The request never left (no connection): sending it again is safe for any call.
NOT_SENT = (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout)
# It may have arrived (the answer was lost or late): only reads and idempotent calls are sent again.
LOST = (httpx2.ReadTimeout, httpx2.ReadError, httpx2.WriteTimeout, httpx2.WriteError, httpx2.RemoteProtocolError)


class GaveUp(Exception):
    """No answer came: the last transport error, and how many retries were made before it."""

    def __init__(self, cause: Exception, retries: int) -> None:
        super().__init__(str(cause))
        self.cause, self.retries = cause, retries


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
        results.scrub_logs(tuple(settings.env.get(var, "") for scheme in vendor.auth for var in scheme.env))

    @property
    def client(self) -> httpx2.AsyncClient:
        """One pooled client per server, made on first use (inside the running event loop)."""
        if self._client is None:
            timeout = httpx2.Timeout(self.settings.read_timeout, connect=self.settings.connect_timeout)
            self._client = httpx2.AsyncClient(timeout=timeout, transport=self._transport, trust_env=False)
        return self._client

    async def call(self, op: Operation, args: dict[str, Any], progress: Progress | None = None) -> CallToolResult:
        """Check, build, send, retry and shape one call (or several pages); never raises.

        ``progress`` hears how a followed job or a run of pages goes (the tool call's progress token).
        """
        if workflows.involved(op):
            return await workflows.run(self, op, args, progress)
        args = dict(args)
        max_pages = args.pop(MAX_PAGES, None)
        try:
            creds = auth.resolve(self.vendor.auth, self.settings.env)
        except auth.MissingCredentials as exc:
            return results.error(str(exc), hint="set the variable(s) in the server's environment and restart it")
        refusal = self._refusal(op)
        if refusal is not None:
            return refusal
        if max_pages and op.cursor_arg:
            return await pagination.collect(self, op, args, creds, int(max_pages), progress)
        outcome = await self.exchange(op, args, creds)
        if isinstance(outcome, CallToolResult):
            return outcome
        return self.shape(op, outcome, creds)

    async def exchange(self, op: Operation, args: dict[str, Any], creds: auth.Credentials) -> Exchange | CallToolResult:
        """Build and send one request (with retries); a tool error if it cannot be built or sent."""
        try:
            base_url = self.settings.url_for(op.server_url)
            request = build(op, base_url, args, self.settings.env, self.settings.upload_root)
        except (BadArgument, UploadError) as exc:
            if op.credits:
                self.credits_spent -= 1  # nothing was sent: the credit call reserved by _refusal is not spent
            return results.error(str(exc), hint="fix that argument and call again")
        request.headers.update(creds.headers)
        request.params.extend(creds.params.items())
        try:
            return await self._send(op, request)
        except GaveUp as exc:
            return faults.unreachable(self.vendor, op, request.url, exc.cause, secrets(creds), exc.retries)
        except downloads.TooLarge:
            limit = self.settings.max_download_bytes
            return results.error(
                f"{self.vendor.title} answered {op.method} {op.path} with a file over {limit:,} bytes, the download "
                "limit; nothing was kept",
                hint=f"raise {self.vendor.env_prefix}_MAX_DOWNLOAD_BYTES if it should be saved",
            )
        except OSError as exc:
            return results.error(f"cannot send {op.method} {op.path}: {exc}", hint="check the file arguments")
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

    async def _send(self, op: Operation, request: Request) -> Exchange:
        """Send, and retry with capped, jittered backoff: reads and idempotent calls on 429/503 and on a lost
        answer (a read timeout, a dropped connection); any call when the connection could not be made."""
        may_retry = op.read_only or op.idempotent or op.retry_safe
        slept = 0.0
        attempt = 0
        while True:
            await self._pace()
            try:
                response = await self.client.send(
                    self.client.build_request(
                        request.method,
                        request.url,
                        params=request.params or None,
                        headers=request.headers,
                        json=request.json,
                        data=request.data,
                        files=request.files,
                        content=request.content,
                    ),
                    stream=True,
                )
                retry = response.status_code in faults.RETRY_STATUSES and may_retry
                delay = self._backoff(attempt, faults.retry_after(response.headers), slept) if retry else None
                if delay is None:
                    return await self._receive(response, attempt)
                await response.aclose()
            except (httpx2.HTTPError, httpx2.InvalidURL) as exc:
                resend = isinstance(exc, NOT_SENT) or (may_retry and isinstance(exc, LOST))
                delay = self._backoff(attempt, None, slept) if resend else None
                if delay is None:
                    raise GaveUp(exc, attempt) from exc
            attempt += 1
            slept += delay
            await asyncio.sleep(delay)
            _rewind(request)

    async def _receive(self, response: httpx2.Response, retries: int) -> Exchange:
        """Read the answer: a file goes to disk as it arrives (up to the download limit), the rest into memory."""
        try:
            media = _media(response)
            if response.status_code < 400 and downloads.is_file(media, response.headers):
                folder, limit = self.settings.output_dir, self.settings.max_download_bytes
                hint = downloads.filename(response.headers)
                saved = await downloads.store_stream(folder, response.aiter_bytes(), media or OCTETS, hint, limit)
                return Exchange(response, retries, saved)
            await response.aread()
            return Exchange(response, retries)
        finally:
            await response.aclose()

    def _backoff(self, attempt: int, asked: float | None, slept: float) -> float | None:
        """How long to sleep before the next try, or None when retries or the wait budget are spent."""
        if attempt >= self.settings.max_retries:
            return None
        base = asked if asked is not None else 0.5 * 2**attempt
        delay = base + random.uniform(0, 0.1 + base / 10)  # never earlier than asked; spread the herd
        budget = self.settings.max_retry_wait - slept
        if base > budget:
            return None
        return min(delay, budget)

    async def _pace(self) -> None:
        if self.settings.max_rps <= 0:
            return
        async with self._slot_lock:
            now = time.monotonic()
            slot = max(now, self._next_slot)
            self._next_slot = slot + 1.0 / self.settings.max_rps
        if slot > now:
            await asyncio.sleep(slot - now)

    def shape(self, op: Operation, exchange: Exchange, creds: auth.Credentials) -> CallToolResult:
        """The tool result for one upstream answer: an error, JSON, text, or a saved file."""
        response, retries = exchange.response, exchange.retries
        if response.status_code >= 400:
            return faults.failure(self.vendor, op, response, secrets(creds), retries)
        meta: dict[str, Any] = dict(faults.rate_meta(response.headers))
        if retries:
            meta[META_RETRIES] = retries
        media = _media(response)
        if exchange.saved is not None:
            return downloads.saved(exchange.saved, media or OCTETS, response.headers, op, meta)
        body = response.content
        if media == events.MEDIA:
            return self.sized(events.collected(response.text), meta)
        if not body:
            return results.success({"status": response.status_code, "body": None}, meta=meta)
        if "json" in media or (not media and body[:1] in (b"{", b"[")):
            try:
                data = json.loads(body)
            except ValueError:
                return results.error(
                    f"{self.vendor.title} answered {response.status_code} to {op.method} {op.path} with invalid JSON "
                    f"({len(body)} bytes starting {body[:40]!r})",
                    hint="try again; if it persists, report it to the vendor",
                    details={"status": response.status_code},
                )
            if op.cursor_arg and isinstance(data, dict):
                cursor = pagination.next_cursor(op, data)
                meta[META_PAGINATION] = {"pages_read": 1, "more": cursor is not None, "next_cursor": cursor}
                return self.sized(data, meta, pagination.note(op, cursor), body)
            return self.sized(data, meta, "", body)
        return self.sized(response.text, meta, "", body)

    def sized(self, data: Any, meta: dict[str, Any], note: str = "", body: bytes | None = None) -> CallToolResult:
        """``data`` as a result, or a truncated view plus a saved file when it is over the size cap."""
        if body is None:
            text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            body = text.encode("utf-8")
        cap = self.settings.max_response_bytes
        if len(body) <= cap:
            return results.success(data, meta=meta, note=note)
        media = "text/plain" if isinstance(data, str) else "application/json"
        return results.truncated(body, cap=cap, folder=self.settings.output_dir, media_type=media, meta=meta, note=note)


def _media(response: httpx2.Response) -> str:
    """The answer's media type, lower-case, without parameters ('' when not given)."""
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def secrets(creds: auth.Credentials) -> tuple[str, ...]:
    """Every credential value to scrub: the raw values and the header values built from them."""
    built = [v for v in creds.headers.values()] + [v.split(" ", 1)[-1] for v in creds.headers.values()]
    return (*creds.secrets, *built, *creds.params.values())


def _rewind(request: Request) -> None:
    """Files sent by the failed try are read to the end; start them over for the retry."""
    for _, (_, handle, _) in request.files or []:
        if hasattr(handle, "seek"):
            handle.seek(0)
