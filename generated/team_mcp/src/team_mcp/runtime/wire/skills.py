"""Skill packages: ``SKILL.md`` with ``name`` and ``description`` frontmatter, zipped as ``<name>.skill``."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import IO

from ..failures import SkillError

REQUIRED = ("name", "description")
MAX_MARKDOWN_BYTES = 1_000_000
ARCHIVE_SUFFIXES = (".skill", ".zip")
ARCHIVE_TYPES = ("application/zip", "application/x-zip-compressed")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the same markdown always gives the same archive bytes
TEMPLATE = "---\nname: my-skill\ndescription: What the skill does and when to use it.\n---\n"


def frontmatter(text: str) -> dict[str, str]:
    """The ``key: value`` lines between the opening and closing ``---`` lines (empty if there are none)."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        return {}
    found: dict[str, str] = {}
    for line in lines[1:]:
        if line.strip() == "---":
            return found
        key, sep, value = line.partition(":")
        if sep and key.strip() and not line[:1].isspace():
            found[key.strip()] = value.strip().strip("\"'")
    return {}  # never closed: not frontmatter


def check_markdown(text: str) -> str:
    """The skill's name, or an error naming each missing field and showing the frontmatter to add."""
    fields = frontmatter(text)
    if not fields:
        raise SkillError(f"SKILL.md has no frontmatter; start it with:\n{TEMPLATE}")
    missing = [key for key in REQUIRED if not fields.get(key)]
    if missing:
        raise SkillError(f"the frontmatter lacks {' and '.join(missing)}; it needs both, e.g.\n{TEMPLATE}")
    return fields["name"]


def package(text: str) -> tuple[str, bytes]:
    """Check one markdown file and zip it as ``SKILL.md`` at the root: ``(file name, archive bytes)``."""
    name = check_markdown(text)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("SKILL.md", _FIXED_TIME), text.encode("utf-8"))
    return f"{_UNSAFE.sub('-', name).strip('-.') or 'skill'}.skill", buffer.getvalue()


def is_archive(filename: str, media_type: str) -> bool:
    """Whether a file is already a package rather than markdown."""
    return filename.lower().endswith(ARCHIVE_SUFFIXES) or media_type in ARCHIVE_TYPES


def check_archive(source: Path | IO[bytes]) -> str:
    """Check a ``.skill``/``.zip`` package: ``SKILL.md`` at its root with the required frontmatter."""
    try:
        with zipfile.ZipFile(source) as archive:
            if "SKILL.md" not in archive.namelist():
                raise SkillError("the archive has no SKILL.md at its root")
            info = archive.getinfo("SKILL.md")
            if info.file_size > MAX_MARKDOWN_BYTES:
                raise SkillError(f"SKILL.md in the archive is over {MAX_MARKDOWN_BYTES:,} bytes")
            text = archive.read(info).decode("utf-8")
    except (zipfile.BadZipFile, UnicodeDecodeError, OSError) as exc:
        raise SkillError(f"cannot read the archive: {exc}") from None
    return check_markdown(text)
