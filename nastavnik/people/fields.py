"""Who sees which field of a person: the rules of data minimisation (152-ФЗ), written once.

``people.selectors`` answers *whether* a user sees a person at all; this module answers *what*
of that person they see. Pages, lists, the API and the panels other apps add ask it; nothing
else decides it.

The viewer's relation to the person:

- ``STAFF``: a curator or head of the person's organization, or the administrator — everything;
- ``SELF``: the person themself — their own data, but not the labels that sort children;
- ``MENTOR`` / ``MENTEE``: the viewer mentors the person / is the person's mentee (an open
  pair or group) — the name, the class, what the pair works on (the request, the interests,
  the format and when the person is free), and the e-mail or phone only if the person agreed
  to share them;
- ``RELATIVE`` and ``PEER``: anyone else who may see the person — the name and the class.

Never outside the staff: the labels that sort children (the variant «успевающий –
неуспевающий», «адаптированный – неадаптированный», …), the relatives, the notes of the
curator. Never outside the staff and the person: СНИЛС, the birth date, the sex, the login,
competencies, educational deficits and achievement levels.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db.models import Q

from nastavnik.accounts.access import Access, access_for
from nastavnik.people.models import Kinship, Person, Profile


class Relation(StrEnum):
    STAFF = "staff"
    SELF = "self"
    MENTOR = "mentor"  # the viewer mentors the person
    MENTEE = "mentee"  # the viewer is the person's mentee
    RELATIVE = "relative"
    PEER = "peer"


class Field(StrEnum):
    NAME = "name"
    CATEGORY = "category"
    CLASS_NAME = "class_name"
    ORGANIZATION = "organization"
    SUBJECT = "subject"
    POSITION = "position"
    EXPERIENCE = "experience_years"
    SEX = "sex"
    BIRTH_DATE = "birth_date"
    SNILS = "snils"
    EMAIL = "email"
    PHONE = "phone"
    LOGIN = "login"
    SHARING = "sharing"  # the person's choice what contacts to share
    INTERESTS = "interests"
    REQUEST = "request"
    FORMAT = "preferred_format"
    AVAILABILITY = "availability"
    COMPETENCIES = "competencies"
    DEFICITS = "deficits"
    ACHIEVEMENTS = "achievements"
    NOTES = "notes"
    LABELS = "labels"  # variants and other labels that sort children
    RELATIVES = "relatives"


_PUBLIC = frozenset({Field.NAME, Field.CATEGORY, Field.CLASS_NAME, Field.ORGANIZATION})
_PAIR = _PUBLIC | {
    Field.SUBJECT,
    Field.POSITION,
    Field.INTERESTS,
    Field.REQUEST,
    Field.FORMAT,
    Field.AVAILABILITY,
}
_STAFF_ONLY = frozenset({Field.LABELS, Field.RELATIVES})

# The fields each relation sees; contacts of a pair partner depend on the person's consent
# (``Profile.share_email`` / ``share_phone``) and are added by ``visible_fields``.
RULES: Mapping[Relation, frozenset[Field]] = {
    Relation.STAFF: frozenset(Field),
    Relation.SELF: frozenset(Field) - _STAFF_ONLY,
    Relation.MENTOR: _PAIR,
    Relation.MENTEE: _PAIR,
    Relation.RELATIVE: _PUBLIC,
    Relation.PEER: _PUBLIC,
}

# The relations for which the person's consent to share contacts opens them.
_SHARED_CONTACTS = frozenset({Relation.MENTOR, Relation.MENTEE})

_RELATION_HOOKS: list[Callable[[Access], Mapping[int, Relation]]] = []


def register_person_relation(hook: Callable[[Access], Mapping[int, Relation]]) -> None:
    """Let another app say who the viewer works with: ``{person id: MENTOR or MENTEE}``."""
    if hook not in _RELATION_HOOKS:
        _RELATION_HOOKS.append(hook)


@dataclass(frozen=True)
class Viewer:
    """The acting user, with what is needed to place them relative to any person."""

    access: Access
    partners: Mapping[int, Relation] = field(default_factory=dict)
    relatives: frozenset[int] = frozenset()

    def relation(self, person: Person) -> Relation:
        access = self.access
        if access.is_staff_of(person.organization_id):
            return Relation.STAFF
        if access.user_id is not None and person.user_id == access.user_id:
            return Relation.SELF
        if person.pk in self.partners:
            return self.partners[person.pk]
        if person.pk in self.relatives:
            return Relation.RELATIVE
        return Relation.PEER

    def fields(self, person: Person) -> frozenset[Field]:
        return visible_fields(self.relation(person), person)

    def sees(self, person: Person, what: Field | str) -> bool:
        return Field(what) in self.fields(person)

    def sees_labels(self, organization_id: int) -> bool:
        """Labels that sort children are for the staff of the organization only."""
        return self.access.is_staff_of(organization_id)


_CACHE_ATTR = "_nastavnik_viewer"


def viewer_for(user: Any, *, cache_on: object | None = None) -> Viewer:
    """The viewer for ``user``; pass the request as ``cache_on`` to compute it once per request."""
    if cache_on is not None:
        cached: Viewer | None = getattr(cache_on, _CACHE_ATTR, None)
        if cached is not None:
            return cached
    access = access_for(user)
    if access.is_admin or access.user_id is None:
        viewer = Viewer(access)
    else:
        partners: dict[int, Relation] = {}
        for hook in _RELATION_HOOKS:
            partners.update(hook(access))
        mine = set(Person.objects.filter(user_id=access.user_id).values_list("pk", flat=True))
        links = Kinship.objects.filter(Q(person_a__in=mine) | Q(person_b__in=mine)).values_list(
            "person_a_id", "person_b_id"
        )
        relatives = frozenset(pk for pair in links for pk in pair if pk not in mine)
        viewer = Viewer(access, partners, relatives)
    if cache_on is not None:
        setattr(cache_on, _CACHE_ATTR, viewer)
    return viewer


def _profile_of(person: Person) -> Profile | None:
    try:
        return person.profile
    except Profile.DoesNotExist:
        return None


def visible_fields(relation: Relation, person: Person) -> frozenset[Field]:
    """The fields of ``person`` a viewer in ``relation`` sees."""
    fields = RULES[relation]
    if relation in _SHARED_CONTACTS:
        profile = _profile_of(person)
        if profile is not None and profile.share_email:
            fields |= {Field.EMAIL}
        if profile is not None and profile.share_phone:
            fields |= {Field.PHONE}
    return fields
