"""Binary answers (audio, zip, csv, linked artifacts) → a file under the output folder, never base64 in context.

The result names the path, media type and size, and carries a ``resource_link`` to the file.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx2
from mcp.types import CallToolResult, ResourceLink, TextContent

from . import results
from .contract import Download, Operation
from .jobs import dig

if TYPE_CHECKING:
    from .gateway import Gateway

FILE_TYPES = ("text/csv", "application/csv")  # text, but a download: often large, meant for a program
SUFFIXES = {"application/zip": ".zip", "text/csv": ".csv", "application/csv": ".csv", "audio/mpeg": ".mp3"}
_FILENAME = re.compile(r"""filename\*?=(?:UTF-8'')?["']?([^"';]+)""", re.I)


def is_file(media: str, headers: Any) -> bool:
    """Whether an answer is a file to save rather than text to show."""
    disposition = str(headers.get("content-disposition", "")).lower()
    if disposition.startswith("attachment") or media in FILE_TYPES:
        return True
    return not (media.startswith("text/") or "json" in media or "xml" in media or media.endswith("yaml"))


def filename(headers: Any) -> str | None:
    """The file name a ``Content-Disposition`` header suggests (its last path part), if any."""
    match = _FILENAME.search(str(headers.get("content-disposition", "")))
    return Path(match.group(1)).name if match else None


def saved(path: Path, media: str, headers: Any, op: Operation, meta: dict[str, Any]) -> CallToolResult:
    """The result for a file answer the gateway has already streamed to ``path``."""
    hint = filename(headers)
    return _result(path, media, path.stat().st_size, op.name, {"filename": hint} if hint else {}, meta)


async def fetch(gateway: Gateway, op: Operation, link: Download, first: CallToolResult) -> CallToolResult:
    """Follow the URL in a JSON answer (a signed link, sent without credentials) and save the bytes."""
    data = first.structured_content or {}
    url = dig(data, link.url_field)
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        return first
    media = str(dig(data, link.media_type_field or "") or "") or "application/octet-stream"
    hint = str(dig(data, link.filename_field or "") or "") or None
    facts = {k: v for k, v in data.items() if k != link.url_field.split(".")[0]}
    limit = gateway.settings.max_download_bytes
    try:
        async with gateway.client.stream("GET", url, follow_redirects=True) as response:
            if response.status_code >= 400:
                return results.error(
                    f"the download link answered HTTP {response.status_code}",
                    hint=f"links expire quickly: call {op.name} again for a fresh one",
                )
            media = response.headers.get("content-type", media).split(";")[0].strip() or media
            path = await store_stream(gateway.settings.output_dir, response.aiter_bytes(), media, hint, limit)
    except httpx2.HTTPError as exc:
        return results.error(f"cannot fetch the download link: {type(exc).__name__}", hint="try again later")
    except TooLarge:
        return results.error(
            f"the file is over {limit:,} bytes, the download limit",
            hint=f"raise {gateway.vendor.env_prefix}_MAX_DOWNLOAD_BYTES if it should be saved",
        )
    return _result(path, media, path.stat().st_size, op.name, facts, first.meta)


class TooLarge(Exception):
    """A file answer went over the download limit; its partial file is already deleted."""


def _suffix(media: str, hint: str | None) -> str:
    suffix = Path(hint).suffix if hint else ""
    if re.fullmatch(r"\.[A-Za-z0-9]{1,8}", suffix):
        return suffix.lower()
    return SUFFIXES.get(media) or mimetypes.guess_extension(media) or ".bin"


async def store_stream(folder: Path, chunks: AsyncIterator[bytes], media: str, hint: str | None, limit: int) -> Path:
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
    return _settle(scratch, digest, media, hint)


def _settle(scratch: Path, digest: Any, media: str, hint: str | None) -> Path:
    path = (scratch.parent / (digest.hexdigest()[:16] + _suffix(media, hint))).resolve()
    os.replace(scratch, path)
    return path


def _result(
    path: Path, media: str, size: int, tool: str, facts: dict[str, Any], meta: dict[str, Any] | None
) -> CallToolResult:
    data = {**facts, "saved_to": str(path), "media_type": media, "size_bytes": size, "tool": tool}
    link = ResourceLink(type="resource_link", uri=path.as_uri(), name=path.name, mime_type=media, size=size)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return CallToolResult(content=[TextContent(type="text", text=text), link], structured_content=data, meta=meta)
