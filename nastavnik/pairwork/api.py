"""Read endpoints of a pair's work for integrators and apps (scoped like the pages): the plan,
the meetings (no private notes unless the caller may read them) and the progress."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema

from nastavnik.core.api import Day, Moment, created, unknown_value
from nastavnik.pairwork import selectors
from nastavnik.pairwork.models import MeetingFormat, MeetingStatus
from nastavnik.pairwork.services import goal_create, meeting_create, task_create

router = Router(tags=["pairwork"])


class TaskOut(Schema):
    id: int
    title: str
    due_on: dt.date | None
    status: str
    done_on: dt.date | None


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
    """A planned meeting of the pair (in the future; nobody of the pair busy at that time)."""

    mentorship_id: int
    starts_at: Moment
    topic: str = Field(min_length=1, max_length=300)
    duration_minutes: int = Field(45, ge=5, le=480)
    format: MeetingFormat = MeetingFormat.IN_PERSON
    place: str = Field("", max_length=200)
    link: str = Field("", max_length=200)
    agenda: str = Field("", max_length=5000)


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


@router.post("/meetings", response={201: NewMeetingOut})
@created(NewMeetingOut)
def create_meeting(request: HttpRequest, payload: MeetingIn) -> object:
    """Plan a meeting of the pair."""
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
    )
