"""One mentee in one open pair whatever the path (and under two concurrent connections on
PostgreSQL), numbers of pairs per program, the status history, the variant of the mentees."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.urls import reverse

from nastavnik.matching.models import MentorRequest
from nastavnik.matching.services import request_accept
from nastavnik.mentorships.models import (
    MemberRole,
    Mentorship,
    MentorshipMember,
    MentorshipStatus,
    MentorshipStatusChange,
)
from nastavnik.mentorships.services import (
    NewMentorship,
    mentorship_create,
    mentorship_set_status,
    mentorships_create,
)
from nastavnik.programs.models import Variant
from tests.conftest import login, make_tenant
from tests.matching.factories import enrol, matching_program, mentee, mentor
from tests.mentorships.orders import content, order_print
from tests.shipped import ensure_shipped_data

pytestmark = pytest.mark.django_db


def test_a_mentee_already_in_a_pair_is_refused_by_the_service(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    first, second = mentor(program), mentor(program)
    pupil = mentee(program, last_name="Занятая")
    mentorship_create(actor=tenant_a.curator, program=program, mentors=[first], mentees=[pupil])
    with pytest.raises(ValidationError, match=r"Занятая .* уже в паре или группе"):
        mentorship_create(
            actor=tenant_a.curator, program=program, mentors=[second], mentees=[pupil]
        )
    assert MentorshipMember.objects.filter(enrolment=pupil).count() == 1


def test_a_proposed_or_paused_pair_keeps_the_mentee_a_completed_one_frees_them(
    tenant_a: Any,
) -> None:
    program = matching_program(tenant_a.organization)
    first, second = mentor(program), mentor(program)
    pupil = mentee(program)
    [pair] = mentorships_create(
        actor=tenant_a.curator,
        program=program,
        items=[NewMentorship(mentors=[first], mentees=[pupil])],
        status=MentorshipStatus.PROPOSED,
    )
    with pytest.raises(ValidationError):
        mentorship_create(
            actor=tenant_a.curator, program=program, mentors=[second], mentees=[pupil]
        )
    mentorship_set_status(actor=tenant_a.curator, mentorship=pair, status="active", reason="приказ")
    mentorship_set_status(
        actor=tenant_a.curator, mentorship=pair, status="completed", reason="цели достигнуты"
    )
    mentorship_create(actor=tenant_a.curator, program=program, mentors=[second], mentees=[pupil])


def test_the_hand_pairing_page_shows_the_services_refusal(tenant_a: Any) -> None:
    """The view does not decide who is free: it passes the choice to the service, which says
    the mentee is taken (the page may have been opened before the other pair was formed)."""
    program = matching_program(tenant_a.organization)
    first, second = mentor(program), mentor(program)
    pupil = mentee(program, last_name="Занятая")
    client = login(tenant_a.curator)
    url = reverse("mentorships:program", kwargs={"program_id": program.pk})
    client.post(url, {"mentor": first.pk, "mentees": [pupil.pk]})
    page = client.post(url, {"mentor": second.pk, "mentees": [pupil.pk]}, follow=True)
    assert "уже в паре или группе" in page.content.decode()
    assert Mentorship.objects.filter(program=program).count() == 1


def test_accepting_a_request_for_a_paired_mentee_is_refused(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    first, second = mentor(program), enrol(program, tenant_a.mentor_person, "mentor")
    pupil = mentee(program)
    request = MentorRequest.objects.create(
        organization=tenant_a.organization,
        program=program,
        mentee=pupil,
        mentor=second,
        expires_at="2999-01-01T00:00:00Z",
    )
    mentorship_create(actor=tenant_a.curator, program=program, mentors=[first], mentees=[pupil])
    with pytest.raises(ValidationError):
        request_accept(actor=tenant_a.mentor, request=request)
    assert Mentorship.objects.filter(program=program).count() == 1


# --- Two curators at the same moment (PostgreSQL) ------------------------------------------------


# Decided at collection, so that SQLite does not even set up a transactional database.
ON_POSTGRES = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs two real concurrent connections with row locks: PostgreSQL only",
)


def _race(targets: list[Any]) -> list[BaseException | None]:
    """Run each target in its own thread (so its own database connection), released together."""
    barrier = threading.Barrier(len(targets))
    outcomes: list[BaseException | None] = [None] * len(targets)

    def run(index: int, target: Any) -> None:
        try:
            barrier.wait(timeout=10)
            target()
        except BaseException as exc:  # reported to the test
            outcomes[index] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_two_curators_pairing_one_mentee_at_once_make_one_pair() -> None:
    ensure_shipped_data()
    tenant = make_tenant("race")
    program = matching_program(tenant.organization)
    first, second = mentor(program), mentor(program)
    pupil = mentee(program)
    for _round in range(3):
        outcomes = _race(
            [
                lambda m=m: mentorship_create(
                    actor=tenant.curator, program=program, mentors=[m], mentees=[pupil]
                )
                for m in (first, second)
            ]
        )
        refused = [o for o in outcomes if o is not None]
        assert len(refused) == 1, outcomes
        assert isinstance(refused[0], ValidationError)
        assert "уже в паре" in str(refused[0])
        open_pairs = Mentorship.objects.filter(
            members__enrolment=pupil, status=MentorshipStatus.ACTIVE
        )
        assert open_pairs.count() == 1
        # Free the mentee for the next round.
        pair = open_pairs.get()
        mentorship_set_status(
            actor=tenant.curator, mentorship=pair, status="completed", reason="год окончен"
        )
    numbers = list(
        Mentorship.objects.filter(program=program)
        .order_by("number")
        .values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3]


@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_two_curators_forming_different_pairs_at_once_get_different_numbers() -> None:
    ensure_shipped_data()
    tenant = make_tenant("numbers")
    program = matching_program(tenant.organization)
    pairs = [(mentor(program), mentee(program)) for _ in range(2)]
    outcomes = _race(
        [
            lambda t=t, p=p: mentorship_create(
                actor=tenant.curator, program=program, mentors=[t], mentees=[p]
            )
            for t, p in pairs
        ]
    )
    assert outcomes == [None, None]
    assert sorted(Mentorship.objects.filter(program=program).values_list("number", flat=True)) == [
        1,
        2,
    ]


# --- Numbers, history, variant ------------------------------------------------------------------


def test_pairs_are_numbered_per_program_and_shown_by_number(tenant_a: Any) -> None:
    program, other = (matching_program(tenant_a.organization) for _ in range(2))
    mentorship_create(
        actor=tenant_a.curator, program=other, mentors=[mentor(other)], mentees=[mentee(other)]
    )
    created = mentorships_create(
        actor=tenant_a.curator,
        program=program,
        items=[
            NewMentorship(mentors=[mentor(program)], mentees=[mentee(program)]) for _ in range(2)
        ],
    )
    assert [m.number for m in created] == [1, 2]
    third = mentorship_create(
        actor=tenant_a.curator,
        program=program,
        mentors=[mentor(program)],
        mentees=[mentee(program), mentee(program)],
    )
    assert third.number == 3
    client = login(tenant_a.curator)
    detail = client.get(reverse("mentorships:detail", kwargs={"mentorship_id": third.pk}))
    assert "группа № 3" in detail.content.decode()
    listing = client.get(reverse("mentorships:program", kwargs={"program_id": program.pk}))
    html = listing.content.decode()
    assert f'/mentorships/{third.pk}/">3</a>' in html
    order = client.get(reverse("mentorships:order", kwargs={"program_id": program.pk}))
    assert "<td>3</td>" in order.content.decode()


def test_every_status_change_is_recorded_and_shown(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    pair = mentorship_create(
        actor=tenant_a.curator,
        program=program,
        mentors=[mentor(program)],
        mentees=[mentee(program)],
    )
    mentorship_set_status(
        actor=tenant_a.curator, mentorship=pair, status="paused", reason="каникулы"
    )
    history = list(
        MentorshipStatusChange.objects.filter(mentorship=pair).values_list(
            "from_status", "to_status", "reason", "changed_by"
        )
    )
    assert history == [
        ("", "active", "", tenant_a.curator.pk),
        ("active", "paused", "каникулы", tenant_a.curator.pk),
    ]
    page = login(tenant_a.curator).get(
        reverse("mentorships:detail", kwargs={"mentorship_id": pair.pk})
    )
    html = page.content.decode()
    assert 'id="status-history"' in html
    assert "каникулы" in html


def test_a_pair_takes_the_variant_of_its_mentees_enrolment(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    chosen, theirs = Variant.objects.filter(form=program.form)[:2]
    pupil = mentee(program)
    pupil.variant = theirs
    pupil.save()
    pair = mentorship_create(
        actor=tenant_a.curator,
        program=program,
        mentors=[mentor(program)],
        mentees=[pupil],
        variant=chosen,
    )
    assert pair.variant == theirs
    # Mentees without a variant: the caller's (the run's) variant.
    other = mentorship_create(
        actor=tenant_a.curator,
        program=program,
        mentors=[mentor(program)],
        mentees=[mentee(program)],
        variant=chosen,
    )
    assert other.variant == chosen


def test_members_keep_their_roles(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    teacher, pupil = mentor(program), mentee(program)
    pair = mentorship_create(
        actor=tenant_a.curator, program=program, mentors=[teacher], mentees=[pupil]
    )
    assert {(m.enrolment_id, m.role) for m in pair.members.all()} == {
        (teacher.pk, MemberRole.MENTOR),
        (pupil.pk, MemberRole.MENTEE),
    }


def test_the_order_names_each_pair_by_its_number(tenant_a: Any) -> None:
    import io

    from docx import Document

    program = matching_program(tenant_a.organization)
    mentorships_create(
        actor=tenant_a.curator,
        program=program,
        items=[
            NewMentorship(mentors=[mentor(program)], mentees=[mentee(program)]) for _ in range(2)
        ],
    )
    _job, download = order_print(login(tenant_a.curator), program.pk, {"fmt": "docx"})
    assert download.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(content(download))).paragraphs)
    assert "(пара № 1)" in text
    assert "(пара № 2)" in text


def test_the_api_gives_the_number_and_the_end_cause(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    pair = mentorship_create(
        actor=tenant_a.curator,
        program=program,
        mentors=[mentor(program)],
        mentees=[mentee(program)],
    )
    data = login(tenant_a.curator).get(f"/api/v1/mentorships/{pair.pk}").json()
    assert (data["id"], data["number"], data["end_cause"]) == (pair.pk, 1, "")
