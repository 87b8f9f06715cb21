"""``mcpgen pull``: fetch each vendor's spec from ``spec.url`` into a git-ignored cache and compare its sha256.

A download is checked before it touches anything (``generator.surface.fetch``: no error answers, HTML pages,
truncated or non-OpenAPI documents), and a changed spec must also generate in memory without errors: a pull
that fails leaves every pin, mirror and lock as it was and says which vendor and why in one line.

A missing pinned file (a fresh CI runner) is restored from the download when the download matches the pin.
With ``accept``, a changed download moves the pin in the vendor config, so the change goes through review as
a diff; the mirror is written when it is absent, or replaced when it sits in the config's own folder (it is
committed with the config) and still holds exactly the pinned spec. A mirror elsewhere is never overwritten.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from generator.emit.write import write_file
from generator.errors import FatalError
from generator.model.config import VendorConfig
from generator.surface.drift import generated_surface, unpinned
from generator.surface.fetch import fetch, openapi_document

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
    raw = fetch(config.spec.url)
    openapi_document(config.spec.url, raw)
    digest = hashlib.sha256(raw).hexdigest()
    cached = cache_dir / config.name / spec_file_name(config)
    pin = (config.spec.sha256 or "").lower()
    status = "unpinned" if not pin else ("unchanged" if digest == pin else "changed")
    write_file(cached, raw)
    if status != "unchanged":
        refuse_ungeneratable(config, cached)
    where = f"cached {cached.as_posix()}"
    if status == "changed":
        where += f"; pin {pin[:12]}, upstream {digest[:12]}"
    found = Pulled(config.name, status, where, digest, cached.as_posix())
    if not config.spec.path:
        return _settle_url_only(found, config_path, accept)
    return _settle_mirror(found, config, config_path, raw, accept)


def refuse_ungeneratable(config: VendorConfig, cached: Path) -> None:
    """Generate from the downloaded spec in memory; a spec mcpgen refuses is fatal (nothing moves)."""
    try:
        generated_surface(unpinned(config, str(cached)))
    except FatalError as exc:
        where, message = exc.problem.where, exc.problem.message
        location = config.spec.url or cached.as_posix()
        raise FatalError(location, f"mcpgen refuses the new spec: {where}: {message}") from None


def _settle_url_only(found: Pulled, config_path: Path, accept: bool) -> Pulled:
    """A config without a mirror reads its spec from the URL: accepting a change only moves the pin."""
    if found.status != "changed":
        return found
    if not accept:
        return _with(found, f"{found.message}; review the cached spec, then run `mcpgen pull --accept`")
    set_pin(config_path, found.sha256)
    return _with(found, f"{found.message}; accepted: pinned {found.sha256[:12]} in {config_path.as_posix()}")


def _settle_mirror(found: Pulled, config: VendorConfig, config_path: Path, raw: bytes, accept: bool) -> Pulled:
    """Restore a missing pinned file, accept a change, or explain what to do by hand."""
    mirror = Path(config.spec_location())
    cached = found.cache
    if found.status == "unchanged":
        if mirror.exists():
            return found
        write_file(mirror, raw)
        return _with(found, f"{found.message}; restored {mirror.name} from upstream")
    if not accept:
        hint = f"review with `mcpgen diff {mirror.as_posix()} {cached}`, then run `mcpgen pull --accept`"
        return _with(found, f"{found.message}; {hint}")
    if mirror.exists() and mirror.read_bytes() != raw and not _replaceable(mirror, config, config_path):
        return _with(
            found,
            f"{found.message}; not overwriting the pinned spec {mirror.as_posix()}: replace it with {cached} "
            "by hand after review, then set spec.sha256",
            ok=False,
        )
    write_file(mirror, raw)
    set_pin(config_path, found.sha256)
    pinned = f"pinned {found.sha256[:12]} in {config_path.as_posix()}"
    return _with(found, f"{found.message}; accepted: wrote {mirror.name}, {pinned}")


def _replaceable(mirror: Path, config: VendorConfig, config_path: Path) -> bool:
    """Whether an accepted spec may replace ``mirror``: it is committed beside the config and still pinned."""
    inside = mirror.resolve().is_relative_to(config_path.resolve().parent)
    pin = (config.spec.sha256 or "").lower()
    return inside and bool(pin) and hashlib.sha256(mirror.read_bytes()).hexdigest() == pin


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
    write_file(config_path, text.encode("utf-8"))
