"""Reads of mentoring pairs and groups, scoped to the acting user.

- curators and heads see every mentorship of their organizations;
- a mentor or a mentee sees the mentorships they are a member of;
- a mentor sees the people they mentor (open mentorships), a mentee their mentor.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from nastavnik.accounts.access import Access, Actor, access_for
from nastavnik.core.selectors import get_visible
from nastavnik.mentorships.models import (
    LOAD_STATUSES,
    MemberRole,
    Mentorship,
    MentorshipMember,
    MentorshipStatus,
    MentorshipStatusChange,
    mentor_places,
)
from nastavnik.people.fields import Relation
from nastavnik.programs.models import Enrolment, EnrolmentRole, EnrolmentStatus, Program
from nastavnik.programs.selectors import staff_program_get

__all__ = ["staff_program_get"]  # the one definition lives in programs.selectors

# Mentorships in which the members see each other.
VISIBLE_STATUSES = (MentorshipStatus.ACTIVE, MentorshipStatus.PAUSED)


def people_i_work_with_q(access: Access) -> Q:
    """Person visibility hook: a mentor's mentees and a mentee's mentors (open mentorships)."""
    if access.user_id is None:
        return Q(pk__in=[])
    mine = MentorshipMember.objects.filter(
        person__user_id=access.user_id, mentorship__status__in=VISIBLE_STATUSES
    )
    as_mentor = mine.filter(role=MemberRole.MENTOR).values("mentorship_id")
    as_mentee = mine.filter(role=MemberRole.MENTEE).values("mentorship_id")
    mentees = MentorshipMember.objects.filter(
        role=MemberRole.MENTEE, mentorship_id__in=as_mentor
    ).values("person_id")
    mentors = MentorshipMember.objects.filter(
        role=MemberRole.MENTOR, mentorship_id__in=as_mentee
    ).values("person_id")
    return Q(pk__in=mentees) | Q(pk__in=mentors)


def people_i_work_with(access: Access) -> dict[int, Relation]:
    """Person relation hook (``people.fields``): my mentees are MENTOR, my mentors MENTEE."""
    if access.user_id is None:
        return {}
    mine = MentorshipMember.objects.filter(
        person__user_id=access.user_id, mentorship__status__in=VISIBLE_STATUSES
    ).values_list("mentorship_id", "role")
    as_mentor = [m for m, role in mine if role == MemberRole.MENTOR]
    as_mentee = [m for m, role in mine if role == MemberRole.MENTEE]
    found: dict[int, Relation] = {}
    partners = MentorshipMember.objects.filter(
        Q(role=MemberRole.MENTEE, mentorship_id__in=as_mentor)
        | Q(role=MemberRole.MENTOR, mentorship_id__in=as_mentee)
    ).values_list("person_id", "role")
    for person_id, role in partners:
        found[person_id] = Relation.MENTOR if role == MemberRole.MENTEE else Relation.MENTEE
    return found


def _members_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "members",
        queryset=MentorshipMember.objects.select_related("person").order_by(
            "role", "person__last_name", "person__first_name", "id"
        ),
    )


def mentorship_queryset(*, user: Actor) -> QuerySet[Mentorship]:
    """The whole record of the user's staff organizations, and the mentorships the user is a
    member of elsewhere in their organizations."""
    access = access_for(user)
    related = ("program", "model", "variant", "organization")
    staff = Mentorship.objects.staff_view(access)
    if access.is_admin or access.user_id is None:
        return staff.select_related(*related)
    mine = MentorshipMember.objects.member_view(access).filter(person__user_id=access.user_id)
    member = Mentorship.objects.member_view(access).filter(pk__in=mine.values("mentorship_id"))
    return (staff | member).select_related(*related)


def mentorship_get(*, user: Actor, mentorship_id: int) -> Mentorship:
    qs = mentorship_queryset(user=user).prefetch_related(_members_prefetch())
    return get_visible(qs, pk=mentorship_id)


def program_mentorships(*, user: Actor, program: Program, status: str = "") -> QuerySet[Mentorship]:
    """The pairs and groups of a program, with their members, in three queries."""
    qs = (
        mentorship_queryset(user=user)
        .filter(program=program)
        .prefetch_related(_members_prefetch())
        .order_by("number", "id")
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def my_mentorships(*, user: Actor) -> list[Mentorship]:
    """Mentorships the user is a member of (as a mentor or a mentee), newest first."""
    access = access_for(user)
    if access.user_id is None:
        return []
    mine = (
        MentorshipMember.objects.member_view(access)
        .filter(person__user_id=access.user_id)
        .values("mentorship_id")
    )
    return list(
        Mentorship.objects.member_view(access)
        .filter(pk__in=mine)
        .select_related("program", "model", "variant")
        .prefetch_related(_members_prefetch())
        .order_by("-created_at", "-id")
    )


def mentorship_history(*, mentorship: Mentorship) -> list[MentorshipStatusChange]:
    """The status changes of a mentorship the caller may see, oldest first."""
    return list(
        MentorshipStatusChange.objects.filter(mentorship=mentorship)
        .select_related("changed_by")
        .order_by("changed_at", "id")
    )


def mentorship_can_manage(*, user: Actor, mentorship: Mentorship) -> bool:
    return access_for(user).is_curator_of(mentorship.organization_id)


def mentor_load(enrolment_ids: Iterable[int]) -> dict[int, int]:
    """Places each mentor enrolment already uses in open mentorships (two queries): a pair
    takes one, a group one or one per mentee as its program says (``mentor_places``)."""
    ids = list(set(enrolment_ids))
    if not ids:
        return {}
    places = list(
        MentorshipMember.objects.filter(
            role=MemberRole.MENTOR,
            enrolment_id__in=ids,
            mentorship__status__in=LOAD_STATUSES,
        )
        .order_by()
        .values_list(
            "enrolment_id",
            "mentorship_id",
            "mentorship__is_group",
            "mentorship__program__group_counts_as_one_place",
        )
    )
    per_mentorship = Counter(
        MentorshipMember.objects.filter(
            role=MemberRole.MENTEE, mentorship_id__in={row[1] for row in places}
        )
        .order_by()
        .values_list("mentorship_id", flat=True)
    )
    load: dict[int, int] = dict.fromkeys(ids, 0)
    for enrolment_id, mentorship_id, is_group, one_place in places:
        load[enrolment_id] += mentor_places(
            mentees=per_mentorship[mentorship_id],
            is_group=is_group,
            group_counts_as_one_place=one_place,
        )
    return load


def matched_mentee_ids(*, program: Program) -> set[int]:
    """Mentee enrolments of the program that already are in an open mentorship."""
    return set(
        MentorshipMember.objects.filter(
            role=MemberRole.MENTEE,
            mentorship__program=program,
            mentorship__status__in=LOAD_STATUSES,
        ).values_list("enrolment_id", flat=True)
    )


def dissolved_pairs(*, organization_id: int) -> set[tuple[int, int]]:
    """(mentee person, mentor person) pairs that were dissolved before: never proposed again."""
    rows = MentorshipMember.objects.filter(
        organization_id=organization_id,
        mentorship__status=MentorshipStatus.DISSOLVED,
    ).values_list("mentorship_id", "person_id", "role")
    mentors: dict[int, list[int]] = {}
    mentees: dict[int, list[int]] = {}
    for mentorship_id, person_id, role in rows:
        (mentors if role == MemberRole.MENTOR else mentees).setdefault(mentorship_id, []).append(
            person_id
        )
    return {
        (mentee, mentor)
        for mid, ids in mentees.items()
        for mentee in ids
        for mentor in mentors.get(mid, [])
    }


def program_enrolments(*, program: Program, ids: Iterable[int]) -> dict[int, Enrolment]:
    """Enrolments of the program by id (the caller is staff of its organization); whether they
    may form a pair is the service's to decide (``mentorships_create``)."""
    return {
        e.pk: e
        for e in Enrolment.objects.filter(program=program, pk__in=list(ids)).select_related(
            "person", "variant"
        )
    }


def hand_pairing_options(
    *, program: Program, user: Actor | None = None
) -> tuple[list[Enrolment], list[Enrolment]]:
    """Mentors of the base with free places and mentees without a pair, from the user's staff
    view (without ``user`` the caller vouches that it is staff).

    Only a choice for the form: ``mentorships_create`` checks the consent, the places and that
    the mentees are free again, under row locks, when the pair is formed.
    """
    scope = Enrolment.objects.all() if user is None else Enrolment.objects.staff_view(user)
    base = list(
        scope.filter(program=program)
        .exclude(status__in=(EnrolmentStatus.WITHDRAWN, EnrolmentStatus.COMPLETED))
        .select_related("person")
        .order_by("person__search_name", "id")
    )
    mentors = [e for e in base if e.role == EnrolmentRole.MENTOR]
    load = mentor_load(e.pk for e in mentors)
    matched = matched_mentee_ids(program=program)
    return (
        [e for e in mentors if load[e.pk] < e.capacity],
        [e for e in base if e.role == EnrolmentRole.MENTEE and e.pk not in matched],
    )


def rematch_priority_ids(*, program: Program) -> set[int]:
    """Mentee enrolments of the program whose last pair or group was dissolved: back in the base
    with priority for the next matching run (a later pair, open or completed, ends it)."""
    last: dict[int, tuple[int, str]] = {}
    rows = MentorshipMember.objects.filter(
        role=MemberRole.MENTEE, mentorship__program=program
    ).values_list("enrolment_id", "mentorship_id", "mentorship__status")
    for enrolment_id, mentorship_id, status in rows:
        if enrolment_id not in last or mentorship_id > last[enrolment_id][0]:
            last[enrolment_id] = (mentorship_id, status)
    return {e for e, (_, status) in last.items() if status == MentorshipStatus.DISSOLVED}
