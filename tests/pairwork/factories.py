"""Builders of a working pair: the tenant's mentor (with a login) and its mentee (with a login)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from nastavnik.mentorships.models import Mentorship
from nastavnik.mentorships.services import mentorship_create
from nastavnik.pairwork.models import Goal, Meeting, MeetingStatus, Task
from nastavnik.people.models import Person
from tests.matching.factories import enrol, matching_program


def working_pair(tenant: Any, *, mentee: Person | None = None) -> Mentorship:
    """An active pair of the tenant's mentor and the tenant's mentee (who has a login)."""
    program = matching_program(tenant.organization)
    teacher = enrol(program, tenant.mentor_person, "mentor", capacity=3)
    pupil = enrol(program, mentee or tenant.mentee_person, "mentee")
    return mentorship_create(
        actor=tenant.curator, program=program, mentors=[teacher], mentees=[pupil]
    )


def goal(mentorship: Mentorship, **kwargs: Any) -> Goal:
    kwargs.setdefault("title", "Подтянуть алгебру до уровня «средний»")
    return Goal.objects.create(
        organization_id=mentorship.organization_id, mentorship=mentorship, **kwargs
    )


def task(goal_: Goal, **kwargs: Any) -> Task:
    kwargs.setdefault("title", "Решить 10 задач на проценты")
    return Task.objects.create(
        organization_id=goal_.organization_id, mentorship=goal_.mentorship, goal=goal_, **kwargs
    )


def meeting(mentorship: Mentorship, *, days_ago: int = 0, **kwargs: Any) -> Meeting:
    kwargs.setdefault("topic", "Знакомство")
    kwargs.setdefault("status", MeetingStatus.HELD)
    return Meeting.objects.create(
        organization_id=mentorship.organization_id,
        mentorship=mentorship,
        starts_at=kwargs.pop("starts_at", timezone.now() - dt.timedelta(days=days_ago)),
        **kwargs,
    )
