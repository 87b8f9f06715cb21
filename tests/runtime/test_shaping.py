"""Layer 3, shaping: pure functions from an exchange (or data) to the tool result."""

from __future__ import annotations

import json
from pathlib import Path

import httpx2

from generator.runtime.contract import META_PAGINATION, META_RETRIES, META_TRUNCATED, Operation, Vendor
from generator.runtime.failures import BadArgument, GaveUp, NotSaved, Refused, ResponseTooLarge, TooSlow
from generator.runtime.shaping import events, faults, fitting, pages, results
from generator.runtime.shaping.answer import AnswerLimits, shape
from generator.runtime.upstream.exchange import Exchange
from generator.runtime.upstream.receive import save_body

from .conftest import answer, text_of


def shaped(vendor: Vendor, op: Operation, response: httpx2.Response, tmp_path: Path, cap: int = 1000) -> object:
    return shape(vendor, op, read(response), AnswerLimits(cap, tmp_path, save_body))


def read(response: httpx2.Response, retries: int = 0) -> Exchange:
    """An exchange whose answer was read whole (as ``receive`` leaves one under its memory cap)."""
    return Exchange(response, retries, body=response.content)


def test_an_http_error_names_status_vendor_message_and_next_step(vendor: Vendor, read_op: Operation) -> None:
    response = answer(404, {"message": "no such thing secret-token-value"}, **{"x-request-id": "r1"})
    # The dispatcher withholds the credential from every result, this one included.
    result = results.withheld(faults.failure(vendor, read_op, read(response)), ("secret-token-value",))
    assert result.is_error
    said = text_of(result)
    assert "HTTP 404" in said and "no such thing" in said and "r1" in said and "ACME_BASE_URL" in said
    assert "secret-token-value" not in said


def test_json_success_is_structured_and_retries_are_in_meta(vendor: Vendor, read_op: Operation, tmp_path: Path) -> None:
    result = shape(vendor, read_op, read(answer(200, {"a": 1}), 2), AnswerLimits(1000, tmp_path, save_body))
    assert not result.is_error and result.structured_content == {"a": 1}
    assert result.meta is not None and result.meta[META_RETRIES] == 2


def test_a_large_answer_is_truncated_and_saved_whole(vendor: Vendor, read_op: Operation, tmp_path: Path) -> None:
    items = [{"n": n, "text": "x" * 50} for n in range(100)]
    big = {"total": 100, "items": items}
    result = shape(vendor, read_op, read(answer(200, big)), AnswerLimits(2000, tmp_path, save_body))
    assert result.meta is not None
    facts = result.meta[META_TRUNCATED]
    shown = json.loads(text_of(result).split("\n")[0])  # whole JSON: whole records, in order, and what is beside them
    assert shown == {"total": 100, "items": items[: len(shown["items"])]} and len(shown["items"]) > 10
    assert facts["records"] == "items" and facts["shown"] == len(shown["items"]) and facts["total"] == 100
    assert json.loads(Path(facts["saved_to"]).read_bytes()) == big
    assert f"shows {facts['shown']} of the 100 records in items" in text_of(result)
    assert 'select="items[].{n: n, text: text}"' in text_of(result)


def test_a_paginated_answer_says_how_to_get_the_next_page(vendor: Vendor, tmp_path: Path) -> None:
    op = Operation("list_things", "GET", "/things", read_only=True, cursor_arg="cursor", next_cursor="records.cursor")
    result = shape(
        vendor, op, read(answer(200, {"records": {"cursor": "c2"}})), AnswerLimits(1000, tmp_path, save_body)
    )
    assert result.meta is not None and result.meta[META_PAGINATION]["next_cursor"] == "c2"
    assert 'cursor="c2"' in text_of(result)


def test_invalid_json_is_an_error(vendor: Vendor, read_op: Operation, tmp_path: Path) -> None:
    response = httpx2.Response(200, content=b"{nope", headers={"content-type": "application/json"})
    assert shape(vendor, read_op, read(response), AnswerLimits(1000, tmp_path, save_body)).is_error


def test_rate_limit_headers_become_ietf_fields() -> None:
    headers = httpx2.Headers({"x-ratelimit-limit": "100", "x-ratelimit-remaining": "7", "retry-after": "3"})
    assert faults.rate_meta(headers) == {"ratelimit-limit": 100, "ratelimit-remaining": 7, "ratelimit-reset": 3}


def test_chat_chunks_are_joined_into_one_message() -> None:
    stream = (
        'data: {"object": "chat.completion.chunk", "choices": [{"delta": {"content": "Hel"}}]}\n\n'
        'data: {"object": "chat.completion.chunk", "choices": [{"delta": {"content": "lo"}, "finish_reason": "stop"}]}'
        "\n\ndata: [DONE]\n\n"
    )
    message = events.collected(stream)
    assert message["content"] == "Hello" and message["finish_reason"] == "stop"


def test_pages_merge_their_records_and_keep_the_last_cursor() -> None:
    op = Operation("l", "GET", "/l", cursor_arg="cursor", next_cursor="records.cursor")
    first = {"calls": [1], "records": {"cursor": "c2", "total": 3}}
    merged = pages.merge([first, {"calls": [2, 3], "records": {}}], op, None)
    assert merged == {"calls": [1, 2, 3], "records": {"total": 3}}
    assert pages.next_cursor(op, first) == "c2" and pages.dig(first, "records.total") == 3


def test_redact_removes_known_values_and_credential_shapes() -> None:
    said = results.redact("Bearer abcdef123 and token=xyz987 and mine-1234", ("mine-1234",))
    assert "abcdef123" not in said and "xyz987" not in said and "mine-1234" not in said


def test_a_json_lines_answer_is_read_whole_as_a_list(vendor: Vendor, read_op: Operation, tmp_path: Path) -> None:
    """A streamed answer (OpenAPI 3.2 ``itemSchema``): one JSON value per line, RFC 7464's separators too."""
    body = b'{"n":1}\n\n\x1e{"n":2}\r\n'
    for media_type in ("application/jsonl", "application/x-ndjson", "application/json-seq"):
        response = httpx2.Response(200, content=body, headers={"Content-Type": media_type})
        result = shape(vendor, read_op, Exchange(response, 0, body=body), AnswerLimits(1000, tmp_path, save_body))
        assert not result.is_error and text_of(result) == '[{"n":1},{"n":2}]'
    broken = httpx2.Response(200, content=b'{"n":1}\n{"n"\n', headers={"Content-Type": "application/jsonl"})
    assert shape(
        vendor, read_op, Exchange(broken, 0, body=broken.content), AnswerLimits(1000, tmp_path, save_body)
    ).is_error


def test_one_mapper_words_every_failure_of_a_call(vendor: Vendor, read_op: Operation) -> None:
    """``faults.failed`` is the one place a failure becomes a tool error: the vendor's wording for upstream ones."""
    large = text_of(faults.failed(vendor, read_op, ResponseTooLarge(1000)))
    assert "Acme answered GET /things/{id} with over 1,000 bytes" in large and "ACME_MAX_DOWNLOAD_BYTES" in large
    assert "within 2.5 s, the answer deadline" in text_of(faults.failed(vendor, read_op, TooSlow(2.5)))
    full = text_of(faults.failed(vendor, read_op, NotSaved(OSError(28, "No space left on device"), "/out")))
    assert "saving it under /out failed: No space left on device" in full
    cause = httpx2.ConnectError("refused")
    lost = faults.failed(vendor, read_op, GaveUp(cause, 2, "https://api.acme.test/things/1?q=1"))
    assert "cannot reach https://api.acme.test/things/1: ConnectError: refused (also on 2 retries)" in text_of(lost)
    argument = faults.failed(vendor, read_op, BadArgument("argument 'id' cannot be sent"))
    assert text_of(argument) == "argument 'id' cannot be sent\nWhat to do: fix that argument and call again"
    refused = Refused("no send slot came", hint="call again shortly")
    refused.tries = 2
    assert "; 2 earlier request(s) of this call" in text_of(faults.failed(vendor, read_op, refused))
    assert refused.reached_vendor() and not Refused("x", hint="y").reached_vendor()
    assert "cannot send GET /things/{id}" in text_of(faults.failed(vendor, read_op, OSError(2, "No such file")))


def test_an_error_loses_the_credential_whole_before_its_shapes(vendor: Vendor, read_op: Operation) -> None:
    """A transport error that quotes the URL with a query credential: the known value goes first and whole (a
    shape such as ``token=…`` stops at ``&``, which would leave the rest of this one behind)."""
    secret = "ab&cd-efgh-1234"
    cause = httpx2.ConnectError(f"bad URL https://api.acme.test/things?token={secret}")
    said = results.withheld(faults.failed(vendor, read_op, GaveUp(cause, 0, "https://api.acme.test/things")), (secret,))
    shown = text_of(said) + json.dumps(said.structured_content)
    assert "cd-efgh-1234" not in shown and "[redacted]" in shown
    other = results.withheld(results.error("upstream said Bearer abcdef123456"), ())
    assert "abcdef123456" not in text_of(other) + json.dumps(other.structured_content)


def test_a_cut_steps_through_a_one_record_wrapper_and_keeps_whole_records() -> None:
    turns = [{"speakerId": str(n % 3), "text": "y" * 90} for n in range(50)]
    data = {"requestId": "r", "callTranscripts": [{"callId": "c1", "transcript": turns}]}
    shown = fitting.fit(data, 1_000)
    assert shown.where == "callTranscripts[0].transcript" and shown.total == 50 and 0 < shown.shown < 50
    assert shown.data == {"requestId": "r", "callTranscripts": [{"callId": "c1", "transcript": turns[: shown.shown]}]}
    assert fitting.size(shown.data) <= 1_000 and shown.fields == ("speakerId", "text")
    assert fitting.fit(["a" * 50] * 40, 200).where == "@"  # the answer itself is the list
    assert fitting.fit({"result": "x" * 5_000}, 1_000).data is None  # no list: nothing is shown, nothing is cut


def test_lists_that_reach_a_stated_limit_are_named() -> None:
    answer = {"si-1": [1] * 10, "si-2": [1] * 3, "odd key": [1] * 12}
    assert fitting.full_lists(answer, 10) == ['"si-1"', '"odd key"']
