"""Two votes of one person at once on PostgreSQL, through two real connections: the vote is
decided under the idea's row lock, so one is counted and the other is refused in Russian."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from nastavnik.ideas import services
from nastavnik.ideas.models import Idea, Vote
from tests.concurrency import ON_POSTGRES, at_once, meet_after
from tests.conftest import make_tenant
from tests.ideas.factories import idea

pytestmark = [pytest.mark.django_db(transaction=True), ON_POSTGRES]


def _race(monkeypatch: Any, voters: list[Any], posted: Idea) -> tuple[list[str], bool]:
    # Both wait for each other right after the «already voted?» check: without the lock both
    # would pass it; with it the second waits for the first's commit (the meeting times out)
    # and then sees the first vote.
    meeting = meet_after(monkeypatch, services, "_has_voted")

    def vote(user: Any) -> str:
        try:
            services.idea_vote(actor=user, idea=Idea.objects.get(pk=posted.pk))
        except ValidationError as exc:
            return exc.messages[0]
        return "counted"

    outcomes = at_once(*(lambda user=user: vote(user) for user in voters))
    # A broken meeting: the second vote waited for the first one's lock instead of passing the
    # check beside it (without the lock the unique constraint alone would refuse it).
    return outcomes, meeting.broken


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
