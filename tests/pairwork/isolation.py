"""Object makers for the pairwork URLs (see tests/isolation.py).

Each builds the work of a pair of the victim's pupil with a teacher other than the victim's
mentor, so the victim's mentor must not open it either."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from nastavnik.mentorships.models import Mentorship
from nastavnik.pairwork.models import CalendarFeed, MeetingStatus
from tests.conftest import Tenant
from tests.isolation import Maker, PostBody
from tests.mentorships.isolation import _mentorship_id
from tests.pairwork.factories import goal, meeting, task


def _pair(tenant: Tenant) -> Mentorship:
    return Mentorship.objects.get(pk=_mentorship_id(tenant))


def _meeting_id(tenant: Tenant) -> object:
    """A planned meeting that has begun: the mentor or a curator may mark it held or cancel it."""
    pair = _pair(tenant)
    return meeting(
        pair,
        starts_at=timezone.now() - dt.timedelta(hours=1),
        status=MeetingStatus.PLANNED,
        topic=f"Встреча {tenant.student.last_name}",
    ).pk


def _task_id(tenant: Tenant) -> object:
    return task(goal(_pair(tenant))).pk


def _feed_token(tenant: Tenant) -> object:
    """A revoked feed of the victim's mentor: a live feed is readable by whoever holds its
    secret URL (that is what a calendar subscription is); the walker checks a revoked one."""
    feed = CalendarFeed.objects.create(user=tenant.mentor, active=False)
    return feed.token


OBJECT_MAKERS: dict[str, Maker] = {
    "meeting_id": Maker(_meeting_id),
    "task_id": Maker(_task_id),
    "feed_token": Maker(_feed_token),
}

PUBLIC_URL_NAMES = {"pairwork:feed"}


def _message_id(tenant: Tenant) -> object:
    """A message with a file in the victim's pair, written by its mentee (the victim's pupil)."""
    from django.core.files.base import ContentFile

    from nastavnik.pairwork.models import Message

    pair = _pair(tenant)
    message = Message(
        organization_id=pair.organization_id,
        mentorship=pair,
        author=tenant.student,
        text=f"Вопрос от {tenant.student.last_name}",
        attachment_name=f"{tenant.student.last_name}.txt",
        attachment_type="text/plain",
    )
    message.attachment.save("x", ContentFile(tenant.student.last_name.encode()), save=False)
    message.save()
    return message.pk


OBJECT_MAKERS["message_id"] = Maker(_message_id)


def _work_id(tenant: Tenant) -> object:
    """The victim's pupil's work on a peer-review task of the pair."""
    from nastavnik.pairwork.models import PeerWork

    item = task(goal(_pair(tenant)), peer_review=True, rubric="Решение верно\nОформление")
    return PeerWork.objects.create(
        organization_id=item.organization_id,
        task=item,
        author=tenant.student,
        text=f"Работа {tenant.student.last_name}",
    ).pk


OBJECT_MAKERS["work_id"] = Maker(_work_id)


# --- POST bodies: what the victim's curator would send (see tests/isolation.py) ----------------


def _meeting_body(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    """A meeting held two days ago, the pupil present (the form's input format, local time)."""
    starts_at = timezone.localtime(timezone.now() - dt.timedelta(days=2))
    return {
        "held": "on",
        "starts_at": starts_at.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "45",
        "format": "in_person",
        "topic": "Разбор контрольной",
        "present": [str(victim.student.pk)],
    }


def _task_body(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    """A task under a goal of the pair's plan (a task always belongs to a goal)."""
    pair = Mentorship.objects.get(pk=values["mentorship_id"])
    return {"goal": str(goal(pair).pk), "title": "Прочитать главу 3", "due_on": ""}


def _problem_close(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    """An open problem report of the pupil in the pair; the curator's button carries no field."""
    from nastavnik.pairwork.models import ProblemReport

    ProblemReport.objects.create(
        organization=victim.organization,
        mentorship_id=values["mentorship_id"],
        reported_by=victim.student,
        text="Наставник не отвечает",
    )
    return {}


POST_BODIES: dict[str, PostBody] = {
    "pairwork:thresholds": lambda victim, values: {
        "no_meeting_days": "21",
        "never_started_days": "10",
        "answer_days": "3",
    },
    "pairwork:meeting_new": _meeting_body,
    "pairwork:goal_new": lambda victim, values: {
        "title": "Подготовиться к олимпиаде",
        "result": "Призовое место в школьном этапе",
        "due_on": "",
    },
    "pairwork:task_new": _task_body,
    # The button fills the empty plan of the pair from its form's template: no field.
    "pairwork:plan_template": lambda victim, values: {},
    "pairwork:problem_close": _problem_close,
    "pairwork:progress_new": lambda victim, values: {
        "mentee": str(victim.student.pk),
        "subject": "Алгебра",
        "level": "",
        "mark": "4",
        "recorded_on": timezone.localdate().isoformat(),
        "source": "Контрольная работа",
    },
    "pairwork:observation_new": lambda victim, values: {
        "mentee": str(victim.student.pk),
        "text": "Лучше работает после короткой паузы",
    },
    "pairwork:task_done": lambda victim, values: {"done": "1"},
    "pairwork:meeting_held": lambda victim, values: {
        "notes": "Разобрали ошибки",
        "present": [str(victim.student.pk)],
    },
    # The cancel button carries no field; the meeting maker's meeting is planned.
    "pairwork:meeting_cancel": lambda victim, values: {},
}

NO_FORM: set[str] = {
    # Pages, downloads and the API's GET.
    "pairwork:pair",
    "pairwork:feed",
    "pairwork:attachment",
    "pairwork:meeting_ics",
    "api:pair_work",
    # Only the pair's members write to its thread (a curator reads it after a problem report).
    "pairwork:thread",
    # Only a member of the pair reports a problem.
    "pairwork:problem",
    # The meeting page's form is a reflection, written by a mentee of the pair only.
    "pairwork:meeting",
    # Peer review: only a mentee of the group hands in a work or reviews another's.
    "pairwork:peer_work",
    "pairwork:peer_review",
}
