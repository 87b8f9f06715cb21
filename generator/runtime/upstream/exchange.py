"""What one upstream request gives back: the answer (read, or saved to a file), or why none came."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import httpx2


class Exchange(NamedTuple):
    """The final answer, how many retries it took, and where a file answer was saved (its body is not read)."""

    response: httpx2.Response
    retries: int
    saved: Path | None = None


class GaveUp(Exception):
    """No answer came: the last transport error, and how many retries were made before it."""

    def __init__(self, cause: Exception, retries: int) -> None:
        super().__init__(str(cause))
        self.cause, self.retries = cause, retries


class TooLarge(Exception):
    """A file answer went over the download limit; its partial file is already deleted."""


class LinkFailed(Exception):
    """A download link answered with an HTTP error status."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
