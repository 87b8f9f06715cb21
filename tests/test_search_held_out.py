"""Search queries kept out of tuning: written before the ranking was changed, and never tuned on.

The tuned queries are in ``tests/test_search_ranking.py``. These check that what tuning did holds for
queries it never saw: each names what a person would type and the tool that does it, on Gong (67 tools) and
on GitHub's public spec (845 tools, as pinned with the corpus), and asks for it in the first five.
"""

from __future__ import annotations

import pytest

from tests.search_kit import rank

HELD_OUT = [
    ("gong", "what was said in a call", "create_a_gong_calls_transcript"),
    ("gong", "which topics came up in a call", "create_a_gong_calls_extensive"),
    ("gong", "give a user access to a call", "update_a_gong_calls_users_access"),
    ("gong", "daily activity of users", "create_a_gong_activity_day_by_day"),
    ("gong", "scorecards answered by reviewers", "create_a_gong_activity_scorecard"),
    ("github", "merge a pull request", "update_a_github_merge"),
    ("github", "comment on an issue", "create_a_github_issues_comment"),  # renamed by the path-words rule
    ("github", "list branches of a repository", "list_all_github_branches"),
    ("github", "delete a repository", "delete_a_github_repo_by_id"),
    ("github", "star a repository", "update_a_github_user_starred_by_id"),
    ("github", "add a collaborator to a repo", "update_a_github_repos_collaborator_by_id"),  # beside the projects' one
]


@pytest.mark.parametrize(("vendor", "query", "tool"), HELD_OUT, ids=[q for _, q, _ in HELD_OUT])
def test_a_held_out_query_finds_its_tool_in_the_first_five(vendor: str, query: str, tool: str) -> None:
    assert 1 <= rank(vendor, query, tool) <= 5
