"""Read endpoints of a pair's work for integrators and apps (scoped like the pages): the plan,
the meetings (no private notes unless the caller may read them) and the progress."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from nastavnik.pairwork import selectors
from nastavnik.pairwork.models import MeetingStatus

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
