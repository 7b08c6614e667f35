"""Self-matching suggestions (``matching.suggestions``): hard rules always hold and every change
made after a visit shows at the next one — nothing is served from a stale copy."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nastavnik.consents.models import Consent, ConsentPurpose
from nastavnik.consents.services import consent_withdraw
from nastavnik.matching import services
from nastavnik.matching.suggestions import suggestion_for_pair, suggestions_for
from nastavnik.mentorships.services import mentorship_create, mentorship_set_status
from nastavnik.people import services as people_services
from nastavnik.programs.models import Enrolment
from tests.conftest import login
from tests.factories import competency
from tests.matching.factories import enrol, matching_program, mentee, mentor, profile
from tests.people.factories import kinship

pytestmark = pytest.mark.django_db


def _mentors(suggestions: list[Any]) -> list[Any]:
    return [s.mentor for s in suggestions]


def test_suggestions_leave_out_relatives_and_every_kind_of_exclusion(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    chess: dict[str, Any] = {"interests": "шахматы", "competencies": {"mathematics": 3}}
    relative, never, dissolved, free = (mentor(program, capacity=2, **chess) for _ in range(4))
    pupil = mentee(program, interests="шахматы", deficits=["mathematics"])
    assert set(_mentors(suggestions_for(enrolment=pupil))) == {relative, never, dissolved, free}

    kinship(pupil.person, relative.person, "siblings")
    services.exclusion_add(actor=tenant_a.curator, mentee=pupil.person, mentor=never.person)
    pair = mentorship_create(
        actor=tenant_a.curator, program=program, mentors=[dissolved], mentees=[pupil]
    )
    mentorship_set_status(
        actor=tenant_a.curator, mentorship=pair, status="dissolved", reason="не сработались"
    )
    assert _mentors(suggestions_for(enrolment=pupil)) == [free]


def test_one_pair_is_checked_by_the_same_rules_and_scored_the_same(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    chess: dict[str, Any] = {"interests": "шахматы", "competencies": {"mathematics": 3}}
    teachers = [mentor(program, capacity=2, **chess) for _ in range(3)]
    painter = mentor(program, capacity=2, interests="рисование акварель")
    never = mentor(program, capacity=2, **chess)
    full = mentor(program, capacity=0, **chess)
    pupil = mentee(program, interests="шахматы", deficits=["mathematics"])
    services.exclusion_add(actor=tenant_a.curator, mentee=pupil.person, mentor=never.person)

    # The painter is not among the two best, but a mentee may still ask any allowed mentor.
    best = suggestions_for(enrolment=pupil, limit=2)
    assert painter not in _mentors(best)
    for suggestion in [*best, *suggestions_for(enrolment=pupil, limit=10)]:
        one = suggestion_for_pair(enrolment=pupil, mentor=suggestion.mentor)
        assert one is not None
        assert one.score == pytest.approx(suggestion.score)
        assert one.factors == suggestion.factors
    allowed = suggestion_for_pair(enrolment=pupil, mentor=painter)
    assert allowed is not None
    assert allowed.score < best[-1].score
    assert {*teachers, painter} == set(_mentors(suggestions_for(enrolment=pupil, limit=10)))
    assert suggestion_for_pair(enrolment=pupil, mentor=never) is None
    assert suggestion_for_pair(enrolment=pupil, mentor=full) is None
    request = services.request_create(actor=tenant_a.curator, mentee=pupil, mentor=painter)
    assert request.score == pytest.approx(round(allowed.score, 6))


def test_a_mentee_with_a_mentor_gets_no_suggestions_and_the_mentors_are_not_read(
    tenant_a: Any,
) -> None:
    program = matching_program(tenant_a.organization)
    teacher = mentor(program, capacity=2, interests="шахматы")
    pupil = mentee(program, interests="шахматы")
    mentorship_create(actor=tenant_a.curator, program=program, mentors=[teacher], mentees=[pupil])
    with CaptureQueriesContext(connection) as queries:
        assert suggestions_for(enrolment=pupil) == []
    assert len(queries) == 1  # the program's pairs, nothing of the bases


def _page_order(client: Any, *people: Any) -> list[Any]:
    body = client.get(reverse("matching:suggestions")).content.decode()
    shown = [p for p in people if p.full_name in body]
    return sorted(shown, key=lambda p: body.index(p.full_name))


def test_a_profile_change_after_a_visit_shows_at_the_next_visit(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    chess = mentor(program, interests="шахматы", competencies={"mathematics": 3})
    painter = mentor(program, interests="рисование акварель")
    profile(tenant_a.mentee_person, interests="шахматы", deficits=["physics"])
    enrol(program, tenant_a.mentee_person, "mentee")
    client = login(tenant_a.mentee)
    assert _page_order(client, chess.person, painter.person) == [chess.person, painter.person]

    # The painter now teaches physics, the mentee's deficit, and plays chess too.
    people_services.profile_update(
        actor=tenant_a.curator,
        person=painter.person,
        interests="шахматы рисование",
        request="",
        preferred_format="any",
        availability=0,
        notes="",
        competencies={competency("physics").pk: 3},
        deficits=[],
        achievements={},
    )
    assert _page_order(client, chess.person, painter.person) == [painter.person, chess.person]


def test_places_and_consent_taken_away_after_a_visit_are_respected(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    full, withdrawn, free = (mentor(program, interests="шахматы") for _ in range(3))
    pupil = mentee(program, interests="шахматы")
    assert set(_mentors(suggestions_for(enrolment=pupil))) == {full, withdrawn, free}

    # A bulk update that bumps no timestamp: a cache keyed on one would miss it.
    Enrolment.objects.filter(pk=full.pk).update(capacity=0)
    consent = Consent.objects.get(person=withdrawn.person, purpose=ConsentPurpose.PERSONAL_DATA)
    consent_withdraw(actor=tenant_a.curator, consent=consent)
    assert _mentors(suggestions_for(enrolment=pupil)) == [free]
