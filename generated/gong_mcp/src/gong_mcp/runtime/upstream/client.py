"""The one place that talks to the vendor: pace, send, retry what may be retried, receive the answer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import httpx2

from ..failures import GaveUp, LinkFailed, Refused
from ..settings import Settings
from ..wire.request import Request
from . import retry
from .exchange import Exchange
from .limits import DAY, RateLimits
from .receive import HELD_BYTES, Keeping, ReadBounds, receive, store_stream, within

# Told of every answer (None: no answer came) and whether it will be retried: the call's record.
Listener = Callable[[httpx2.Response | None, bool], None]


class Upstream:
    """One pooled HTTP client per server, its limits, and the retry loop; knows nothing of tools or policy."""

    def __init__(
        self, settings: Settings, limits: RateLimits, transport: httpx2.AsyncBaseTransport | None = None
    ) -> None:
        self.settings = settings
        self.limits = limits  # pace, daily quota, credits: this process's, or a store's that replicas share
        self._transport = transport
        self._client: httpx2.AsyncClient | None = None

    @property
    def client(self) -> httpx2.AsyncClient:
        """Made on first use (inside the running event loop)."""
        if self._client is None:
            timeout = httpx2.Timeout(self.settings.read_timeout, connect=self.settings.connect_timeout)
            self._client = httpx2.AsyncClient(timeout=timeout, transport=self._transport, trust_env=False)
        return self._client

    async def send(self, request: Request, may_retry: bool, heard: Listener | None = None) -> Exchange:
        """Send, and retry with capped, jittered backoff: on 429/503 and on a lost answer (a read timeout, a
        dropped connection) when ``may_retry``; any call when the connection could not be made. ``heard`` is
        told of every answer (the call's record).

        Raises ``Refused`` before a request the limits do not allow, ``GaveUp`` when no answer came,
        ``ResponseTooLarge`` when an answer is over the download limit, ``TooSlow`` past the answer deadline,
        ``NotSaved`` when an answer too large for memory cannot be written to disk.
        """
        slept, attempt = 0.0, 0
        while True:
            built = self._built(request)  # before the send slot, so that nothing slow stands between slot and send
            try:
                day = await self.limits.admit()
            except Refused as refused:
                refused.tries = attempt
                raise
            try:
                response = await self.client.send(built, stream=True)
                asked = retry.retry_after(response.headers)
                again = response.status_code in retry.RETRY_STATUSES and may_retry
                delay = self._backoff(attempt, asked, slept) if again else None
                if heard is not None:
                    heard(response, delay is not None)
                if delay is None:
                    return await self._receive(response, attempt)
                await response.aclose()
            except (httpx2.HTTPError, httpx2.InvalidURL) as exc:
                if not retry.sent(exc):
                    await self.limits.unsent(DAY, day)
                delay = self._backoff(attempt, None, slept) if retry.resend(exc, may_retry) else None
                if heard is not None:
                    heard(None, delay is not None)
                if delay is None:
                    raise GaveUp(exc, attempt, request.url) from exc
            attempt, slept = attempt + 1, slept + delay
            await asyncio.sleep(delay)
            retry.rewind(request)

    async def download(self, url: str, media_type: str, hint: str | None) -> tuple[Path, str]:
        """GET a link (no credentials: it is signed) and stream it to disk; the saved path and its media type.

        Raises ``LinkFailed`` on an HTTP error status, ``ResponseTooLarge`` over the limit, ``TooCompressed`` for a
        compression bomb, ``NotSaved`` when it cannot be written, ``TooSlow`` past the answer deadline,
        ``httpx2.HTTPError`` otherwise.
        """
        return await within(self.settings.answer_timeout, self._fetch(url, media_type, hint))

    @property
    def bounds(self) -> ReadBounds:
        """What reading one answer may take: memory, disk and time."""
        held = max(self.settings.max_response_bytes, HELD_BYTES)
        settings = self.settings
        return ReadBounds(
            settings.output_dir, held, settings.max_download_bytes, settings.answer_timeout, Keeping.of(settings)
        )

    async def _fetch(self, url: str, media_type: str, hint: str | None) -> tuple[Path, str]:
        async with self.client.stream("GET", url, follow_redirects=True) as response:
            if response.status_code >= 400:
                raise LinkFailed(response.status_code)
            media_type = response.headers.get("content-type", media_type).split(";")[0].strip() or media_type
            bounds, chunks = self.bounds, response.aiter_bytes()
            saved = await store_stream(
                bounds.folder, chunks, media_type, hint, bounds.saved, bounds.keeping,
                lambda: response.num_bytes_downloaded,
            )  # fmt: skip
            return saved, media_type

    def _built(self, request: Request) -> httpx2.Request:
        return self.client.build_request(
            request.method,
            request.target(),
            headers=request.headers,
            json=request.json,
            data=request.data,
            files=request.files,
            content=request.content,
        )

    def _backoff(self, attempt: int, asked: float | None, slept: float) -> float | None:
        return retry.backoff(attempt, asked, slept, self.settings.max_retries, self.settings.max_retry_wait)

    async def _receive(self, response: httpx2.Response, retries: int) -> Exchange:
        return await receive(response, retries, self.bounds)
