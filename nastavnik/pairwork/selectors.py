"""Reads of a pair's work, scoped to the acting user.

- the mentors and mentees of a mentorship see its plan, meetings and progress (a mentee never
  reads the mentor's private notes);
- curators and heads see the work of every pair of their organizations;
- anyone else (another pair's mentor, a coordinator, another organization) gets 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from nastavnik.accounts.access import access_for
from nastavnik.core.selectors import get_visible
from nastavnik.mentorships.models import MemberRole, Mentorship, MentorshipMember
from nastavnik.pairwork.models import (
    CalendarFeed,
    Goal,
    ItemStatus,
    Meeting,
    MeetingStatus,
    PeerReview,
    PeerWork,
    Task,
)
from nastavnik.programs.models import Program, Stage

# Mentorships whose work goes on (a proposed pair has not started; an ended one is history).
WORKING_STATUSES = ("active", "paused")


@dataclass(frozen=True)
class Role:
    """What the acting user is to one mentorship."""

    is_mentor: bool
    is_mentee: bool
    is_staff: bool
    is_curator: bool

    @property
    def can_plan(self) -> bool:
        """Keeps the plan and the meeting log: the pair's mentor or a curator."""
        return self.is_mentor or self.is_curator

    @property
    def reads_private_notes(self) -> bool:
        """The mentor's private notes and observations: the mentor and a curator only."""
        return self.is_mentor or self.is_curator


def _members_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "members",
        queryset=MentorshipMember.objects.select_related("person").order_by(
            "role", "person__last_name", "person__first_name", "id"
        ),
    )


def _my_mentorship_ids(user: Any) -> QuerySet[Any]:
    access = access_for(user)
    if access.user_id is None:
        return MentorshipMember.objects.none().values("mentorship_id")
    return MentorshipMember.objects.filter(
        person__user_id=access.user_id, organization_id__in=access.member_org_ids
    ).values("mentorship_id")


def pair_queryset(*, user: Any) -> QuerySet[Mentorship]:
    """Mentorships whose work the user may read: their own, or all of their staff orgs."""
    access = access_for(user)
    qs = Mentorship.objects.select_related("program", "variant", "organization")
    if access.is_admin:
        return qs
    if access.user_id is None:
        return qs.none()
    return qs.filter(
        Q(organization_id__in=access.staff_org_ids) | Q(pk__in=_my_mentorship_ids(user))
    )


def pair_get(*, user: Any, mentorship_id: int) -> Mentorship:
    return get_visible(
        pair_queryset(user=user).prefetch_related(_members_prefetch()), pk=mentorship_id
    )


def prefetched_members(mentorship: Mentorship) -> list[MentorshipMember] | None:
    """The members ``pair_get`` / ``my_pairs`` prefetched with their people (ordered by role,
    surname, name, id), or None when the mentorship came without them."""
    cache = getattr(mentorship, "_prefetched_objects_cache", {})
    return list(cache["members"]) if "members" in cache else None


def my_member_rows(*, user: Any, mentorship: Mentorship) -> list[tuple[str, int]]:
    """(role, person id) of the user's own memberships of the mentorship, in the members'
    order (role, surname, name, id): from the prefetched members when there are, else one
    query."""
    access = access_for(user)
    if access.user_id is None:
        return []
    members = prefetched_members(mentorship)
    if members is not None:
        return [(m.role, m.person_id) for m in members if m.person.user_id == access.user_id]
    return list(
        MentorshipMember.objects.filter(
            mentorship=mentorship, person__user_id=access.user_id
        ).values_list("role", "person_id")
    )


def role_in(*, user: Any, mentorship: Mentorship) -> Role:
    access = access_for(user)
    roles = {role for role, _person in my_member_rows(user=user, mentorship=mentorship)}
    return Role(
        is_mentor=MemberRole.MENTOR in roles,
        is_mentee=MemberRole.MENTEE in roles,
        is_staff=access.is_staff_of(mentorship.organization_id),
        is_curator=access.is_curator_of(mentorship.organization_id),
    )


def meeting_queryset(*, user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(mentorship__in=pair_queryset(user=user)).select_related(
        "mentorship", "mentorship__program"
    )


def meeting_get(*, user: Any, meeting_id: int) -> Meeting:
    return get_visible(meeting_queryset(user=user), pk=meeting_id)


def task_get(*, user: Any, task_id: int) -> Task:
    qs = Task.objects.filter(mentorship__in=pair_queryset(user=user)).select_related(
        "mentorship", "goal"
    )
    return get_visible(qs, pk=task_id)


def plan(*, mentorship: Mentorship) -> list[Goal]:
    """The plan of a mentorship the caller already got through ``pair_get``."""
    return list(
        Goal.objects.filter(mentorship=mentorship)
        .order_by("due_on", "id")  # the default order within one mentorship, without its joins
        .prefetch_related(Prefetch("tasks", queryset=Task.objects.order_by("due_on", "id")))
    )


def tasks_ticked_by(*, meeting: Meeting) -> list[Task]:
    """The tasks of the plan a held meeting ticked off (the caller got the meeting through
    ``meeting_get``)."""
    return list(Task.objects.filter(mentorship_id=meeting.mentorship_id, meeting=meeting))


def meetings(*, mentorship: Mentorship) -> list[Meeting]:
    return list(
        Meeting.objects.filter(mentorship=mentorship).prefetch_related("reflections__author")
    )


@dataclass(frozen=True)
class Progress:
    tasks_done: int
    tasks_total: int
    goals_done: int
    goals_total: int
    meetings_held: int

    @property
    def percent(self) -> int:
        """Share of the plan's tasks done (a goal with no tasks counts as one item)."""
        total = self.tasks_total + self.goals_without_tasks
        done = self.tasks_done + self.goals_without_tasks_done
        return round(100 * done / total) if total else 0

    goals_without_tasks: int = 0
    goals_without_tasks_done: int = 0


def progress(*, goals: list[Goal], meetings_held: int) -> Progress:
    tasks = [t for g in goals for t in g.tasks.all()]
    bare = [g for g in goals if not g.tasks.all()]
    return Progress(
        tasks_done=sum(t.status == ItemStatus.DONE for t in tasks),
        tasks_total=len(tasks),
        goals_done=sum(g.status == ItemStatus.DONE for g in goals),
        goals_total=len(goals),
        meetings_held=meetings_held,
        goals_without_tasks=len(bare),
        goals_without_tasks_done=sum(g.status == ItemStatus.DONE for g in bare),
    )


def my_pairs(*, user: Any) -> list[Mentorship]:
    """The user's own open pairs and groups (mentor or mentee), for the home page."""
    access = access_for(user)
    if access.user_id is None:
        return []
    return list(
        Mentorship.objects.filter(pk__in=_my_mentorship_ids(user), status__in=WORKING_STATUSES)
        .select_related("program", "variant")
        .prefetch_related(_members_prefetch())
        .order_by("-created_at", "-id")
    )


def next_meetings(
    *, mentorship_ids: list[int], now: dt.datetime | None = None
) -> dict[int, Meeting]:
    """The next planned meeting of each mentorship."""
    now = now or timezone.now()
    found: dict[int, Meeting] = {}
    for meeting in Meeting.objects.filter(
        mentorship_id__in=mentorship_ids, status=MeetingStatus.PLANNED, starts_at__gte=now
    ).order_by("starts_at", "id"):
        found.setdefault(meeting.mentorship_id, meeting)
    return found


def tasks_due(*, mentorship_ids: list[int], until: dt.date) -> list[Task]:
    """Open tasks due by ``until`` (overdue ones included), soonest first."""
    return list(
        Task.objects.filter(
            mentorship_id__in=mentorship_ids, status=ItemStatus.OPEN, due_on__lte=until
        )
        .select_related("goal")
        .order_by("due_on", "id")
    )


def user_meetings(*, user: Any) -> QuerySet[Meeting]:
    """Every meeting of the pairs and groups the user is a member of (the calendar feed)."""
    return (
        Meeting.objects.filter(mentorship_id__in=_my_mentorship_ids(user))
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("mentorship", "mentorship__program", "organization")
        .order_by("starts_at", "id")
    )


def feed_by_token(*, token: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.filter(token=token, active=True, user__is_active=True)
        .select_related("user")
        .first()
    )


def feed_of(*, user: Any) -> CalendarFeed | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return CalendarFeed.objects.filter(user=user).first()


def progress_history(*, mentorship: Mentorship) -> list[Any]:
    """The mentees' progress records of the pair, oldest first (the history over time)."""
    from nastavnik.pairwork.models import ProgressRecord

    return list(
        ProgressRecord.objects.filter(mentorship=mentorship)
        .select_related("mentee")
        .order_by("mentee__last_name", "subject", "recorded_on", "id")
    )


def observations(*, user: Any, mentorship: Mentorship) -> list[Any]:
    """The mentor's observations: the mentor and the staff read them, a mentee never."""
    from nastavnik.pairwork.models import Observation

    if not role_in(user=user, mentorship=mentorship).reads_private_notes:
        return []
    return list(Observation.objects.filter(mentorship=mentorship).select_related("mentee"))


def thresholds_of(*, program: Any) -> dict[str, int]:
    """The program's thresholds of early warnings (the defaults where none are set)."""
    from nastavnik.pairwork.models import Thresholds
    from nastavnik.pairwork.warnings import (
        DEFAULT_ANSWER_DAYS,
        DEFAULT_NEVER_STARTED_DAYS,
        DEFAULT_NO_MEETING_DAYS,
    )

    found = Thresholds.objects.filter(program=program).first()
    if found is None:
        return {
            "no_meeting_days": DEFAULT_NO_MEETING_DAYS,
            "never_started_days": DEFAULT_NEVER_STARTED_DAYS,
            "answer_days": DEFAULT_ANSWER_DAYS,
        }
    return {
        "no_meeting_days": found.no_meeting_days,
        "never_started_days": found.never_started_days,
        "answer_days": found.answer_days,
    }


# --- Peer review inside groups (взаимоконтроль) -------------------------------------------------


def peer_work_get(*, user: Any, work_id: int) -> PeerWork:
    qs = PeerWork.objects.filter(task__mentorship__in=pair_queryset(user=user)).select_related(
        "task", "task__mentorship", "author"
    )
    return get_visible(qs, pk=work_id)


@dataclass
class PeerWorkView:
    work: PeerWork
    reviews: list[PeerReview]  # those the user may read
    mine: PeerReview | None  # the user's own review of it
    average: float | None  # mean total of its reviews (the mentor's view)
    form: Any = None  # the page's review form, when the user may review it


@dataclass
class PeerTask:
    task: Task
    criteria: list[str]
    my_work: PeerWork | None
    works: list[PeerWorkView]

    @property
    def max_total(self) -> int:
        return 2 * len(self.criteria)


def peer_tasks(*, user: Any, mentorship: Mentorship, role: Role) -> list[PeerTask]:
    """The group's peer-review tasks as the user sees them (``mentorship`` from ``pair_get``).

    The mentor and the staff see every work and every review; a mentee sees the works of the
    others (to review them), their own reviews and the reviews of their own work."""
    me = next(
        (
            person_id
            for member_role, person_id in my_member_rows(user=user, mentorship=mentorship)
            if member_role == MemberRole.MENTEE
        ),
        None,
    )
    sees_all = role.can_plan or role.is_staff
    tasks = list(
        Task.objects.filter(mentorship=mentorship, peer_review=True)
        .order_by("due_on", "id")
        .prefetch_related(
            Prefetch(
                "peer_works",
                queryset=PeerWork.objects.select_related("author").prefetch_related(
                    Prefetch("reviews", queryset=PeerReview.objects.select_related("reviewer"))
                ),
            )
        )
    )
    result = []
    for task in tasks:
        works = list(task.peer_works.all())
        views = []
        for work in works:
            reviews = list(work.reviews.all())
            mine = next((r for r in reviews if r.reviewer_id == me), None)
            visible = (
                reviews
                if sees_all or work.author_id == me
                else [r for r in reviews if r.reviewer_id == me]
            )
            average = (
                round(sum(r.total for r in reviews) / len(reviews), 1)
                if reviews and sees_all
                else None
            )
            views.append(PeerWorkView(work=work, reviews=visible, mine=mine, average=average))
        result.append(
            PeerTask(
                task=task,
                criteria=task.criteria,
                my_work=next((w for w in works if w.author_id == me), None),
                works=views,
            )
        )
    return result


def programs_by_stage(*, user: Any) -> list[tuple[str, list[Any]]]:
    """The programs of the user's staff organizations grouped by their stage (the seven stages
    of the target model), for the curator's «needs attention» page."""
    programs = list(
        Program.objects.staff_view(user)
        .select_related("organization")
        .order_by("stage", "title", "id")
    )
    return [
        (str(label), [p for p in programs if p.stage == value])
        for value, label in Stage.choices
        if any(p.stage == value for p in programs)
    ]
