"""Reads of people and profiles, always scoped to the acting user.

Visibility of a person:
- a system administrator sees everyone;
- a curator or head sees every person of their organizations;
- anyone sees their own person record;
- other apps widen this through ``register_person_visibility`` (a mentor sees their mentees);
- coordinators see no personal records at all, only aggregates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from nastavnik.accounts.access import Access, Actor, access_for
from nastavnik.accounts.models import User
from nastavnik.core.selectors import get_visible
from nastavnik.core.text import normalize_class_name, search_key
from nastavnik.people.models import (
    PERSON_ORDER,
    Competency,
    CompetencyArea,
    Kinship,
    Person,
    Profile,
    ProfileCompetency,
    ProfileDeficit,
    SubjectAchievement,
)

_VISIBILITY_HOOKS: list[Callable[[Access], Q]] = []


def register_person_visibility(hook: Callable[[Access], Q]) -> None:
    """Let another app add people the acting user may see (e.g. a mentor's mentees)."""
    if hook not in _VISIBILITY_HOOKS:
        _VISIBILITY_HOOKS.append(hook)


def _beyond_staff_q(access: Access) -> Q:
    """People a member sees within their organizations besides the staff view: themselves and
    whom the other apps' hooks add (a mentor's mentees)."""
    condition = Q(user_id=access.user_id)
    for hook in _VISIBILITY_HOOKS:
        condition |= hook(access)
    return condition


def person_queryset(*, user: Actor) -> QuerySet[Person]:
    """The staff view of people, and within the user's organizations themselves and the people
    the hooks add."""
    access = access_for(user)
    staff = Person.objects.staff_view(access)
    if not (access.is_admin or access.user_id is None):
        staff = staff | Person.objects.member_view(access).filter(_beyond_staff_q(access))
    return staff.active().select_related("organization")


def person_list(
    *,
    user: Actor,
    query: str = "",
    organization_id: int | None = None,
    category: str = "",
    class_name: str = "",
) -> QuerySet[Person]:
    """People the user may see, filtered. The query matches any part of «Фамилия Имя Отчество»."""
    qs = name_matching(person_queryset(user=user), query)
    if organization_id:
        qs = qs.filter(organization_id=organization_id)
    if category:
        qs = qs.filter(category=category)
    if class_name:
        qs = qs.filter(class_name=normalize_class_name(class_name))
    return qs.select_related("profile").order_by(*PERSON_ORDER)


def person_get(*, user: Actor, person_id: int) -> Person:
    qs = person_queryset(user=user).select_related("profile", "user")
    return get_visible(qs, pk=person_id)


def person_can_edit(*, user: Actor, person: Person) -> bool:
    """Curators and heads edit people of their organization."""
    return access_for(user).is_staff_of(person.organization_id)


def profile_can_edit(*, user: Actor, person: Person) -> bool:
    """Curators and heads edit any profile of their organization; a person edits their own."""
    access = access_for(user)
    return access.is_staff_of(person.organization_id) or (
        person.user_id is not None and person.user_id == access.user_id
    )


def profile_detail(*, user: Actor, person_id: int, person: Person | None = None) -> Profile | None:
    """The person's profile with everything the detail page shows, in a few queries
    (``person``: the same person, already fetched through ``person_get`` for this user)."""
    if person is None or person.pk != person_id:
        person = person_get(user=user, person_id=person_id)
    prefetches: list[Prefetch[Any]] = [
        Prefetch(
            "competency_levels",
            queryset=ProfileCompetency.objects.select_related("competency__area").order_by(
                "competency__area__position", "competency__name"
            ),
        ),
        Prefetch(
            "deficits",
            queryset=ProfileDeficit.objects.select_related("competency").order_by(
                "competency__name"
            ),
        ),
        Prefetch(
            "achievements",
            queryset=SubjectAchievement.objects.select_related("subject").order_by("subject__name"),
        ),
    ]
    return (
        Profile.objects.member_view(user)
        .filter(person=person)
        .prefetch_related(*prefetches)
        .first()
    )


def class_names(*, user: Actor, organization_id: int | None = None) -> list[str]:
    qs = person_queryset(user=user).exclude(class_name="")
    if organization_id:
        qs = qs.filter(organization_id=organization_id)
    return sorted(
        set(qs.values_list("class_name", flat=True)),
        key=lambda name: (len(name), name),
    )


def competency_areas() -> QuerySet[CompetencyArea]:
    """The shared taxonomy (not personal data)."""
    return CompetencyArea.objects.prefetch_related(
        Prefetch("competencies", queryset=Competency.objects.order_by("name"))
    )


# --- Relatives ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Relative:
    """A relative of the person whose page is shown, and the link that says so."""

    kinship: Kinship
    person: Person


def kinship_queryset(*, user: Actor) -> QuerySet[Kinship]:
    """Kinship links the user may see: the staff of the organization (relatives are personal
    data of two people, so a mentor or a mentee sees none)."""
    return Kinship.objects.staff_view(user).select_related("person_a", "person_b")


def kinship_get(*, user: Actor, kinship_id: int) -> Kinship:
    return get_visible(kinship_queryset(user=user), pk=kinship_id)


def relatives_of(*, user: Actor, person: Person) -> list[Relative]:
    """The person's relatives, by name (one query)."""
    links = kinship_queryset(user=user).filter(Q(person_a=person) | Q(person_b=person))
    found = [Relative(link, link.other(person.pk)) for link in links]
    found.sort(key=lambda r: (r.person.search_name, r.person.pk))
    return found


def relatives_can_edit(*, user: Actor, person: Person) -> bool:
    """Only a curator of the person's organization records relatives."""
    return access_for(user).is_curator_of(person.organization_id)


def name_matching(qs: QuerySet[Person], query: str) -> QuerySet[Person]:
    """People whose «фамилия имя отчество» contains every word of ``query`` (case and ё folded)."""
    for word in search_key(query).split():
        qs = qs.filter(search_name__contains=word)
    return qs


def person_choices(*, user: Actor, organization_id: int, query: str = "") -> QuerySet[Person]:
    """People to choose from in a picker (a base, a relative): the staff of the organization
    search its people by any part of the name; anyone else finds nobody."""
    if not access_for(user).is_staff_of(organization_id):
        return Person.objects.none()
    qs = person_queryset(user=user).filter(organization_id=organization_id)
    return name_matching(qs, query).order_by(*PERSON_ORDER)


def relative_choices(*, user: Actor, person: Person, query: str = "") -> QuerySet[Person]:
    """Who may be added as the person's relative: the rest of the organization, by name."""
    linked = (
        Kinship.objects.staff_view(user)
        .filter(Q(person_a=person) | Q(person_b=person))
        .values_list("person_a_id", "person_b_id")
    )
    taken = {person.pk} | {pk for pair in linked for pk in pair}
    qs = person_queryset(user=user).filter(organization_id=person.organization_id)
    return name_matching(qs.exclude(pk__in=taken), query).order_by(*PERSON_ORDER)


def kinship_pairs(*, organization_id: int) -> set[tuple[int, int]]:
    """(person, person) pairs of relatives of an organization, smaller id first.

    Not scoped to a user: matching reads it to keep relatives apart, like dissolved pairs.
    """
    return set(
        Kinship.objects.filter(organization_id=organization_id).values_list(
            "person_a_id", "person_b_id"
        )
    )


# --- Logins ----------------------------------------------------------------------------------

_TRANSLIT = {
    **dict(zip("абвгдеёзийклмнопрстуфыэ", "abvgdeeziyklmnoprstufye", strict=True)),
    "ж": "zh",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ю": "yu",
    "я": "ya",
    "ъ": "",
    "ь": "",
}


def transliterate(text: str) -> str:
    """Russian letters in Latin (as on a passport, simplified); other letters and digits kept,
    the rest dropped."""
    out = []
    for char in text.casefold():
        latin = _TRANSLIT.get(char)
        if latin is not None:
            out.append(latin)
        elif char.isascii() and char.isalnum():
            out.append(char)
    return "".join(out)


def person_can_grant_login(*, user: Actor, person: Person) -> bool:
    """A curator of the person's organization gives a login to a person who has none."""
    return (
        person.user_id is None
        and person.anonymized_at is None
        and access_for(user).is_curator_of(person.organization_id)
    )


def login_username_suggest(*, person: Person) -> str:
    """A free login for the person: the surname and the initials, e.g. «kuznetsov.av»."""
    surname = transliterate(person.last_name) or "user"
    initials = "".join(transliterate(p[:1]) for p in (person.first_name, person.middle_name))
    base = f"{surname}.{initials}" if initials else surname
    base = base[:140]
    taken = set(User.objects.filter(username__istartswith=base).values_list("username", flat=True))
    taken = {name.casefold() for name in taken}
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}{number}"
    return candidate
