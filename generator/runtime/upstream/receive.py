"""Reading an answer: a file goes to disk as it arrives (hashed, up to a limit), anything else into memory."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx2

from .exchange import Exchange, TooLarge

OCTETS = "application/octet-stream"
FILE_TYPES = ("text/csv", "application/csv")  # text, but a download: often large, meant for a program
SUFFIXES = {"application/zip": ".zip", "text/csv": ".csv", "application/csv": ".csv", "audio/mpeg": ".mp3"}
_FILENAME = re.compile(r"""filename\*?=(?:UTF-8'')?["']?([^"';]+)""", re.I)


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


def filename(headers: Any) -> str | None:
    """The file name a ``Content-Disposition`` header suggests (its last path part), if any."""
    match = _FILENAME.search(str(headers.get("content-disposition", "")))
    return Path(match.group(1)).name if match else None


async def receive(response: httpx2.Response, retries: int, folder: Path, limit: int) -> Exchange:
    """Read the answer and close it: a file is streamed under ``folder``, the rest read into memory."""
    try:
        kind = media(response)
        if response.status_code < 400 and is_file(kind, response.headers):
            hint = filename(response.headers)
            saved = await store_stream(folder, response.aiter_bytes(), kind or OCTETS, hint, limit)
            return Exchange(response, retries, saved)
        await response.aread()
        return Exchange(response, retries)
    finally:
        await response.aclose()


def _suffix(media_type: str, hint: str | None) -> str:
    suffix = Path(hint).suffix if hint else ""
    if re.fullmatch(r"\.[A-Za-z0-9]{1,8}", suffix):
        return suffix.lower()
    return SUFFIXES.get(media_type) or mimetypes.guess_extension(media_type) or ".bin"


async def store_stream(
    folder: Path, chunks: AsyncIterator[bytes], media_type: str, hint: str | None, limit: int
) -> Path:
    """Write chunks to a scratch file as they arrive, hashing them, then move it to ``<hash><suffix>``."""
    folder.mkdir(parents=True, exist_ok=True)
    scratch = folder / f".download-{uuid.uuid4().hex}.part"
    digest, size = hashlib.sha256(), 0
    try:
        with scratch.open("wb") as out:
            async for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise TooLarge
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        scratch.unlink(missing_ok=True)
        raise
    path = (folder / (digest.hexdigest()[:16] + _suffix(media_type, hint))).resolve()
    os.replace(scratch, path)
    return path
