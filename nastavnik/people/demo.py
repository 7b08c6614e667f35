"""The demo's relatives: a few families in the big school, recorded by its curator.

The names tell who can be whose relative: two pupils with one surname (in its male or female
form) and one patronymic are brother and sister; with another patronymic they are cousins (their
fathers are brothers); a woman teacher 20–45 years older than a pupil with her surname can be the
pupil's mother. Among the people the demo built, the links are taken in a fixed order, so the
same seed gives the same families; the named logins are left out (they keep the story the demo
guide tells), and nobody is in two links.

One link joins a mentor and a mentee of a program the demo matches, so its runs show that
relatives are never a pair: the step comes before the matching step.

A step of the demo (``nastavnik.demo.steps`` runs ``step`` at ``POSITION``); the app never imports
the demo: ``DemoContext`` below says what the step reads of it, including the demo's name pools
(``family_of``, ``patronymic_of``). The links go through ``services.relative_add``, acting as
the school's curator.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Protocol

from nastavnik.accounts.models import User
from nastavnik.organizations.models import Organization
from nastavnik.people.models import KinshipKind, Person, PersonCategory, Sex
from nastavnik.people.services import relative_add
from nastavnik.programs.models import EnrolmentRole, Program, Stage

SCHOOL = "demo-school-1"
# Years between a mother and her child.
MOTHER_AGE_GAP = (20, 45)
# The stages whose programs the demo matches (a run to review, published pairs).
MATCHED_STAGES = (Stage.MATCHING, Stage.WORK)
# The better reading of a link first, when there is a choice.
_KIND_ORDER: dict[str, int] = {
    KinshipKind.SIBLINGS: 0,
    KinshipKind.PARENT_CHILD: 1,
    KinshipKind.OTHER: 2,
}

Link = tuple[Person, Person, str]

# After programs (150): the bases are there to find a mentor and a mentee who are relatives;
# before matching (300), so its runs already keep them apart.
POSITION = 250


class NameForms(Protocol):
    """The (male, female) forms of a surname and of a patronymic, from the demo's name pools."""

    def family_of(self, surname: str) -> tuple[str, str]: ...
    def patronymic_of(self, middle_name: str) -> tuple[str, str]: ...


class DemoContext(NameForms, Protocol):
    """What the step reads of the demo's context (its name pools too)."""

    @property
    def curators(self) -> Mapping[str, User]: ...
    @property
    def organizations(self) -> Mapping[str, Organization]: ...
    @property
    def people(self) -> Mapping[str, list[Person]]: ...
    @property
    def programs(self) -> Mapping[tuple[str, str], Program]: ...


def seed_demo_relatives(context: DemoContext) -> None:
    curator = context.curators.get(SCHOOL)
    if curator is None or SCHOOL not in context.organizations:
        return
    for person, relative, kind in demo_relatives(context):
        relative_add(actor=curator, person=person, relative=relative, kind=kind)


def demo_relatives(context: DemoContext) -> list[Link]:
    """The school's links: a mentor and a mentee of one matched program, a teacher and her
    child, two siblings (each as far as the school has them)."""
    people = [p for p in context.people.get(SCHOOL, []) if p.user_id is None]
    links: list[Link] = []
    linked: set[int] = set()

    def take(candidates: Iterable[Link]) -> None:
        for first, second, kind in candidates:
            if first.pk not in linked and second.pk not in linked:
                links.append((first, second, kind))
                linked.update((first.pk, second.pk))
                return

    take(_in_one_program(context, people))
    pairs = _same_family(people, context)
    take(_of_kind(pairs, KinshipKind.PARENT_CHILD, context))
    take(_of_kind(pairs, KinshipKind.SIBLINGS, context))
    return links


def kinship_of(first: Person, second: Person, names: NameForms) -> str | None:
    """What two people can be to each other by their names and ages (None: no relatives)."""
    if names.family_of(first.last_name) != names.family_of(second.last_name):
        return None
    pupils = [p for p in (first, second) if p.category == PersonCategory.STUDENT]
    if len(pupils) == 2:
        same_father = names.patronymic_of(first.middle_name) == names.patronymic_of(
            second.middle_name
        )
        return KinshipKind.SIBLINGS if same_father else KinshipKind.OTHER
    if len(pupils) == 1:
        child = pupils[0]
        parent = second if child is first else first
        if (
            parent.category == PersonCategory.TEACHER
            and parent.sex == Sex.FEMALE
            and parent.birth_date is not None
            and child.birth_date is not None
            and MOTHER_AGE_GAP[0]
            <= child.birth_date.year - parent.birth_date.year
            <= MOTHER_AGE_GAP[1]
        ):
            return KinshipKind.PARENT_CHILD
    return None


def _in_one_program(context: DemoContext, people: list[Person]) -> list[Link]:
    """(mentor, mentee, kind) of relatives in the bases of one matched program of the school,
    the most plausible link first, then programs at «forming pairs» (a run to review)."""
    by_pk = {p.pk: p for p in people}
    found: list[tuple[tuple[int, ...], Link]] = []
    for (org_code, _form_code), program in sorted(context.programs.items()):
        if org_code != SCHOOL or program.stage not in MATCHED_STAGES:
            continue
        roles: dict[str, list[Person]] = defaultdict(list)
        for person_id, role in program.enrolments.order_by("pk").values_list("person_id", "role"):
            if person_id in by_pk:
                roles[role].append(by_pk[person_id])
        for mentor, mentee in itertools.product(
            roles[EnrolmentRole.MENTOR], roles[EnrolmentRole.MENTEE]
        ):
            kind = kinship_of(mentor, mentee, context)
            if kind is not None and mentor.pk != mentee.pk:
                key = (
                    _KIND_ORDER.get(kind, len(_KIND_ORDER)),
                    program.stage != Stage.MATCHING,
                    program.pk,
                    mentor.pk,
                    mentee.pk,
                )
                found.append((key, (mentor, mentee, kind)))
    return [link for _key, link in sorted(found, key=lambda item: item[0])]


def _same_family(people: list[Person], names: NameForms) -> list[tuple[Person, Person]]:
    """Pairs of people with one surname, in the order they were created (the earlier first)."""
    families: dict[tuple[str, str], list[Person]] = defaultdict(list)
    for person in people:
        families[names.family_of(person.last_name)].append(person)
    pairs = [pair for members in families.values() for pair in itertools.combinations(members, 2)]
    return sorted(pairs, key=lambda pair: (pair[0].pk, pair[1].pk))


def _of_kind(pairs: Iterable[tuple[Person, Person]], kind: str, names: NameForms) -> Iterator[Link]:
    return (
        (first, second, kind) for first, second in pairs if kinship_of(first, second, names) == kind
    )


step = seed_demo_relatives
