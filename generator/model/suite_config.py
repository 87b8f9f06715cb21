"""Suite configs (``openapi/<suite>.suite.toml``): one package serving several vendors, each from its own config."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.errors import FatalError

SUITE_SUFFIX = ".suite.toml"
NAME_PATTERN = r"^[a-z][a-z0-9]*$"  # the package is ``<name>_mcp``, the variables ``<NAME>_*``


class SuiteConfig(BaseModel):
    """A suite: its name (package ``<name>_mcp``, command ``<name>-mcp``, variables ``<NAME>_*``) and its vendors."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=NAME_PATTERN)
    title: str = ""  # how the README and the server name the suite; empty: the vendors' titles, joined
    vendors: list[str] = Field(min_length=2)  # vendor config files, relative to the suite config's folder
    source_dir: str = "."

    def vendor_paths(self) -> list[Path]:
        """Each vendor's config file, in the order the suite lists them."""
        return [Path(self.source_dir) / name for name in self.vendors]


def vendor_config_paths(folder: Path) -> list[Path]:
    """Every vendor config in ``folder`` (``*.toml`` that is not a suite config), sorted."""
    return [path for path in sorted(folder.glob("*.toml")) if not path.name.endswith(SUITE_SUFFIX)]


def suite_config_paths(folder: Path) -> list[Path]:
    """Every suite config in ``folder``, sorted."""
    return sorted(folder.glob(f"*{SUITE_SUFFIX}"))


def load_suite(path: Path) -> SuiteConfig:
    """Read and check one suite config; a problem is one line naming the file and the key."""
    where = path.as_posix()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FatalError(where, "no such suite config") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise FatalError(where, f"cannot read suite config: {exc}") from None
    data = {**data.get("suite", {}), "source_dir": str(path.parent)} if isinstance(data.get("suite"), dict) else data
    try:
        return SuiteConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "suite"
        raise FatalError(f"{where}: {key}", first["msg"]) from None
