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
