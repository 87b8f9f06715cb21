"""Keeping vendor credentials out of ``httpx2``'s log lines (it logs every URL, query string included).

Installed by whoever serves calls (the dispatcher, when it is built), never on import: ``scrub_logs`` puts the one
filter on the ``httpx2`` logger and adds the values it looks for; shapes like ``Bearer …`` go whatever the values.
"""

from __future__ import annotations

import logging

from ..shaping.results import SHORTEST_SECRET, redact

LOGGER = "httpx2"


class _LogScrubber(logging.Filter):
    """Scrubs credentials from log lines: the values it was given, and anything shaped like one (``redact``)."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message, tuple(self.secrets))
        if clean != message:
            record.msg, record.args = clean, ()
        return True


_SCRUBBER = _LogScrubber()


def scrub_logs(secrets: tuple[str, ...]) -> None:
    """Keep these values out of every ``httpx2`` log line from now on (the filter is added once)."""
    _SCRUBBER.secrets.update(s for s in secrets if len(s) >= SHORTEST_SECRET)
    logging.getLogger(LOGGER).addFilter(_SCRUBBER)  # a no-op when it is already there
