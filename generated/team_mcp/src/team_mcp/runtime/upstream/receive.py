"""Reading an answer in chunks, never whole: a file goes to disk as it arrives (hashed, up to a limit); other
answers are held in memory up to a cap, and past it go to disk the same way; all within a deadline. An answer
with no body (a 204) is read as an empty body, whatever its media type says: there is no file to save."""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
import os
import re
import uuid
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx2

from ..failures import NotSaved, ResponseTooLarge, TooSlow
from .exchange import Exchange

OCTETS = "application/octet-stream"
FILE_TYPES = ("text/csv", "application/csv")  # text, but a download: often large, meant for a program
SUFFIXES = {"application/zip": ".zip", "text/csv": ".csv", "application/csv": ".csv", "audio/mpeg": ".mp3"}
HELD_BYTES = 8 * 1024 * 1024  # an answer larger than this (or than the response cap) goes to a file, not memory
_FILENAME = re.compile(r"""filename\*?=(?:UTF-8'')?["']?([^"';]+)""", re.I)
T = TypeVar("T")


@dataclass(frozen=True)
class ReadBounds:
    """What reading one answer may take: bytes in memory, bytes on disk (under ``folder``), seconds in all."""

    folder: Path
    held: int
    saved: int
    seconds: float


def media(response: httpx2.Response) -> str:
    """The answer's media type, lower-case, without parameters ('' when not given)."""
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def is_file(media_type: str, headers: Any) -> bool:
    """Whether an answer is a file to save rather than text to show."""
    disposition = str(headers.get("content-disposition", "")).lower()
    if disposition.startswith("attachment") or media_type in FILE_TYPES:
        return True
    textual = media_type.startswith("text/") or media_type.endswith("yaml")
    return not (textual or "json" in media_type or "xml" in media_type)


def is_redirect(status: int) -> bool:
    """A 3xx: never followed (the vendor's credentials would go with it), and its body never read."""
    return 300 <= status < 400


def filename(headers: Any) -> str | None:
    """The file name a ``Content-Disposition`` header suggests (its last path part), if any."""
    match = _FILENAME.search(str(headers.get("content-disposition", "")))
    return Path(match.group(1)).name if match else None


async def within(seconds: float, work: Awaitable[T]) -> T:
    """``work``'s result, or ``TooSlow`` when it takes longer than ``seconds``."""
    try:
        async with asyncio.timeout(seconds):  # asyncio's own: a third of the CPU of an anyio cancel scope per call
            return await work
    except TimeoutError:
        raise TooSlow(seconds) from None


async def receive(response: httpx2.Response, retries: int, bounds: ReadBounds) -> Exchange:
    """Read the answer within ``bounds`` and close it. Raises ``ResponseTooLarge``, ``TooSlow`` or ``NotSaved``."""
    try:
        return await within(bounds.seconds, _read(response, retries, bounds))
    finally:
        await response.aclose()


async def _read(response: httpx2.Response, retries: int, bounds: ReadBounds) -> Exchange:
    kind, status = media(response), response.status_code
    if is_redirect(status):
        return Exchange(response, retries)
    chunks = response.aiter_bytes()
    if status < 400 and is_file(kind, response.headers):
        first = await anext(chunks, b"")  # a 204, or any answer with no body: an empty success, never an empty file
        if not first:
            return Exchange(response, retries)
        saved = await _store(bounds, _joined(first, chunks), kind or OCTETS, filename(response.headers))
        return Exchange(response, retries, saved)
    head, more = await held(chunks, bounds.held)
    if not more or status >= 400:  # an error's first bytes say enough; the rest is left unread
        return Exchange(response, retries, body=head)
    saved = await _store(bounds, _joined(head, chunks), kind or "text/plain", None)
    return Exchange(response, retries, saved, head, spilled=True)


async def _store(bounds: ReadBounds, chunks: AsyncIterator[bytes], media_type: str, hint: str | None) -> Path:
    try:
        return await store_stream(bounds.folder, chunks, media_type, hint, bounds.saved)
    except OSError as exc:
        raise NotSaved(exc, str(bounds.folder)) from exc


async def held(chunks: AsyncIterator[bytes], cap: int) -> tuple[bytes, bool]:
    """Read until the end or past ``cap`` bytes: what was read, and whether more may follow."""
    buffer = bytearray()
    async for chunk in chunks:
        buffer += chunk
        if len(buffer) > cap:
            return bytes(buffer), True
    return bytes(buffer), False


async def _joined(head: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    yield head
    async for chunk in rest:
        yield chunk


def _suffix(media_type: str, hint: str | None) -> str:
    suffix = Path(hint).suffix if hint else ""
    if re.fullmatch(r"\.[A-Za-z0-9]{1,8}", suffix):
        return suffix.lower()
    return SUFFIXES.get(media_type) or mimetypes.guess_extension(media_type) or ".bin"


async def store_stream(
    folder: Path, chunks: AsyncIterator[bytes], media_type: str, hint: str | None, limit: int
) -> Path:
    """Write chunks to a scratch file as they arrive, hashing them, then move it to ``<hash><suffix>``."""
    scratch = _scratch(folder)
    digest, size = hashlib.sha256(), 0
    try:
        with scratch.open("wb") as out:
            async for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise ResponseTooLarge(limit)
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        scratch.unlink(missing_ok=True)
        raise
    return _settled(scratch, folder, digest.hexdigest(), _suffix(media_type, hint))


def save_body(body: bytes, suffix: str, folder: Path) -> Path:
    """Write a body already in memory under ``folder`` the way ``store_stream`` writes one that streams: a scratch
    file moved to ``<hash><suffix>`` (the same body, the same file). For a result too large to show whole."""
    scratch = _scratch(folder)
    try:
        scratch.write_bytes(body)
    except BaseException:
        scratch.unlink(missing_ok=True)
        raise
    return _settled(scratch, folder, hashlib.sha256(body).hexdigest(), suffix)


def _scratch(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f".download-{uuid.uuid4().hex}.part"


def _settled(scratch: Path, folder: Path, digest: str, suffix: str) -> Path:
    path = (folder / (digest[:16] + suffix)).resolve()
    os.replace(scratch, path)
    return path
