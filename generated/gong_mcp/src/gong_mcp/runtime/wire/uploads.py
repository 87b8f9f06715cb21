"""File arguments → multipart parts: a local file (streamed, never read whole) or inline content.

A local path must lie in the upload folder (``<PREFIX>_UPLOAD_DIR``, flag ``--upload-dir``; over stdio
``mcp-uploads`` when unset, over HTTP local paths are off unless it is set). The folder is never the working
directory (nor holds it), and the store and the output folder are refused even inside it, symlinks resolved.
Inline content is ``{"content": ..., "encoding": "text" | "base64", "filename": ..., "media_type": ...}``.
The vendor's stated size limit is checked before anything is sent.
"""

from __future__ import annotations

import base64
import binascii
import io
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..contract import Upload
from ..failures import SkillError, UploadError
from ..settings import Settings
from . import skills

SQLITE_SIBLINGS = ("", "-wal", "-shm", "-journal")  # a SQLite store is these files


@dataclass(frozen=True)
class Part:
    """One file to send: its name, media type and size, and where its bytes come from."""

    filename: str
    media_type: str
    size: int
    path: Path | None = None
    data: bytes = b""

    def open(self) -> tuple[str, BinaryIO, str]:
        """The ``(filename, file, media type)`` triple httpx streams; the caller closes the file."""
        if self.path is None:
            return self.filename, io.BytesIO(self.data), self.media_type
        try:
            return self.filename, self.path.open("rb"), self.media_type
        except OSError as exc:
            raise UploadError(f"cannot read {self.path}: {exc.strerror}") from None

    def read_text(self, limit: int) -> str:
        """The whole content as UTF-8 text (for small files only, such as a skill's markdown)."""
        if self.size > limit:
            raise UploadError(f"{self.filename} is {self.size:,} bytes; markdown over {limit:,} bytes is not read")
        raw = self.data if self.path is None else self.path.read_bytes()
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise UploadError(f"{self.filename} is not UTF-8 text") from None


@dataclass(frozen=True)
class Folder:
    """Where local file arguments may be read: ``root`` (None: nowhere, local paths are off), minus ``barred``.

    ``setting`` is the variable that sets the folder, named by every refusal.
    """

    root: Path | None
    setting: str = "UPLOAD_DIR"
    barred: tuple[Path, ...] = ()  # the output folder and the store's files: refused even inside ``root``

    @classmethod
    def of(cls, settings: Settings, env_prefix: str) -> Folder:
        """The upload folder ``settings`` name, barring their output folder and (a SQLite) store."""
        store = () if "://" in settings.store else tuple(Path(settings.store + end) for end in SQLITE_SIBLINGS)
        return cls(settings.upload_dir, f"{env_prefix}_UPLOAD_DIR", (settings.output_dir, *store))

    def problem(self) -> str | None:
        """Why the folder cannot be used at all (it is the working directory or holds it), or None."""
        if self.root is None:
            return None
        root, here = self.root.resolve(), Path.cwd().resolve()
        if here.is_relative_to(root):
            return (
                f"{self.setting} (--upload-dir): {self.root} is the working directory or holds it, where the "
                "server's store and output live; name a folder only for uploads, e.g. mcp-uploads"
            )
        return None

    def file(self, value: str, name: str) -> Path:
        """The file ``value`` (relative to the folder, or absolute inside it) names, symlinks resolved.

        Raises:
            UploadError: local paths are off, or the file is outside the folder, barred, or missing.
        """
        if self.root is None:
            raise UploadError(
                f"argument {name!r}: local file paths are off here (no upload folder); set {self.setting} "
                "(flag --upload-dir) on the server, or send the file inline as {'content': ..., 'encoding': 'base64'}"
            )
        problem = self.problem()
        if problem:
            raise UploadError(f"argument {name!r}: {problem}")
        allowed = self.root.resolve()
        resolved = (allowed / Path(value).expanduser()).resolve()
        if not resolved.is_relative_to(allowed):
            raise UploadError(
                f"argument {name!r}: {value} is outside the upload folder {self.root}; "
                f"move the file there, or start the server with {self.setting} naming the folder it is in"
            )
        if any(resolved.is_relative_to(barred.resolve()) for barred in self.barred):
            raise UploadError(f"argument {name!r}: {value} is the server's store or output; uploads never read those")
        if not resolved.is_file():
            raise UploadError(f"argument {name!r}: no such file {value} (paths are relative to {self.root})")
        return resolved


def part(value: Any, name: str, root: Folder) -> Part:
    """One file argument as a part: a path string, ``{"path": ...}``, or an inline-content object."""
    if isinstance(value, dict) and isinstance(value.get("path"), str):
        return _local(value["path"], name, root)
    if isinstance(value, dict):
        return _inline(value, name)
    if isinstance(value, str) and value:
        return _local(value, name, root)
    raise UploadError(f"argument {name!r} must be a file path or an object with 'content'")


def _local(value: str, name: str, root: Folder) -> Part:
    resolved = root.file(value, name)
    return Part(resolved.name, _guess(resolved.name), resolved.stat().st_size, path=resolved)


def _inline(value: dict[str, Any], name: str) -> Part:
    content, encoding = value.get("content"), value.get("encoding") or "text"
    if not isinstance(content, str):
        raise UploadError(f"argument {name!r}: inline content needs 'content' as a string")
    if encoding == "base64":
        try:
            data = base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            raise UploadError(f"argument {name!r}: 'content' is not valid base64") from None
    elif encoding == "text":
        data = content.encode("utf-8")
    else:
        raise UploadError(f"argument {name!r}: 'encoding' must be 'text' or 'base64', not {encoding!r}")
    filename = str(value.get("filename") or name)
    media_type = str(value.get("media_type") or _guess(filename, "text/plain" if encoding == "text" else None))
    return Part(Path(filename).name or name, media_type, len(data), data=data)


def _guess(filename: str, fallback: str | None = None) -> str:
    return mimetypes.guess_type(filename)[0] or fallback or "application/octet-stream"


def finish(body: dict[str, Any], upload: Upload | None, args: dict[str, str]) -> None:
    """Package skills and check the vendor's size limit over every part of the body, before sending.

    ``args`` maps a body field to the argument the caller gave it under, which an error names.
    """
    if upload is None:
        return
    if upload.skill:
        for key, value in body.items():
            parts = value if isinstance(value, list) else [value]
            if parts and all(isinstance(p, Part) for p in parts):
                body[key] = _skill(parts, args.get(key, key))
    total = sum(p.size for v in body.values() for p in (v if isinstance(v, list) else [v]) if isinstance(p, Part))
    if upload.max_bytes and total > upload.max_bytes:
        raise UploadError(
            f"the upload is {total:,} bytes, over the vendor's limit of {upload.max_bytes:,} bytes; "
            "send a smaller file (or split it)"
        )


def _skill(parts: list[Part], name: str) -> list[Part]:
    """A skill as the vendor wants it: one markdown file is checked and packaged as ``<name>.skill``.

    What is wrong is said of the argument ``name`` the caller passed the files in.
    """
    try:
        if len(parts) == 1 and skills.is_archive(parts[0].filename, parts[0].media_type):
            one = parts[0]
            skills.check_archive(one.path if one.path is not None else io.BytesIO(one.data))
            return parts
        markdown = [p for p in parts if p.filename.upper() == "SKILL.MD" or len(parts) == 1]
        if not markdown:
            raise SkillError("none of the files is SKILL.md; add one with name and description frontmatter")
        text = markdown[0].read_text(skills.MAX_MARKDOWN_BYTES)
        if len(parts) > 1:
            skills.check_markdown(text)
            return parts
        filename, data = skills.package(text)
    except (SkillError, UploadError) as exc:
        raise UploadError(f"argument {name!r} is not a valid skill: {exc}") from None
    return [Part(filename, "application/zip", len(data), data=data)]


BASE64_FILE_LIMIT = 50 * 1024 * 1024  # base64 goes inside a JSON body, read whole: keep it bounded


def read_limit(upload: Upload | None) -> int:
    """How many bytes of one file may be read whole (base64 fields, a whole-body file): the vendor's, else ours."""
    return upload.max_bytes if upload and upload.max_bytes else BASE64_FILE_LIMIT


def whole(one: Part, upload: Upload | None, name: str) -> bytes:
    """A file sent as the whole request body (GitHub's release asset): its bytes, within ``read_limit``."""
    return _read(one, read_limit(upload), name)


def encode_files(body: Any, fields: tuple[tuple[str, ...], ...], root: Folder, upload: Upload | None) -> None:
    """Replace each file object at a base64 field of a JSON body with its base64 text, in place."""
    limit = read_limit(upload)
    for field in fields:
        _encode_at(body, field, root, limit, ".".join(field))


def _encode_at(node: Any, path: tuple[str, ...], root: Folder, limit: int, name: str) -> None:
    head, rest = path[0], path[1:]
    if head == "[]" and isinstance(node, list):
        slots: list[Any] = list(range(len(node)))
    elif head != "[]" and isinstance(node, dict) and head in node:
        slots = [head]
    else:
        return
    for slot in slots:
        if rest:
            _encode_at(node[slot], rest, root, limit, name)
        elif isinstance(node[slot], dict):
            node[slot] = _base64(part(node[slot], name, root), limit, name)


def _base64(one: Part, limit: int, name: str) -> str:
    return base64.b64encode(_read(one, limit, name)).decode("ascii")


def _read(one: Part, limit: int, name: str) -> bytes:
    if one.size > limit:
        raise UploadError(f"argument {name!r}: {one.filename} is {one.size:,} bytes, over the {limit:,}-byte limit")
    try:
        return one.data if one.path is None else one.path.read_bytes()
    except OSError as exc:
        raise UploadError(f"argument {name!r}: cannot read {one.filename}: {exc.strerror}") from None
