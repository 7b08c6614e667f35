"""«Завершить пары»: the curator completes several pairs and groups of a program at once, with one
reason, after a confirmation page; each change is written as a single one (history, audit), under
row locks taken in ascending id order; a pair changed meanwhile is reported, never changed twice."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nastavnik.core.models import AuditEntry
from nastavnik.mentorships.models import Mentorship, MentorshipStatus, MentorshipStatusChange
from nastavnik.mentorships.services import (
    mentorship_create,
    mentorship_set_status,
    mentorships_complete,
)
from nastavnik.programs.models import Program
from tests.concurrency import ON_POSTGRES, at_once
from tests.conftest import login, make_tenant
from tests.matching.factories import matching_program, mentee, mentor
from tests.shipped import ensure_shipped_data


def _pairs(tenant: Any, count: int) -> tuple[Program, list[Mentorship]]:
    program = matching_program(tenant.organization)
    made = [
        mentorship_create(
            actor=tenant.curator,
            program=program,
            mentors=[mentor(program)],
            mentees=[mentee(program)],
        )
        for _ in range(count)
    ]
    return program, made


def _url(program: Program) -> str:
    return reverse("mentorships:complete", kwargs={"program_id": program.pk})


@pytest.mark.django_db
def test_completing_writes_each_pair_as_a_single_change_does(tenant_a: Any) -> None:
    program, (first, second, third) = _pairs(tenant_a, 3)
    mentorship_set_status(
        actor=tenant_a.curator, mentorship=second, status=MentorshipStatus.PAUSED, reason="каникулы"
    )
    result = mentorships_complete(
        actor=tenant_a.curator,
        program=program,
        mentorships=[second, first],
        reason="  Программа завершена  ",
    )
    assert [m.pk for m in result.completed] == [first.pk, second.pk]
    assert result.skipped == []
    for pair, previous in ((first, "active"), (second, "paused")):
        pair.refresh_from_db()
        assert pair.status == MentorshipStatus.COMPLETED
        assert pair.end_reason == "Программа завершена"
        assert pair.ended_on is not None
        change = MentorshipStatusChange.objects.filter(mentorship=pair).latest("pk")
        assert (change.from_status, change.to_status) == (previous, "completed")
        assert change.reason == "Программа завершена"
        assert change.changed_by == tenant_a.curator
        entry = AuditEntry.objects.filter(
            action="mentorship.status", object_id=str(pair.pk), data__to="completed"
        ).get()
        assert entry.actor == tenant_a.curator
        assert entry.organization_id == tenant_a.organization.pk
        assert entry.data["from"] == previous
    third.refresh_from_db()
    assert third.status == MentorshipStatus.ACTIVE


@pytest.mark.django_db
def test_a_pair_ended_meanwhile_is_reported_not_changed_twice(tenant_a: Any) -> None:
    program, (first, second) = _pairs(tenant_a, 2)
    stale = Mentorship.objects.get(pk=second.pk)  # the curator's page, read before the change
    mentorship_set_status(
        actor=tenant_a.curator,
        mentorship=second,
        status=MentorshipStatus.DISSOLVED,
        reason="наставник уволился",
    )
    before = MentorshipStatusChange.objects.filter(mentorship=second).count()
    result = mentorships_complete(
        actor=tenant_a.curator, program=program, mentorships=[first, stale], reason="конец года"
    )
    assert [m.pk for m in result.completed] == [first.pk]
    assert [m.pk for m in result.skipped] == [second.pk]
    second.refresh_from_db()
    assert second.status == MentorshipStatus.DISSOLVED
    assert second.end_reason == "наставник уволился"
    assert MentorshipStatusChange.objects.filter(mentorship=second).count() == before


@pytest.mark.django_db
def test_a_single_change_after_the_bulk_reads_the_committed_status(tenant_a: Any) -> None:
    program, (pair,) = _pairs(tenant_a, 1)
    stale = Mentorship.objects.get(pk=pair.pk)
    mentorships_complete(
        actor=tenant_a.curator, program=program, mentorships=[pair], reason="конец"
    )
    with pytest.raises(ValidationError):
        mentorship_set_status(
            actor=tenant_a.curator, mentorship=stale, status="dissolved", reason="ошибка"
        )
    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.COMPLETED


@pytest.mark.django_db
def test_the_reason_and_a_choice_are_required(tenant_a: Any) -> None:
    program, (pair,) = _pairs(tenant_a, 1)
    with pytest.raises(ValidationError) as error:
        mentorships_complete(
            actor=tenant_a.curator, program=program, mentorships=[pair], reason=" "
        )
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError):
        mentorships_complete(actor=tenant_a.curator, program=program, mentorships=[], reason="x")
    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.ACTIVE


@pytest.mark.django_db
def test_only_the_programs_curator_completes(tenant_a: Any, tenant_b: Any) -> None:
    program, (pair,) = _pairs(tenant_a, 1)
    for actor in (tenant_a.mentor, tenant_a.mentee, tenant_b.curator):
        with pytest.raises(PermissionDenied):
            mentorships_complete(actor=actor, program=program, mentorships=[pair], reason="конец")
    _, (other,) = _pairs(tenant_a, 1)
    with pytest.raises(ValidationError):
        mentorships_complete(
            actor=tenant_a.curator, program=program, mentorships=[pair, other], reason="конец"
        )
    assert set(Mentorship.objects.values_list("status", flat=True)) == {"active"}


@ON_POSTGRES
@pytest.mark.django_db
def test_the_rows_are_locked_in_ascending_id_order(tenant_a: Any) -> None:
    program, pairs = _pairs(tenant_a, 3)
    with CaptureQueriesContext(connection) as queries:
        mentorships_complete(
            actor=tenant_a.curator, program=program, mentorships=pairs[::-1], reason="конец"
        )
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locks) == 1, locks
    assert 'ORDER BY "mentorships_mentorship"."id" ASC' in locks[0]
    assert 'FOR UPDATE OF "mentorships_mentorship"' in locks[0]


# --- the pages ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_curator_chooses_confirms_and_completes(tenant_a: Any) -> None:
    program, (first, second, third) = _pairs(tenant_a, 3)
    client = login(tenant_a.curator)
    page = client.get(reverse("mentorships:program", kwargs={"program_id": program.pk}))
    html = page.content.decode()
    assert 'id="complete-form"' in html
    assert "Завершить пары" in html
    confirm = client.get(_url(program), {"ids": [first.pk, second.pk], "reason": "Конец года"})
    html = confirm.content.decode()
    assert confirm.status_code == 200
    assert "Будут завершены 2 пары и группы" in html
    assert 'value="Конец года"' in html
    assert f'value="{third.pk}"' not in html
    assert Mentorship.objects.filter(status="completed").count() == 0  # nothing changes yet
    done = client.post(
        _url(program), {"ids": [first.pk, second.pk], "reason": "Конец года"}, follow=True
    )
    assert "Завершены 2 пары и группы." in done.content.decode()
    statuses = dict(Mentorship.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "completed", second.pk: "completed", third.pk: "active"}


@pytest.mark.django_db
def test_all_active_and_paused_are_offered_at_once(tenant_a: Any) -> None:
    program, (first, second, third) = _pairs(tenant_a, 3)
    mentorship_set_status(actor=tenant_a.curator, mentorship=second, status="paused", reason="x")
    mentorship_set_status(actor=tenant_a.curator, mentorship=third, status="dissolved", reason="y")
    page = login(tenant_a.curator).get(_url(program), {"all": "1", "reason": "конец"})
    html = page.content.decode()
    assert f'name="ids" value="{first.pk}"' in html
    assert f'name="ids" value="{second.pk}"' in html
    assert f'name="ids" value="{third.pk}"' not in html


@pytest.mark.django_db
def test_the_page_reports_a_pair_ended_meanwhile(tenant_a: Any) -> None:
    program, (first, second) = _pairs(tenant_a, 2)
    mentorship_set_status(actor=tenant_a.curator, mentorship=second, status="dissolved", reason="z")
    done = login(tenant_a.curator).post(
        _url(program), {"ids": [first.pk, second.pk], "reason": "конец"}, follow=True
    )
    html = done.content.decode()
    assert "Завершена 1 пара или группа." in html
    assert f"Уже были завершены или расформированы, не изменены: № {second.number}." in html


@pytest.mark.django_db
def test_without_a_reason_nothing_changes_and_the_list_stays(tenant_a: Any) -> None:
    program, (pair,) = _pairs(tenant_a, 1)
    response = login(tenant_a.curator).post(_url(program), {"ids": [pair.pk], "reason": ""})
    assert response.status_code == 200
    assert "Укажите причину завершения пар и групп." in response.content.decode()
    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.ACTIVE


@pytest.mark.django_db
def test_nothing_chosen_goes_back_with_a_message(tenant_a: Any) -> None:
    program, _ = _pairs(tenant_a, 1)
    response = login(tenant_a.curator).get(_url(program), {"reason": "конец"}, follow=True)
    assert "Выберите хотя бы одну активную или приостановленную пару" in response.content.decode()


@pytest.mark.django_db
def test_another_organizations_pair_answers_404(tenant_a: Any, tenant_b: Any) -> None:
    program, (mine,) = _pairs(tenant_a, 1)
    _, (theirs,) = _pairs(tenant_b, 1)
    client = login(tenant_a.curator)
    for method in (client.get, client.post):
        response = method(_url(program), {"ids": [mine.pk, theirs.pk], "reason": "конец"})
        assert response.status_code == 404
    assert (
        login(tenant_b.curator)
        .post(_url(program), {"ids": [mine.pk], "reason": "конец"})
        .status_code
        == 404
    )
    assert set(Mentorship.objects.values_list("status", flat=True)) == {"active"}


@pytest.mark.django_db
def test_a_mentor_may_not_complete(tenant_a: Any) -> None:
    program, (pair,) = _pairs(tenant_a, 1)
    response = login(tenant_a.mentor).post(_url(program), {"ids": [pair.pk], "reason": "конец"})
    assert response.status_code in (403, 404)
    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.ACTIVE


# --- two curators at once (PostgreSQL, two real connections) ------------------------------------


@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_two_curators_completing_overlapping_pairs_complete_each_once() -> None:
    ensure_shipped_data()
    tenant = make_tenant("bulk")
    program, pairs = _pairs(tenant, 6)
    ids = [m.pk for m in pairs]
    for _ in range(3):
        Mentorship.objects.filter(pk__in=ids).update(status="active", ended_on=None, end_reason="")
        MentorshipStatusChange.objects.filter(mentorship__in=ids, to_status="completed").delete()
        mine = list(Mentorship.objects.filter(pk__in=ids[:4]))
        theirs = list(Mentorship.objects.filter(pk__in=ids[2:]))[::-1]
        outcomes = at_once(
            lambda mine=mine: mentorships_complete(
                actor=tenant.curator, program=program, mentorships=mine, reason="первый"
            ),
            lambda theirs=theirs: mentorships_complete(
                actor=tenant.curator, program=program, mentorships=theirs, reason="второй"
            ),
        )
        assert None not in outcomes, outcomes  # a call that raised answers None
        completed = sorted(m.pk for o in outcomes for m in o.completed)
        skipped = sorted(m.pk for o in outcomes for m in o.skipped)
        assert completed == sorted(ids)  # each pair completed exactly once
        assert skipped == sorted(ids[2:4])  # the overlap, reported by the later one
        assert MentorshipStatusChange.objects.filter(
            mentorship__in=ids, to_status="completed"
        ).count() == len(ids)
        assert set(Mentorship.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
            "completed"
        }
