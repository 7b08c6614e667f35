"""Planning the year's methodological work from the staff's combined deficits.

For one organization (its staff only): each competency that teachers have as an educational
deficit, with the number of teachers who share it (most shared first), and the colleagues who
cover it — adults of the organization with that competency at a confident or expert level, a
mentor of a program marked as such. ``catalogue.suggested_form`` proposes the form of an event
for the deficit; the page's button opens a new event with that form and the deficit filled in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from nastavnik.accounts.access import Actor
from nastavnik.events.catalogue import get_form, suggested_form
from nastavnik.people.models import Level, PersonCategory, ProfileCompetency, ProfileDeficit
from nastavnik.programs.models import Enrolment, EnrolmentRole

ADULTS = (
    PersonCategory.TEACHER,
    PersonCategory.STAFF,
    PersonCategory.EMPLOYER_SPECIALIST,
    PersonCategory.UNIVERSITY_STUDENT,
)


@dataclass(frozen=True)
class Coverer:
    person_id: int
    name: str
    level: int
    level_label: str
    is_mentor: bool


@dataclass
class SharedDeficit:
    competency_id: int
    name: str
    teachers: int
    coverers: list[Coverer] = field(default_factory=list)

    @property
    def form_code(self) -> str:
        experts = sum(1 for c in self.coverers if c.level >= Level.EXPERT)
        return suggested_form(experts=experts, confident=len(self.coverers) - experts)

    @property
    def form_name(self) -> str:
        return get_form(self.form_code).name


def shared_deficits(*, user: Actor, organization_id: int, minimum: int = 1) -> list[SharedDeficit]:
    """The deficits of the organization's teachers, most shared first (``minimum`` teachers)."""
    rows = (
        ProfileDeficit.objects.staff_view(user)
        .filter(
            organization_id=organization_id,
            profile__person__category=PersonCategory.TEACHER,
            profile__person__anonymized_at__isnull=True,
        )
        .values("competency_id", "competency__name")
        .annotate(teachers=Count("profile_id", distinct=True))
        .filter(teachers__gte=minimum)
        .order_by("-teachers", "competency__name")
    )
    found = {
        row["competency_id"]: SharedDeficit(
            row["competency_id"], row["competency__name"], row["teachers"]
        )
        for row in rows
    }
    if not found:
        return []
    mentors = set(
        Enrolment.objects.staff_view(user)
        .filter(organization_id=organization_id, role=EnrolmentRole.MENTOR)
        .values_list("person_id", flat=True)
    )
    covering = (
        ProfileCompetency.objects.staff_view(user)
        .filter(
            organization_id=organization_id,
            competency_id__in=found,
            level__gte=Level.CONFIDENT,
            profile__person__category__in=ADULTS,
            profile__person__anonymized_at__isnull=True,
        )
        .select_related("profile__person")
        .order_by("-level", "profile__person__search_name", "id")
    )
    for row in covering:
        person = row.profile.person
        found[row.competency_id].coverers.append(
            Coverer(
                person.pk,
                person.full_name,
                row.level,
                str(row.get_level_display()),
                person.pk in mentors,
            )
        )
    return list(found.values())
