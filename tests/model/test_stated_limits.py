"""Limits the vendor states on an answer's lists, read from its words (model/stated)."""

from __future__ import annotations

from generator.model.config import OperationOverride
from generator.model.stated import stated


def test_the_n_most_recent_is_a_limit_with_its_sentence() -> None:
    op = {"description": "Retrieves the run history. Returns the 10 most recent runs. Requires a key."}
    assert stated(op, OperationOverride()) == (10, "Returns the 10 most recent runs.")


def test_up_to_n_per_one_in_a_success_response_is_a_limit() -> None:
    schema = {"type": "object", "description": "A map of ids to their runs, with up to 10 runs per saved item"}
    op = {"responses": {"200": {"description": "OK", "content": {"application/json": {"schema": schema}}}}}
    assert stated(op, OperationOverride()) == (10, "A map of ids to their runs, with up to 10 runs per saved item")


def test_a_number_in_passing_is_not_a_limit() -> None:
    for words in ("Gong's unique numeric identifier for the call (up to 20 digits).", "Lists the 3 fields of a call."):
        assert stated({"description": words}, OperationOverride()) is None
    error = {"responses": {"400": {"description": "Returns the 5 most recent errors."}}}
    assert stated(error, OperationOverride()) is None  # only a success answer's words count


def test_the_config_states_one_plainly() -> None:
    override = OperationOverride(returns_at_most=50, returns_at_most_words="At most 50 events.")
    assert stated({"description": "Returns the 10 most recent runs."}, override) == (50, "At most 50 events.")
