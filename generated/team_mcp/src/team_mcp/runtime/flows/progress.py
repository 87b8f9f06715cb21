"""Progress notifications for calls that take a while: a job followed with ``wait``, pages merged with ``max_pages``.

They are sent only when the client asked for them (a ``progressToken`` in the call's ``_meta``; the SDK
drops them otherwise), and failing to send one never fails the call.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

Progress = Callable[[float, float | None, str | None], Awaitable[None]]


async def report(progress: Progress | None, done: float, total: float | None, message: str) -> None:
    """Tell the client how far the call has got (``done`` of ``total``), if it is listening."""
    if progress is None:
        return
    try:
        await progress(done, total, message)
    except Exception:  # the client went away or takes no notifications: the call goes on
        return
