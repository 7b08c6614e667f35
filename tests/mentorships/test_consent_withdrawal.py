"""A withdrawn consent to processing ends the person's open pairs and groups («согласие
отозвано»): counted in the history, not among the active pairs, the mentor's place freed."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from nastavnik.consents.models import Consent, ConsentPurpose
from nastavnik.consents.services import consent_withdraw
from nastavnik.mentorships.models import (
    EndCause,
    MemberRole,
    Mentorship,
    MentorshipStatus,
    MentorshipStatusChange,
)
from nastavnik.mentorships.selectors import matched_mentee_ids, mentor_load
from nastavnik.mentorships.services import (
    NewMentorship,
    mentorship_create,
    mentorships_create,
)
from tests.conftest import login
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.django_db


def _withdraw(tenant: Any, enrolment: Any) -> None:
    consent = Consent.objects.get(person=enrolment.person, purpose=ConsentPurpose.PERSONAL_DATA)
    consent_withdraw(actor=tenant.curator, consent=consent)


def test_a_mentees_withdrawal_ends_the_pair_and_frees_the_place(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    teacher, pupil = mentor(program), mentee(program)
    pair = mentorship_create(
        actor=tenant_a.curator, program=program, mentors=[teacher], mentees=[pupil]
    )
    assert mentor_load([teacher.pk]) == {teacher.pk: 1}

    _withdraw(tenant_a, pupil)

    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.COMPLETED
    assert pair.end_cause == EndCause.CONSENT_WITHDRAWN
    assert pair.end_reason == "согласие отозвано"
    assert pair.ended_on is not None
    assert mentor_load([teacher.pk]) == {teacher.pk: 0}
    assert not Mentorship.objects.filter(program=program, status=MentorshipStatus.ACTIVE).exists()
    # In the history of the pair (and of the program), not among the active pairs.
    change = MentorshipStatusChange.objects.filter(mentorship=pair).last()
    assert change is not None
    assert (change.from_status, change.to_status, change.reason) == (
        "active",
        "completed",
        "согласие отозвано",
    )
    page = login(tenant_a.curator).get(
        reverse("mentorships:detail", kwargs={"mentorship_id": pair.pk})
    )
    assert "согласие отозвано" in page.content.decode()


def test_a_mentors_withdrawal_ends_their_pairs(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    teacher = mentor(program, capacity=2)
    pupils = [mentee(program), mentee(program)]
    pairs = mentorships_create(
        actor=tenant_a.curator,
        program=program,
        items=[NewMentorship(mentors=[teacher], mentees=[p]) for p in pupils],
    )
    _withdraw(tenant_a, teacher)
    assert {m.status for m in Mentorship.objects.filter(pk__in=[p.pk for p in pairs])} == {
        MentorshipStatus.COMPLETED
    }
    # The mentees are free for another mentor.
    assert not matched_mentee_ids(program=program)


def test_a_proposed_pair_is_dissolved(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    pupil = mentee(program)
    [pair] = mentorships_create(
        actor=tenant_a.curator,
        program=program,
        items=[NewMentorship(mentors=[mentor(program)], mentees=[pupil])],
        status=MentorshipStatus.PROPOSED,
    )
    _withdraw(tenant_a, pupil)
    pair.refresh_from_db()
    assert (pair.status, pair.end_cause) == (
        MentorshipStatus.DISSOLVED,
        EndCause.CONSENT_WITHDRAWN,
    )


def test_a_group_goes_on_without_the_mentee_who_withdrew(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    program.group_counts_as_one_place = False
    program.save(update_fields=["group_counts_as_one_place"])
    teacher = mentor(program, capacity=3)
    leaving, staying = mentee(program), mentee(program)
    group = mentorship_create(
        actor=tenant_a.curator, program=program, mentors=[teacher], mentees=[leaving, staying]
    )
    assert mentor_load([teacher.pk]) == {teacher.pk: 2}
    _withdraw(tenant_a, leaving)
    group.refresh_from_db()
    assert group.status == MentorshipStatus.ACTIVE
    assert [m.enrolment_id for m in group.members.filter(role=MemberRole.MENTEE)] == [staying.pk]
    assert mentor_load([teacher.pk]) == {teacher.pk: 1}
    assert MentorshipStatusChange.objects.filter(
        mentorship=group, reason="согласие отозвано"
    ).exists()


def test_a_completed_pair_is_left_as_it_was(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    pupil = mentee(program)
    pair = mentorship_create(
        actor=tenant_a.curator, program=program, mentors=[mentor(program)], mentees=[pupil]
    )
    Mentorship.objects.filter(pk=pair.pk).update(
        status=MentorshipStatus.COMPLETED, end_reason="год окончен"
    )
    _withdraw(tenant_a, pupil)
    pair.refresh_from_db()
    assert (pair.end_reason, pair.end_cause) == ("год окончен", "")
