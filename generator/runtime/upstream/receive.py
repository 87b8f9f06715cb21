"""Reading an answer in chunks, never whole: a file goes to disk as it arrives (hashed, up to a limit); other
answers are held in memory up to a cap, and past it go to disk the same way; all within a deadline. An answer
with no body (a 204) is read as an empty body, whatever its media type says: there is no file to save.

What is saved is bounded (``Keeping``): all saved answers together under a byte total (the oldest deleted first)
and for a retention time; a compressed answer is measured by what it unpacks to, and one that unpacks to more than
``MAX_RATIO`` times its size (a compression bomb) is stopped as soon as that shows. A save that fails leaves no
file behind and raises ``NotSaved`` with the reason."""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
import os
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx2

from ..failures import NotSaved, ResponseTooLarge, TooCompressed, TooSlow
from ..setting_table import DEFAULTS
from ..settings import Settings
from .exchange import Exchange

OCTETS = "application/octet-stream"
FILE_TYPES = ("text/csv", "application/csv")  # text, but a download: often large, meant for a program
SUFFIXES = {"application/zip": ".zip", "text/csv": ".csv", "application/csv": ".csv", "audio/mpeg": ".mp3"}
HELD_BYTES = 8 * 1024 * 1024  # an answer larger than this (or than the response cap) goes to a file, not memory
MAX_RATIO = 200  # unpacked bytes per byte received past which a compressed answer is a bomb
RATIO_AFTER = 1_000_000  # unpacked bytes before the ratio is judged (a small answer may pack very well)
SCRATCH = ".download-"  # a save in progress; one left behind by a killed process is deleted once it is old
SAVED = re.compile(r"[0-9a-f]{16}\.[A-Za-z0-9]{1,8}")  # a saved answer's name (``_settled``): the only files counted
_FILENAME = re.compile(r"""filename\*?=(?:UTF-8'')?["']?([^"';]+)""", re.I)
T = TypeVar("T")


@dataclass(frozen=True)
class Keeping:
    """How much the output folder keeps: all saved answers together (bytes), and for how long (seconds, 0: no
    limit)."""

    total: int = DEFAULTS["output_max_bytes"]
    seconds: float = DEFAULTS["output_retention_days"] * 86_400

    @classmethod
    def of(cls, settings: Settings) -> Keeping:
        """From the settings' ``output_max_bytes`` and ``output_retention_days``."""
        return cls(settings.output_max_bytes, settings.output_retention_days * 86_400)


@dataclass(frozen=True)
class ReadBounds:
    """What reading one answer may take: bytes in memory, bytes on disk (under ``folder``), seconds in all; and
    what the folder keeps."""

    folder: Path
    held: int
    saved: int
    seconds: float
    keeping: Keeping = field(default_factory=Keeping)


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
        saved = await _store(bounds, response, _joined(first, chunks), kind or OCTETS, filename(response.headers))
        return Exchange(response, retries, saved)
    head, more = await held(chunks, bounds.held)
    if not more or status >= 400:  # an error's first bytes say enough; the rest is left unread
        return Exchange(response, retries, body=head)
    saved = await _store(bounds, response, _joined(head, chunks), kind or "text/plain", None)
    return Exchange(response, retries, saved, head, spilled=True)


async def _store(
    bounds: ReadBounds, response: httpx2.Response, chunks: AsyncIterator[bytes], media_type: str, hint: str | None
) -> Path:
    return await store_stream(
        bounds.folder, chunks, media_type, hint, bounds.saved, bounds.keeping, lambda: response.num_bytes_downloaded
    )


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
    folder: Path,
    chunks: AsyncIterator[bytes],
    media_type: str,
    hint: str | None,
    limit: int,
    keeping: Keeping | None = None,
    received: Callable[[], int] | None = None,
) -> Path:
    """Write chunks to a scratch file as they arrive, hashing them, then move it to ``<hash><suffix>``; the folder
    then keeps ``keeping``. ``received`` counts the bytes that came over the wire (for a compressed answer, fewer
    than ``chunks`` unpack to).

    Raises ``ResponseTooLarge`` past ``limit`` (or the folder's total), ``TooCompressed`` for a compression bomb,
    ``NotSaved`` when the folder cannot take it; the scratch file is deleted in every case.
    """
    keeping = keeping or Keeping()
    most, variable = (limit, "MAX_DOWNLOAD_BYTES") if limit <= keeping.total else (keeping.total, "OUTPUT_MAX_BYTES")
    digest, size = hashlib.sha256(), 0
    with _saving(folder, keeping) as scratch, scratch.open("wb") as out:
        async for chunk in chunks:
            size += len(chunk)
            if size > most:
                raise ResponseTooLarge(most, variable)
            if received is not None and size > RATIO_AFTER and size > MAX_RATIO * max(1, received()):
                raise TooCompressed(received(), size, MAX_RATIO)
            digest.update(chunk)
            out.write(chunk)
    return _settled(scratch, folder, digest.hexdigest(), _suffix(media_type, hint), keeping)


def save_body(body: bytes, suffix: str, folder: Path, keeping: Keeping | None = None) -> Path:
    """Write a body already in memory under ``folder`` the way ``store_stream`` writes one that streams: a scratch
    file moved to ``<hash><suffix>`` (the same body, the same file). For a result too large to show whole.
    ``NotSaved`` (no file left behind) when the folder cannot take it."""
    keeping = keeping or Keeping()
    if len(body) > keeping.total:
        raise NotSaved(OSError(f"{len(body):,} bytes are more than {keeping.total:,}, the output cap"), str(folder))
    with _saving(folder, keeping) as scratch:
        scratch.write_bytes(body)
    return _settled(scratch, folder, hashlib.sha256(body).hexdigest(), suffix, keeping)


@contextmanager
def _saving(folder: Path, keeping: Keeping) -> Iterator[Path]:
    """A scratch file under ``folder``, deleted if the save fails; an ``OSError`` becomes ``NotSaved``."""
    scratch = folder / f"{SCRATCH}{uuid.uuid4().hex}.part"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        kept(folder, keeping)
        yield scratch
    except BaseException as exc:
        _gone(scratch)
        if isinstance(exc, OSError):
            raise NotSaved(exc, str(folder)) from exc
        raise


def _settled(scratch: Path, folder: Path, digest: str, suffix: str, keeping: Keeping) -> Path:
    path = (folder / (digest[:16] + suffix)).resolve()
    try:
        os.replace(scratch, path)
        kept(folder, keeping, path)
    except OSError as exc:
        _gone(scratch)
        raise NotSaved(exc, str(folder)) from exc
    return path


def kept(folder: Path, keeping: Keeping, new: Path | None = None) -> None:
    """Delete saved answers past the retention time, then the oldest until all of them fit under the total
    (never ``new``, the one just saved); scratch files of saves still running are left alone, stale ones go.
    Only files named as this module names them count: anything else a person keeps in the folder is theirs."""
    now, files = time.time(), []
    with os.scandir(folder) as entries:
        ours = [e for e in entries if e.name.startswith(SCRATCH) or SAVED.fullmatch(e.name)]
    for entry in ours:
        if not entry.is_file(follow_symlinks=False):
            continue
        stat = entry.stat(follow_symlinks=False)
        age, scratch = now - stat.st_mtime, entry.name.startswith(SCRATCH)
        if (keeping.seconds and age > keeping.seconds) or (scratch and age > DEFAULTS["answer_timeout"] * 2):
            _gone(Path(entry.path))
        elif not scratch:
            files.append((stat.st_mtime, stat.st_size, Path(entry.path)))
    total = sum(size for _, size, _ in files)
    for _, size, path in sorted(files):
        if total <= keeping.total:
            break
        if new is None or path != new:
            _gone(path)
            total -= size


def sweep(folder: Path, keeping: Keeping) -> None:
    """``kept`` at a server's start, so that a server that saves nothing more still lets old answers go; a folder
    that is not there, or cannot be read, is left for the first save to report."""
    with suppress(OSError):
        kept(folder, keeping)


def _gone(path: Path) -> None:
    with suppress(OSError):
        path.unlink(missing_ok=True)
