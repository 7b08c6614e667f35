"""The plan, meetings, reflections and who may read or write them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from nastavnik.core.models import AuditEntry
from nastavnik.pairwork import selectors, services
from nastavnik.pairwork.models import Attendance, ItemStatus, Meeting, MeetingStatus, Task
from tests.conftest import make_tenant
from tests.factories import TeacherFactory, UserFactory
from tests.pairwork.factories import goal, meeting, task, working_pair

pytestmark = pytest.mark.django_db


def _later(hours: int = 24) -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=hours)


def test_the_mentor_plans_goals_and_tasks(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    g = services.goal_create(
        actor=tenant_a.mentor, mentorship=pair, title="Уверенно решать уравнения", result="8 из 10"
    )
    t = services.task_create(
        actor=tenant_a.mentor, mentorship=pair, goal=g, title="Разобрать 5 задач"
    )
    assert t.goal == g
    assert t.organization_id == tenant_a.organization.pk
    assert AuditEntry.objects.filter(action="pairwork.task_create").exists()


def test_a_task_without_a_goal_is_refused(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    with pytest.raises(ValidationError) as exc:
        services.task_create(actor=tenant_a.mentor, mentorship=pair, goal=None, title="Задача")
    assert "цел" in str(exc.value.message_dict["goal"][0])
    assert not Task.objects.exists()


def test_a_goal_of_another_pair_is_refused(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    other = working_pair(tenant_a, mentee=tenant_a.student)
    with pytest.raises(ValidationError):
        services.task_create(
            actor=tenant_a.mentor, mentorship=pair, goal=goal(other), title="Задача"
        )


def test_the_mentee_does_not_edit_the_plan(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    with pytest.raises(PermissionDenied):
        services.goal_create(actor=tenant_a.mentee, mentorship=pair, title="Моя цель")
    with pytest.raises(PermissionDenied):
        services.goal_create(actor=tenant_a.head, mentorship=pair, title="Цель")
    services.goal_create(actor=tenant_a.curator, mentorship=pair, title="Цель куратора")


def test_ticking_a_task_twice_is_one_change(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    t = task(goal(pair))
    services.task_set_done(actor=tenant_a.mentor, task=t, done=True)
    services.task_set_done(actor=tenant_a.mentor, task=t, done=True)
    t.refresh_from_db()
    assert t.status == ItemStatus.DONE
    assert t.done_on == timezone.localdate()
    assert AuditEntry.objects.filter(action="pairwork.task_done").count() == 1


def test_a_planned_meeting_in_the_past_is_refused(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(
            actor=tenant_a.mentor, mentorship=pair, starts_at=_later(-2), topic="Планирование"
        )
    assert "прошлом" in exc.value.message_dict["starts_at"][0]
    assert not Meeting.objects.exists()


def test_an_online_meeting_needs_a_link(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(
            actor=tenant_a.mentor,
            mentorship=pair,
            starts_at=_later(),
            topic="Пробная встреча",
            format="online",
        )
    assert "link" in exc.value.message_dict


def test_overlapping_meetings_of_one_person_are_refused(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    other = working_pair(tenant_a, mentee=tenant_a.student)  # the same mentor
    start = _later(48)
    services.meeting_create(actor=tenant_a.mentor, mentorship=pair, starts_at=start, topic="А")
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(
            actor=tenant_a.mentor,
            mentorship=other,
            starts_at=start + dt.timedelta(minutes=30),
            topic="Б",
        )
    assert "пересекается" in exc.value.message_dict["starts_at"][0]
    services.meeting_create(
        actor=tenant_a.mentor,
        mentorship=other,
        starts_at=start + dt.timedelta(minutes=45),
        topic="Б",
    )
    assert Meeting.objects.count() == 2


def test_logging_a_held_meeting_records_attendance(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    m = services.meeting_create(
        actor=tenant_a.mentor,
        mentorship=pair,
        starts_at=_later(-1),
        topic="Знакомство",
        held=True,
        present_person_ids=[tenant_a.mentor_person.pk],
    )
    assert m.status == MeetingStatus.HELD
    rows = dict(Attendance.objects.filter(meeting=m).values_list("person_id", "present"))
    assert rows == {tenant_a.mentor_person.pk: True, tenant_a.mentee_person.pk: False}


def test_the_mentee_writes_a_reflection_after_a_held_meeting(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    planned = meeting(pair, starts_at=_later(), status=MeetingStatus.PLANNED)
    with pytest.raises(ValidationError):
        services.reflection_write(actor=tenant_a.mentee, meeting=planned, learned="Ничего")
    held = meeting(pair, days_ago=1)
    services.reflection_write(actor=tenant_a.mentee, meeting=held, learned="Проценты", hard="")
    r = services.reflection_write(
        actor=tenant_a.mentee, meeting=held, learned="Проценты и доли", hard="Задачи на смеси"
    )
    assert held.reflections.get() == r
    assert r.author == tenant_a.mentee_person
    with pytest.raises(PermissionDenied):
        services.reflection_write(actor=tenant_a.mentor, meeting=held, learned="Я наставник")


def test_who_sees_a_pair(tenant_a: Any, tenant_b: Any, coordinator: Any) -> None:
    pair = working_pair(tenant_a)
    for user in (tenant_a.mentor, tenant_a.mentee, tenant_a.curator, tenant_a.head):
        assert selectors.pair_get(user=user, mentorship_id=pair.pk) == pair
    other_mentor = UserFactory(username="other-mentor")
    TeacherFactory(organization=tenant_a.organization, user=other_mentor)
    from nastavnik.accounts.models import Role
    from tests.factories import MembershipFactory

    MembershipFactory(user=other_mentor, role=Role.MENTOR, organization=tenant_a.organization)
    m = meeting(pair, days_ago=1)
    t = task(goal(pair))
    for user in (other_mentor, coordinator, tenant_b.curator, tenant_b.mentor):
        with pytest.raises(Http404):
            selectors.pair_get(user=user, mentorship_id=pair.pk)
        with pytest.raises(Http404):
            selectors.meeting_get(user=user, meeting_id=m.pk)
        with pytest.raises(Http404):
            selectors.task_get(user=user, task_id=t.pk)


def test_private_notes_are_the_mentors_and_the_staffs(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    assert selectors.role_in(user=tenant_a.mentor, mentorship=pair).reads_private_notes
    assert selectors.role_in(user=tenant_a.curator, mentorship=pair).reads_private_notes
    assert not selectors.role_in(user=tenant_a.mentee, mentorship=pair).reads_private_notes


def test_progress_counts_the_plan(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    g = goal(pair)
    task(g, status=ItemStatus.DONE)
    task(g)
    goal(pair, title="Без задач", status=ItemStatus.DONE)
    p = selectors.progress(goals=selectors.plan(mentorship=pair), meetings_held=2)
    assert (p.tasks_done, p.tasks_total, p.goals_done, p.goals_total) == (1, 2, 1, 2)
    assert p.percent == 67


def test_a_second_organization_is_another_tenant() -> None:
    a, b = make_tenant("x"), make_tenant("y")
    pair = working_pair(a)
    assert not selectors.pair_queryset(user=b.curator).filter(pk=pair.pk).exists()


def test_a_plan_from_the_template_has_the_meeting_sequence(tenant_a: Any) -> None:
    from nastavnik.programs.models import Variant

    pair = working_pair(tenant_a)
    pair.variant = Variant.objects.get(code="teacher-underachiever")
    created = services.plan_from_template(actor=tenant_a.mentor, mentorship=pair)
    titles = [g.title for g in selectors.plan(mentorship=pair)]
    assert "Пройти цикл встреч наставнической пары" in titles
    assert "Повысить уровень по предмету со «слабого» до «среднего»" in titles
    assert created == Task.objects.filter(mentorship=pair).count() == 8
    sequence = Task.objects.filter(goal__title__startswith="Пройти цикл").order_by("due_on")
    assert [t.title.split()[0] for t in sequence] == [
        "Встреча-знакомство",
        "Пробная",
        "Встреча-планирование:",
        "Серия",
        "Итоговая",
    ]
    with pytest.raises(ValidationError):
        services.plan_from_template(actor=tenant_a.mentor, mentorship=pair)
    with pytest.raises(PermissionDenied):
        services.plan_from_template(actor=tenant_a.mentee, mentorship=pair)
