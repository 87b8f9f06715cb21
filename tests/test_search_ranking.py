"""Search ranks what a person means: the queries the ranking was tuned on, each with the tool it must find.

Gong's answers hold what a question is about (talk time is in ``calls[].interaction.speakers[].talkTime`` of
the extensive call listing), and on a big spec (GitHub, 845 tools; a Jira-shaped spec) a verb and a resource
word find the tool a person means. The held-out queries, never tuned on, are in ``test_search_held_out.py``.
"""

from __future__ import annotations

import pytest

from tests.search_kit import rank

TUNED = [
    ("gong", "talk time of each speaker in a call", "create_a_gong_calls_extensive"),
    ("gong", "list calls", "list_all_gong_calls"),
    ("gong", "transcript of a call", "create_a_gong_calls_transcript"),
    ("github", "list open pull requests", "list_all_github_repos_pulls"),
    ("github", "close an issue", "update_a_github_issue_by_id"),
    ("jira", "move an issue to done", "create_a_jira_transition"),
]


@pytest.mark.parametrize(("vendor", "query", "tool"), TUNED, ids=[q for _, q, _ in TUNED])
def test_a_tuned_query_finds_its_tool_in_the_first_three(vendor: str, query: str, tool: str) -> None:
    assert 1 <= rank(vendor, query, tool) <= 3
