"""``mcpgen pull``: fetch each vendor's spec from ``spec.url`` into a git-ignored cache and compare its sha256.

A pinned spec file is never overwritten. A missing one (a fresh CI runner) is restored from the download
when the download matches the pin; with ``accept``, a missing one is written from a changed download and
the pin in the vendor config moves to the new sha256, so the change goes through review as a diff.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from generator.errors import FatalError
from generator.model.config import VendorConfig
from generator.spec.load import decode, read_bytes

DEFAULT_CACHE = Path(".cache/specs")


@dataclass(frozen=True)
class Pulled:
    """What one pull found and did."""

    vendor: str
    status: str  # unchanged | changed | unpinned | no-url
    message: str
    sha256: str = ""
    cache: str = ""
    ok: bool = True

    def line(self) -> str:
        """The one-line report the CLI prints."""
        return f"{self.vendor}: {self.status}: {self.message}"


def spec_file_name(config: VendorConfig) -> str:
    """The file name a vendor's spec is kept under (the pinned file's name, else the URL's last segment)."""
    if config.spec.path:
        return PurePosixPath(config.spec.path.replace("\\", "/")).name
    name = PurePosixPath(urlsplit(config.spec.url or "").path).name
    return name or f"{config.name}.spec"


def pull(config: VendorConfig, config_path: Path, cache_dir: Path = DEFAULT_CACHE, accept: bool = False) -> Pulled:
    """Download one vendor's spec, cache it, compare it with the pin; restore or accept as allowed."""
    if not config.spec.url:
        return Pulled(config.name, "no-url", "the config has no spec.url; nothing to pull")
    raw = read_bytes(config.spec.url)
    decode(config.spec.url, raw)  # refuse to cache an error page as a spec
    digest = hashlib.sha256(raw).hexdigest()
    cached = cache_dir / config.name / spec_file_name(config)
    _write(cached, raw)
    pin = (config.spec.sha256 or "").lower()
    status = "unpinned" if not pin else ("unchanged" if digest == pin else "changed")
    where = f"cached {cached.as_posix()}"
    if status == "changed":
        where += f"; pin {pin[:12]}, upstream {digest[:12]}"
    found = Pulled(config.name, status, where, digest, cached.as_posix())
    if not config.spec.path:
        return found
    return _settle_mirror(found, config, config_path, raw, accept)


def _settle_mirror(found: Pulled, config: VendorConfig, config_path: Path, raw: bytes, accept: bool) -> Pulled:
    """Restore a missing pinned file, accept a change, or explain what to do by hand."""
    mirror = Path(config.spec_location())
    cached = found.cache
    if found.status == "unchanged":
        if mirror.exists():
            return found
        _write(mirror, raw)
        return _with(found, f"{found.message}; restored {mirror.name} from upstream")
    if not accept:
        hint = f"review with `mcpgen diff {mirror.as_posix()} {cached}`, then run `mcpgen pull --accept`"
        return _with(found, f"{found.message}; {hint}")
    if mirror.exists() and mirror.read_bytes() != raw:
        return _with(
            found,
            f"{found.message}; not overwriting the pinned spec {mirror.as_posix()}: replace it with {cached} "
            "by hand after review, then set spec.sha256",
            ok=False,
        )
    _write(mirror, raw)
    set_pin(config_path, found.sha256)
    return _with(found, f"{found.message}; accepted: wrote {mirror.name}, pinned {found.sha256[:12]} in {config_path}")


def _with(found: Pulled, message: str, ok: bool = True) -> Pulled:
    return Pulled(found.vendor, found.status, message, found.sha256, found.cache, ok)


def set_pin(config_path: Path, digest: str) -> None:
    """Set ``spec.sha256`` in a vendor config with a one-line edit (comments and layout stay as they are)."""
    text = config_path.read_text(encoding="utf-8")
    pin = re.compile(r'^(\s*sha256\s*=\s*")[0-9a-fA-F]*(")', re.MULTILINE)
    spec_table = re.compile(r"^\[spec\][ \t]*$", re.MULTILINE)
    if len(pin.findall(text)) == 1:
        text = pin.sub(lambda m: f"{m.group(1)}{digest}{m.group(2)}", text)
    elif spec_table.search(text):
        text = spec_table.sub(lambda m: f'{m.group(0)}\nsha256 = "{digest}"', text, count=1)
    else:
        raise FatalError(config_path.as_posix(), "cannot find the [spec] table to pin the new sha256 in")
    _write(config_path, text.encode("utf-8"))


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(f".{path.name}.part")
        scratch.write_bytes(data)
        scratch.replace(path)
    except OSError as exc:
        raise FatalError(path.as_posix(), f"cannot write: {exc.strerror or exc}") from None
