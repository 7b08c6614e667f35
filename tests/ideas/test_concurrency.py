"""Two votes of one person at once on PostgreSQL, through two real connections: the vote is
decided under the idea's row lock, so one is counted and the other is refused in Russian."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from nastavnik.ideas import services
from nastavnik.ideas.models import Idea, Vote
from tests.conftest import make_tenant
from tests.ideas.factories import idea

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL)"
    ),
]


def _race(monkeypatch: Any, voters: list[Any], posted: Idea) -> tuple[list[str], bool]:
    # Both threads wait for each other right after the «already voted?» check: without the lock
    # both would pass it; with it the second waits for the first's commit (the barrier times
    # out) and then sees the first vote.
    barrier = threading.Barrier(2)
    original = services._has_voted

    def slow_check(**kwargs: Any) -> bool:
        found = original(**kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)
        return found

    monkeypatch.setattr(services, "_has_voted", slow_check)
    outcomes: list[str] = []

    def vote(user: Any) -> None:
        try:
            services.idea_vote(actor=user, idea=Idea.objects.get(pk=posted.pk))
            outcomes.append("counted")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(user,)) for user in voters]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # A broken barrier: the second vote waited for the first one's lock instead of passing the
    # check beside it (without the lock the unique constraint alone would refuse it).
    return outcomes, barrier.broken


def test_two_votes_of_one_person_at_once_count_once(monkeypatch: Any) -> None:
    tenant = make_tenant("vote-race")
    posted = idea(tenant)
    outcomes, waited = _race(monkeypatch, [tenant.curator, tenant.curator], posted)
    assert waited
    assert sorted(outcomes) == [
        "counted",
        "Вы уже голосовали за эту идею: каждый коллега голосует один раз.",
    ]
    assert Vote.objects.filter(idea=posted).count() == 1
    posted.refresh_from_db()
    assert posted.votes_count == 1


def test_two_colleagues_voting_at_once_both_count(monkeypatch: Any) -> None:
    tenant = make_tenant("vote-pair")
    posted = idea(tenant)
    outcomes, waited = _race(monkeypatch, [tenant.curator, tenant.mentor], posted)
    assert waited
    assert outcomes == ["counted", "counted"]
    posted.refresh_from_db()
    assert posted.votes_count == Vote.objects.filter(idea=posted).count() == 2
