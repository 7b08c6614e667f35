"""A pair's work for integrators and apps (scoped like the pages): the plan (goals and tasks:
read, add, tick off), the meetings (plan one, log one that was held with its attendance, mark a
planned one held or cancelled; no private notes unless the caller may read them) and the
progress. Every write goes through ``pairwork.services`` (the pair's mentor or a curator)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from nastavnik.core.api import Day, Moment, created, unknown_value
from nastavnik.mentorships.models import MentorshipMember
from nastavnik.pairwork import selectors
from nastavnik.pairwork.models import Attendance, Meeting, MeetingFormat, MeetingStatus
from nastavnik.pairwork.services import (
    goal_create,
    meeting_cancel,
    meeting_create,
    meeting_mark_held,
    task_create,
    task_set_done,
)

router = Router(tags=["pairwork"])


class TaskOut(Schema):
    id: int
    title: str
    due_on: dt.date | None
    status: str
    done_on: dt.date | None
    kind: str = Field(description="'' a task, 'meeting' one meeting, 'meetings' a series")
    meeting_id: int | None = Field(description="the held meeting that ticked the task off")


class GoalOut(Schema):
    id: int
    title: str
    result: str
    due_on: dt.date | None
    status: str
    tasks: list[TaskOut]


class MeetingOut(Schema):
    id: int
    starts_at: dt.datetime
    duration_minutes: int
    format: str
    place: str
    link: str
    topic: str
    agenda: str
    notes: str
    private_notes: str | None
    status: str


class GoalIn(Schema):
    """A goal of the pair's development plan (its mentor or a curator)."""

    mentorship_id: int
    title: str = Field(min_length=1, max_length=300)
    result: str = Field("", max_length=500)
    due_on: Day | None = None


class NewGoalOut(Schema):
    id: int
    mentorship_id: int
    title: str
    result: str
    due_on: dt.date | None
    status: str


class TaskIn(Schema):
    """A task under a goal of the plan (its mentor or a curator)."""

    mentorship_id: int
    goal_id: int
    title: str = Field(min_length=1, max_length=300)
    due_on: Day | None = None


class NewTaskOut(TaskOut):
    mentorship_id: int
    goal_id: int


class MeetingIn(Schema):
    """A meeting of the pair: planned (in the future), or logged as held (``held``: in the past,
    with its notes and who was present); nobody of the pair busy at that time."""

    mentorship_id: int
    starts_at: Moment
    topic: str = Field(min_length=1, max_length=300)
    duration_minutes: int = Field(45, ge=5, le=480)
    format: MeetingFormat = MeetingFormat.IN_PERSON
    place: str = Field("", max_length=200)
    link: str = Field("", max_length=200)
    agenda: str = Field("", max_length=5000)
    held: bool = False
    notes: str = Field("", max_length=10000)
    private_notes: str = Field("", max_length=10000)
    present_person_ids: list[int] = Field(default_factory=list, max_length=50)


class MeetingUpdateIn(Schema):
    """Mark a planned meeting held (once it has begun: notes, private notes, who was present)
    or cancel it."""

    status: Literal["held", "cancelled"]
    notes: str = Field("", max_length=10000)
    private_notes: str = Field("", max_length=10000)
    present_person_ids: list[int] = Field(default_factory=list, max_length=50)


class AttendanceOut(Schema):
    person_id: int
    present: bool


class MeetingDetailOut(MeetingOut):
    mentorship_id: int
    attendance: list[AttendanceOut]


class TaskUpdateIn(Schema):
    """Tick a task of the plan off (``done``) or reopen it; a link to the evidence optional."""

    done: bool
    evidence_link: str = Field("", max_length=200)


class NewMeetingOut(Schema):
    id: int
    mentorship_id: int
    starts_at: dt.datetime
    duration_minutes: int
    format: str
    place: str
    link: str
    topic: str
    agenda: str
    notes: str
    status: str


class PairWorkOut(Schema):
    mentorship_id: int
    progress_percent: int
    goals: list[GoalOut]
    meetings: list[MeetingOut]
    warnings: list[str]


@router.get("/pairs/{mentorship_id}", response=PairWorkOut)
def pair_work(request: HttpRequest, mentorship_id: int) -> object:
    from nastavnik.pairwork.warnings import warnings_for

    mentorship = selectors.pair_get(user=request.user, mentorship_id=mentorship_id)
    role = selectors.role_in(user=request.user, mentorship=mentorship)
    goals = selectors.plan(mentorship=mentorship)
    meetings = selectors.meetings(mentorship=mentorship)
    held = sum(m.status == MeetingStatus.HELD for m in meetings)
    return {
        "mentorship_id": mentorship.pk,
        "progress_percent": selectors.progress(goals=goals, meetings_held=held).percent,
        "goals": [
            {
                "id": g.pk,
                "title": g.title,
                "result": g.result,
                "due_on": g.due_on,
                "status": g.status,
                "tasks": list(g.tasks.all()),
            }
            for g in goals
        ],
        "meetings": [
            {
                "id": m.pk,
                "starts_at": m.starts_at,
                "duration_minutes": m.duration_minutes,
                "format": m.format,
                "place": m.place,
                "link": m.link,
                "topic": m.topic,
                "agenda": m.agenda,
                "notes": m.notes,
                "private_notes": m.private_notes if role.reads_private_notes else None,
                "status": m.status,
            }
            for m in meetings
        ],
        "warnings": [
            w.text for w in (warnings_for([mentorship]) if role.can_plan or role.is_staff else [])
        ],
    }


@router.post("/goals", response={201: NewGoalOut})
@created(NewGoalOut)
def create_goal(request: HttpRequest, payload: GoalIn) -> object:
    """Add a goal to the pair's plan."""
    mentorship = selectors.pair_get(user=request.user, mentorship_id=payload.mentorship_id)
    return goal_create(
        actor=request.user,
        mentorship=mentorship,
        title=payload.title,
        result=payload.result,
        due_on=payload.due_on,
    )


@router.post("/tasks", response={201: NewTaskOut})
@created(NewTaskOut)
def create_task(request: HttpRequest, payload: TaskIn) -> object:
    """Add a task under a goal of the pair's plan."""
    mentorship = selectors.pair_get(user=request.user, mentorship_id=payload.mentorship_id)
    goal = next((g for g in selectors.plan(mentorship=mentorship) if g.pk == payload.goal_id), None)
    if goal is None:
        raise unknown_value("goal_id")
    return task_create(
        actor=request.user,
        mentorship=mentorship,
        goal=goal,
        title=payload.title,
        due_on=payload.due_on,
    )


def _present(mentorship_id: int, person_ids: list[int]) -> list[int]:
    """The people said to be present, each a member of the pair (a 422 otherwise)."""
    members = set(
        MentorshipMember.objects.filter(mentorship_id=mentorship_id).values_list(
            "person_id", flat=True
        )
    )
    if not set(person_ids) <= members:
        raise unknown_value("present_person_ids")
    return list(dict.fromkeys(person_ids))


@router.post("/meetings", response={201: NewMeetingOut})
@created(NewMeetingOut)
def create_meeting(request: HttpRequest, payload: MeetingIn) -> object:
    """Plan a meeting of the pair, or log one that was held (``held``, with attendance)."""
    mentorship = selectors.pair_get(user=request.user, mentorship_id=payload.mentorship_id)
    return meeting_create(
        actor=request.user,
        mentorship=mentorship,
        starts_at=payload.starts_at,
        topic=payload.topic,
        duration_minutes=payload.duration_minutes,
        format=payload.format,
        place=payload.place,
        link=payload.link,
        agenda=payload.agenda,
        held=payload.held,
        notes=payload.notes,
        private_notes=payload.private_notes,
        present_person_ids=_present(mentorship.pk, payload.present_person_ids),
    )


def _meeting_detail(request: HttpRequest, meeting: Meeting) -> dict[str, object]:
    role = selectors.role_in(user=request.user, mentorship=meeting.mentorship)
    return {
        "id": meeting.pk,
        "mentorship_id": meeting.mentorship_id,
        "starts_at": meeting.starts_at,
        "duration_minutes": meeting.duration_minutes,
        "format": meeting.format,
        "place": meeting.place,
        "link": meeting.link,
        "topic": meeting.topic,
        "agenda": meeting.agenda,
        "notes": meeting.notes,
        "private_notes": meeting.private_notes if role.reads_private_notes else None,
        "status": meeting.status,
        "attendance": list(
            Attendance.objects.filter(meeting=meeting)
            .order_by("person_id")
            .values("person_id", "present")
        ),
    }


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut)
def get_meeting(request: HttpRequest, meeting_id: int) -> object:
    """A meeting of a pair the caller may read, with who was present."""
    return _meeting_detail(request, selectors.meeting_get(user=request.user, meeting_id=meeting_id))


@router.patch("/meetings/{meeting_id}", response=MeetingDetailOut)
def update_meeting(request: HttpRequest, meeting_id: int, payload: MeetingUpdateIn) -> object:
    """Mark a planned meeting held (with notes and attendance) or cancel it."""
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    if payload.status == MeetingStatus.HELD:
        meeting_mark_held(
            actor=request.user,
            meeting=meeting,
            notes=payload.notes,
            private_notes=payload.private_notes,
            present_person_ids=_present(meeting.mentorship_id, payload.present_person_ids),
        )
    else:
        meeting_cancel(actor=request.user, meeting=meeting)
    return _meeting_detail(request, selectors.meeting_get(user=request.user, meeting_id=meeting_id))


@router.patch("/tasks/{task_id}", response=NewTaskOut)
def update_task(request: HttpRequest, task_id: int, payload: TaskUpdateIn) -> object:
    """Tick a task of the plan off, or reopen it."""
    task = selectors.task_get(user=request.user, task_id=task_id)
    return task_set_done(
        actor=request.user, task=task, done=payload.done, evidence_link=payload.evidence_link
    )
