"""Status rules of a pair or group: proposed → active → paused → completed, or dissolved; a
reason on every change; completed (early too) counts in the history, dissolved does not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from nastavnik.mentorships.models import (
    HISTORY_STATUSES,
    TRANSITIONS,
    Mentorship,
    MentorshipStatus,
    MentorshipStatusChange,
)
from nastavnik.mentorships.services import (
    NewMentorship,
    mentorship_set_status,
    mentorships_create,
)
from tests.conftest import login
from tests.matching.factories import enrol, matching_program, mentee, mentor

pytestmark = pytest.mark.django_db

S = MentorshipStatus


def _proposed(tenant: Any) -> Mentorship:
    program = matching_program(tenant.organization)
    teacher = enrol(program, tenant.mentor_person, "mentor", capacity=2)
    pupil = enrol(program, tenant.student, "mentee")
    (pair,) = mentorships_create(
        actor=tenant.curator,
        program=program,
        items=[NewMentorship(mentors=[teacher], mentees=[pupil])],
        status=S.PROPOSED,
    )
    return pair


def _move(tenant: Any, pair: Mentorship, status: str, reason: str = "причина") -> Mentorship:
    return mentorship_set_status(
        actor=tenant.curator, mentorship=pair, status=status, reason=reason
    )


ALLOWED = [(a, b) for a, targets in TRANSITIONS.items() for b in targets]
REFUSED = [(a, b) for a in S.values for b in S.values if b not in TRANSITIONS[a]]
# How to reach each status from «proposed».
PATH: dict[str, list[str]] = {
    S.PROPOSED: [],
    S.ACTIVE: [S.ACTIVE],
    S.PAUSED: [S.ACTIVE, S.PAUSED],
    S.COMPLETED: [S.ACTIVE, S.COMPLETED],
    S.DISSOLVED: [S.DISSOLVED],
}


def test_the_life_cycle_is_the_one_of_the_issue() -> None:
    assert set(ALLOWED) == {
        (S.PROPOSED, S.ACTIVE),
        (S.PROPOSED, S.DISSOLVED),
        (S.ACTIVE, S.PAUSED),
        (S.ACTIVE, S.COMPLETED),
        (S.ACTIVE, S.DISSOLVED),
        (S.PAUSED, S.ACTIVE),
        (S.PAUSED, S.COMPLETED),
        (S.PAUSED, S.DISSOLVED),
    }


@pytest.mark.parametrize(("start", "target"), ALLOWED)
def test_an_allowed_change_is_made_and_kept_in_the_history(
    tenant_a: Any, start: str, target: str
) -> None:
    pair = _proposed(tenant_a)
    for step in PATH[start]:
        _move(tenant_a, pair, step)
    _move(tenant_a, pair, target, reason="так решили")
    pair.refresh_from_db()
    assert pair.status == target
    last = MentorshipStatusChange.objects.filter(mentorship=pair).latest("changed_at", "id")
    assert (last.from_status, last.to_status, last.reason) == (start, target, "так решили")
    assert last.changed_by == tenant_a.curator
    if target in (S.COMPLETED, S.DISSOLVED):
        assert pair.ended_on is not None
        assert pair.end_reason == "так решили"


@pytest.mark.parametrize(("start", "target"), REFUSED)
def test_a_refused_change_leaves_the_pair_as_it_was(tenant_a: Any, start: str, target: str) -> None:
    pair = _proposed(tenant_a)
    for step in PATH[start]:
        _move(tenant_a, pair, step)
    changes = MentorshipStatusChange.objects.filter(mentorship=pair).count()
    with pytest.raises(ValidationError) as refused:
        _move(tenant_a, pair, target)
    assert "нельзя перевести" in str(refused.value)
    pair.refresh_from_db()
    assert pair.status == start
    assert MentorshipStatusChange.objects.filter(mentorship=pair).count() == changes


@pytest.mark.parametrize("target", [S.ACTIVE, S.DISSOLVED])
@pytest.mark.parametrize("reason", ["", "   "])
def test_every_change_needs_a_reason(tenant_a: Any, target: str, reason: str) -> None:
    pair = _proposed(tenant_a)
    with pytest.raises(ValidationError) as refused:
        _move(tenant_a, pair, target, reason=reason)
    assert "reason" in refused.value.message_dict
    pair.refresh_from_db()
    assert pair.status == S.PROPOSED
    assert MentorshipStatusChange.objects.filter(mentorship=pair).count() == 1


def test_the_page_refuses_a_change_without_a_reason_in_russian(tenant_a: Any) -> None:
    pair = _proposed(tenant_a)
    client = login(tenant_a.curator)
    url = reverse("mentorships:status", kwargs={"mentorship_id": pair.pk})
    page = client.post(url, {"status": S.ACTIVE, "reason": ""}, follow=True)
    assert "Укажите" in page.content.decode() or "причин" in page.content.decode()
    pair.refresh_from_db()
    assert pair.status == S.PROPOSED


def test_completed_early_counts_in_the_history_and_dissolved_does_not(tenant_a: Any) -> None:
    early = _proposed(tenant_a)
    early.program.ends_on = dt.date.today() + dt.timedelta(days=60)
    early.program.save(update_fields=["ends_on"])
    _move(tenant_a, early, S.ACTIVE)
    _move(tenant_a, early, S.COMPLETED, reason="переезд семьи")
    early.refresh_from_db()
    assert early.completed_early
    assert early.counts_in_history
    assert S.COMPLETED in HISTORY_STATUSES
    assert S.DISSOLVED not in HISTORY_STATUSES

    gone = _proposed_in(tenant_a, early.program)
    _move(tenant_a, gone, S.DISSOLVED, reason="не сработались")
    gone.refresh_from_db()
    assert not gone.counts_in_history
    assert not gone.completed_early
    page = login(tenant_a.curator).get(
        reverse("mentorships:detail", kwargs={"mentorship_id": early.pk})
    )
    assert "завершена досрочно" in page.content.decode()


def _proposed_in(tenant: Any, program: Any) -> Mentorship:
    (pair,) = mentorships_create(
        actor=tenant.curator,
        program=program,
        items=[NewMentorship(mentors=[mentor(program)], mentees=[mentee(program)])],
        status=S.PROPOSED,
    )
    return pair
