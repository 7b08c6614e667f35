"""Pairs and groups: capacity, statuses, who sees whom, the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nastavnik.mentorships.models import Mentorship, MentorshipStatus
from nastavnik.mentorships.selectors import mentor_load
from nastavnik.mentorships.services import mentorship_create, mentorship_set_status
from nastavnik.people.selectors import person_queryset
from tests.conftest import login
from tests.matching.factories import enrol, matching_program, mentee, mentor
from tests.mentorships.orders import order_print

pytestmark = pytest.mark.django_db


def _pair(tenant: Any, status: str = MentorshipStatus.ACTIVE) -> Any:
    """The tenant's mentor (with a login) mentors the tenant's pupil without a login."""
    program = matching_program(tenant.organization)
    teacher = enrol(program, tenant.mentor_person, "mentor", capacity=2)
    pupil = enrol(program, tenant.student, "mentee")
    mentorship = mentorship_create(
        actor=tenant.curator, program=program, mentors=[teacher], mentees=[pupil]
    )
    if status != MentorshipStatus.ACTIVE:
        mentorship_set_status(
            actor=tenant.curator, mentorship=mentorship, status=status, reason="причина"
        )
    return mentorship


def test_a_mentor_sees_their_mentee(tenant_a: Any) -> None:
    _pair(tenant_a)
    assert person_queryset(user=tenant_a.mentor).filter(pk=tenant_a.student.pk).exists()


def test_a_mentor_does_not_see_a_mentee_of_a_dissolved_pair(tenant_a: Any) -> None:
    _pair(tenant_a, MentorshipStatus.DISSOLVED)
    assert not person_queryset(user=tenant_a.mentor).filter(pk=tenant_a.student.pk).exists()


def test_a_mentee_sees_their_mentor(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    teacher = enrol(program, tenant_a.mentor_person, "mentor")
    pupil = enrol(program, tenant_a.mentee_person, "mentee")
    mentorship_create(actor=tenant_a.curator, program=program, mentors=[teacher], mentees=[pupil])
    visible = person_queryset(user=tenant_a.mentee)
    assert visible.filter(pk=tenant_a.mentor_person.pk).exists()


def _per_member(program: Any) -> Any:
    """The program counts every member of a group against its mentors' capacity."""
    program.group_counts_as_one_place = False
    program.save(update_fields=["group_counts_as_one_place"])
    return program


def test_capacity_is_never_exceeded_counting_every_member(tenant_a: Any) -> None:
    program = _per_member(matching_program(tenant_a.organization))
    teacher = mentor(program, capacity=2)
    with pytest.raises(ValidationError, match="нет свободных мест"):
        mentorship_create(
            actor=tenant_a.curator,
            program=program,
            mentors=[teacher],
            mentees=[mentee(program), mentee(program), mentee(program)],
        )
    assert mentor_load([teacher.pk]) == {teacher.pk: 0}


def test_a_group_counts_every_mentee_if_the_program_says_so(tenant_a: Any) -> None:
    program = _per_member(matching_program(tenant_a.organization))
    teacher = mentor(program, capacity=3)
    group = mentorship_create(
        actor=tenant_a.curator,
        program=program,
        mentors=[teacher],
        mentees=[mentee(program), mentee(program)],
    )
    assert (group.is_group, mentor_load([teacher.pk])) == (True, {teacher.pk: 2})


def test_a_group_takes_one_place_of_each_mentor_by_default(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    assert program.group_counts_as_one_place
    first, second = mentor(program, capacity=2), mentor(program, capacity=1)
    group = mentorship_create(
        actor=tenant_a.curator,
        program=program,
        mentors=[first, second],
        mentees=[mentee(program) for _ in range(5)],
    )
    mentorship_create(
        actor=tenant_a.curator, program=program, mentors=[first], mentees=[mentee(program)]
    )
    assert (group.is_group, mentor_load([first.pk, second.pk])) == (
        True,
        {first.pk: 2, second.pk: 1},
    )


def test_capacity_is_never_exceeded_when_a_group_is_one_place(tenant_a: Any) -> None:
    """A mentor of one place leads a group of three; a second group or a pair is refused."""
    program = matching_program(tenant_a.organization)
    teacher = mentor(program, capacity=1)
    mentorship_create(
        actor=tenant_a.curator,
        program=program,
        mentors=[teacher],
        mentees=[mentee(program) for _ in range(3)],
    )
    for mentees in ([mentee(program), mentee(program)], [mentee(program)]):
        with pytest.raises(ValidationError, match="нет свободных мест"):
            mentorship_create(
                actor=tenant_a.curator, program=program, mentors=[teacher], mentees=mentees
            )
    assert mentor_load([teacher.pk]) == {teacher.pk: 1}


def test_the_load_follows_each_mentorships_program(tenant_a: Any) -> None:
    """Two programs, two rules: the same kind of group counts one place in one and three in the
    other; a closed group frees its place."""
    one_place = matching_program(tenant_a.organization)
    per_member = _per_member(matching_program(tenant_a.organization))
    a, b = mentor(one_place, capacity=5), mentor(per_member, capacity=5)
    for program, teacher in ((one_place, a), (per_member, b)):
        mentorship_create(
            actor=tenant_a.curator,
            program=program,
            mentors=[teacher],
            mentees=[mentee(program) for _ in range(3)],
        )
    closed = mentorship_create(
        actor=tenant_a.curator,
        program=one_place,
        mentors=[a],
        mentees=[mentee(one_place), mentee(one_place)],
    )
    assert mentor_load([a.pk, b.pk]) == {a.pk: 2, b.pk: 3}
    mentorship_set_status(
        actor=tenant_a.curator, mentorship=closed, status="completed", reason="год окончен"
    )
    assert mentor_load([a.pk, b.pk]) == {a.pk: 1, b.pk: 3}


def test_a_completed_pair_frees_the_place(tenant_a: Any) -> None:
    mentorship = _pair(tenant_a, MentorshipStatus.COMPLETED)
    mentor_enrolment = mentorship.members.get(role="mentor").enrolment_id
    assert mentor_load([mentor_enrolment]) == {mentor_enrolment: 0}


def test_dissolving_needs_a_reason(tenant_a: Any) -> None:
    mentorship = _pair(tenant_a)
    with pytest.raises(ValidationError):
        mentorship_set_status(actor=tenant_a.curator, mentorship=mentorship, status="dissolved")


def test_a_completed_pair_stays_completed(tenant_a: Any) -> None:
    mentorship = _pair(tenant_a, MentorshipStatus.COMPLETED)
    with pytest.raises(ValidationError):
        mentorship_set_status(
            actor=tenant_a.curator, mentorship=mentorship, status="active", reason="снова"
        )


def test_only_a_curator_changes_the_status(tenant_a: Any) -> None:
    mentorship = _pair(tenant_a)
    with pytest.raises(PermissionDenied):
        mentorship_set_status(
            actor=tenant_a.mentor, mentorship=mentorship, status="paused", reason="каникулы"
        )


def test_my_page_shows_the_mentor_their_mentee(tenant_a: Any) -> None:
    _pair(tenant_a)
    page = login(tenant_a.mentor).get(reverse("mentorships:my"))
    assert tenant_a.student.full_name in page.content.decode()


def test_the_mentor_opens_the_pair(tenant_a: Any) -> None:
    mentorship = _pair(tenant_a)
    response = login(tenant_a.mentor).get(
        reverse("mentorships:detail", kwargs={"mentorship_id": mentorship.pk})
    )
    assert response.status_code == 200


def test_the_curator_pauses_the_pair_on_its_page(tenant_a: Any) -> None:
    mentorship = _pair(tenant_a)
    login(tenant_a.curator).post(
        reverse("mentorships:status", kwargs={"mentorship_id": mentorship.pk}),
        {"status": "paused", "reason": "каникулы"},
    )
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.PAUSED


def test_the_programs_list_and_the_order_list_show_the_pair(tenant_a: Any) -> None:
    mentorship = _pair(tenant_a)
    client = login(tenant_a.curator)
    for name in ("mentorships:program", "mentorships:order"):
        page = client.get(reverse(name, kwargs={"program_id": mentorship.program_id}))
        assert tenant_a.student.full_name in page.content.decode()


def test_another_organizations_curator_gets_404(tenant_a: Any, tenant_b: Any) -> None:
    mentorship = _pair(tenant_a)
    response = login(tenant_b.curator).get(
        reverse("mentorships:detail", kwargs={"mentorship_id": mentorship.pk})
    )
    assert response.status_code == 404


def test_the_order_is_printed_and_recorded_on_the_pairs(tenant_a: Any) -> None:
    mentorship = _pair(tenant_a)
    job, response = order_print(
        login(tenant_a.curator),
        mentorship.program_id,
        {"number": "17-н", "signed_on": "01.10.2026", "fmt": "docx", "only_new": "on"},
    )
    mentorship.refresh_from_db()
    assert (job.kind, job.mentorships, job.origin) == (
        "pairs-order",
        [mentorship.pk],
        "mentorships:order",
    )
    assert response["Content-Disposition"].endswith('.docx"')
    assert (mentorship.order_number, str(mentorship.order_date)) == ("17-н", "2026-10-01")


def test_the_curator_forms_a_pair_by_hand(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    teacher = mentor(program)
    pupil = mentee(program)
    login(tenant_a.curator).post(
        reverse("mentorships:program", kwargs={"program_id": program.pk}),
        {"mentor": teacher.pk, "mentees": [pupil.pk]},
    )
    assert mentor_load([teacher.pk]) == {teacher.pk: 1}


def test_a_full_mentor_is_not_offered_by_hand(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    teacher = mentor(program, capacity=1, last_name="Занятова")
    mentorship_create(
        actor=tenant_a.curator, program=program, mentors=[teacher], mentees=[mentee(program)]
    )
    mentee(program)
    page = login(tenant_a.curator).get(
        reverse("mentorships:program", kwargs={"program_id": program.pk})
    )
    assert 'id="hand-form"' not in page.content.decode()


def test_no_pair_without_consent(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    with pytest.raises(ValidationError, match="Нет действующего согласия"):
        mentorship_create(
            actor=tenant_a.curator,
            program=program,
            mentors=[mentor(program)],
            mentees=[mentee(program, consent=False)],
        )


def test_the_mentor_opens_the_mentees_profile(tenant_a: Any) -> None:
    _pair(tenant_a)
    response = login(tenant_a.mentor).get(
        reverse("people:detail", kwargs={"person_id": tenant_a.student.pk})
    )
    assert response.status_code == 200


def test_the_admin_lists_pairs_and_runs(tenant_a: Any, admin_user: Any) -> None:
    _pair(tenant_a)
    client = login(admin_user)
    statuses = {
        client.get(f"/admin/{path}/").status_code
        for path in ("mentorships/mentorship", "matching/matchingrun", "matching/proposal")
    }
    assert statuses == {200}
    pair = Mentorship.objects.get()
    page = client.get(f"/admin/mentorships/mentorship/{pair.pk}/change/")
    assert page.status_code == 200
