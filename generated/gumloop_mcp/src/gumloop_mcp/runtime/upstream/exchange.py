"""What one upstream request gives back: the answer (read, or saved to a file), or why none came."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import httpx2


class Exchange(NamedTuple):
    """The final answer, how many retries it took, and its body: in memory (``body``), or saved to a file.

    ``saved`` is a file answer streamed to disk, or (``spilled``) a text answer too large to hold in memory,
    whose first bytes are in ``body``. A redirect's body is never read.
    """

    response: httpx2.Response
    retries: int
    saved: Path | None = None
    body: bytes = b""
    spilled: bool = False


class GaveUp(Exception):
    """No answer came: the last transport error, and how many retries were made before it."""

    def __init__(self, cause: Exception, retries: int) -> None:
        super().__init__(str(cause))
        self.cause, self.retries = cause, retries


class ResponseTooLarge(Exception):
    """An answer went over the download limit; its partial file is already deleted."""


class TooSlow(Exception):
    """An answer did not arrive whole within the answer deadline (an endless or trickling body); nothing kept."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the answer took longer than {seconds:g} s")
        self.seconds = seconds


class NotSaved(Exception):
    """An answer too large to hold in memory could not be written under the output folder."""

    def __init__(self, cause: OSError) -> None:
        super().__init__(cause.strerror or str(cause))
        self.cause = cause


class LinkFailed(Exception):
    """A download link answered with an HTTP error status."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
