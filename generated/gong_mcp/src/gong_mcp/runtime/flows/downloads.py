"""A JSON answer that links to the bytes (a signed URL): fetch them to disk and answer with the saved file."""

from __future__ import annotations

import httpx2
from mcp.types import CallToolResult

from ..contract import Download, Operation, printable
from ..failures import LinkFailed, NotSaved, ResponseTooLarge, TooCompressed, TooSlow
from ..shaping import results
from ..shaping.files import file_result
from ..shaping.pages import dig
from ..upstream.receive import OCTETS
from .callables import Fetch


async def fetch(
    get: Fetch, op: Operation, link: Download, first: CallToolResult, limit: int, env_prefix: str
) -> CallToolResult:
    """Follow the URL in the first answer (sent without credentials) and save the bytes; ``first`` if none."""
    data = first.structured_content or {}
    url = dig(data, link.url_field)
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        return first
    media = str(dig(data, link.media_type_field or "") or "") or OCTETS
    hint = str(dig(data, link.filename_field or "") or "") or None
    facts = {k: v for k, v in data.items() if k != link.url_field.split(".")[0]}
    try:
        path, media = await get(url, media, hint)
    except LinkFailed as exc:
        return results.error(
            f"the download link answered HTTP {exc.status}",
            hint=f"links expire quickly: call {op.name} again for a fresh one",
        )
    except httpx2.HTTPError as exc:
        return results.error(f"cannot fetch the download link: {type(exc).__name__}", hint="try again later")
    except ResponseTooLarge as exc:
        return results.error(
            f"the file is over {exc.limit:,} bytes, the {'download limit' if exc.limit == limit else 'output cap'}",
            hint=f"raise {env_prefix}_{exc.variable} if it should be saved",
        )
    except TooCompressed as exc:
        return results.error(f"the file was stopped: {exc.message}; nothing was kept", hint="report it to the vendor")
    except NotSaved as exc:
        return results.error(
            f"saving the file under {printable(exc.where)} failed: {printable(exc.message)}; nothing was kept",
            hint=f"set {env_prefix}_OUTPUT_DIR to a writable folder with room",
        )
    except TooSlow as exc:
        return results.error(
            f"the file did not arrive whole within {exc.seconds:g} s, the answer deadline; nothing was kept",
            hint=f"try again later, or raise {env_prefix}_ANSWER_TIMEOUT",
        )
    return file_result(path, media, op.name, facts, first.meta)
