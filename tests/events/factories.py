"""Builders of events (straight rows; the services are tested on their own)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.events.models import Entry, Event, JuryMember, Nomination, Registration
from nastavnik.organizations.models import Organization


def event(organization: Organization, **kwargs: Any) -> Event:
    """A planned in-person seminar a week from now (``days`` moves it; negative: in the past)."""
    days = kwargs.pop("days", 7)
    kwargs.setdefault("form", "seminar")
    kwargs.setdefault("title", "Семинар-практикум «Формирующее оценивание»")
    kwargs.setdefault("duration_minutes", 90)
    kwargs.setdefault("place", "Актовый зал")
    kwargs.setdefault("starts_at", timezone.now() + dt.timedelta(days=days))
    return Event.objects.create(organization=organization, **kwargs)


def registration(ev: Event, user: User, **kwargs: Any) -> Registration:
    kwargs.setdefault("registered_at", timezone.now())
    return Registration.objects.create(
        organization_id=ev.organization_id, event=ev, user=user, **kwargs
    )


def festival(organization: Organization, **kwargs: Any) -> Event:
    kwargs.setdefault("title", "Фестиваль наставнических пар")
    return event(organization, form="festival", **kwargs)


def nomination(ev: Event, name: str = "Лучшая пара «учитель — учитель»") -> Nomination:
    return Nomination.objects.create(organization_id=ev.organization_id, event=ev, name=name)


def juror(ev: Event, user: User) -> JuryMember:
    return JuryMember.objects.create(organization_id=ev.organization_id, event=ev, user=user)


def entry(nom: Nomination, mentorship_id: int) -> Entry:
    return Entry.objects.create(
        organization_id=nom.organization_id, nomination=nom, mentorship_id=mentorship_id
    )


def pair(tenant: Any) -> int:
    """An active pair of a new teacher of the tenant with the tenant's pupil (its id)."""
    from nastavnik.mentorships.models import MemberRole, Mentorship, MentorshipMember
    from nastavnik.programs.models import Enrolment
    from tests.factories import ProgramFactory, TeacherFactory

    program = ProgramFactory(organization=tenant.organization)
    mentorship = Mentorship.objects.create(
        organization=tenant.organization, program=program, status="active"
    )
    teacher = TeacherFactory.create(organization=tenant.organization)
    for person, role in ((teacher, MemberRole.MENTOR), (tenant.student, MemberRole.MENTEE)):
        enrolment = Enrolment.objects.create(
            organization=tenant.organization, program=program, person=person, role=role
        )
        MentorshipMember.objects.create(
            organization=tenant.organization,
            mentorship=mentorship,
            enrolment=enrolment,
            person=person,
            role=role,
        )
    return mentorship.pk
