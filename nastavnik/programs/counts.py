"""What the organization page counts: people, not enrolments.

A person in two programs is one mentor; pupils and teachers are counted apart. Aggregates only,
so whoever sees the organization (a coordinator too) may see them. It reads people and programs,
so it lives here and is registered for the organization's page (``organizations.panels``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from nastavnik.accounts.access import Actor
from nastavnik.organizations.models import Organization
from nastavnik.organizations.selectors import academic_year_current, organization_get
from nastavnik.people.models import Person, PersonCategory
from nastavnik.programs.models import Enrolment, EnrolmentRole, EnrolmentStatus, Program


@dataclass(frozen=True)
class OrganizationCounts:
    people: int  # every person known to the organization (not anonymized)
    pupils: int
    teachers: int
    others: int  # students of universities, employers' specialists, staff
    programs: int  # this academic year
    mentors: int  # distinct people in this year's bases of mentors
    mentees: int  # distinct people in this year's bases of mentees


def organization_counts(*, user: Actor, organization: Organization) -> OrganizationCounts:
    organization_get(user=user, organization_id=organization.pk)
    by_category = dict(
        Person.objects.active()
        .filter(organization=organization)
        .values_list("category")
        .annotate(n=Count("id"))
        .values_list("category", "n")
    )
    year = academic_year_current(organization=organization)
    programs = Program.objects.filter(organization=organization, academic_year_id=year.pk)
    in_bases = (
        Enrolment.objects.filter(program__in=programs, person__anonymized_at__isnull=True)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .values_list("role")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("role", "n")
    )
    by_role = dict(in_bases)
    people = sum(by_category.values())
    pupils = by_category.get(PersonCategory.STUDENT, 0)
    teachers = by_category.get(PersonCategory.TEACHER, 0)
    return OrganizationCounts(
        people=people,
        pupils=pupils,
        teachers=teachers,
        others=people - pupils - teachers,
        programs=programs.count(),
        mentors=by_role.get(EnrolmentRole.MENTOR, 0),
        mentees=by_role.get(EnrolmentRole.MENTEE, 0),
    )
