"""Early warnings (раннее предупреждение) of pairs and groups, computed, each with its reason in
Russian. Rules, with the thresholds of the mentorship's program (``Thresholds``, else defaults):

- ``never_started``: active for ``never_started_days`` and no meeting held yet;
- ``no_meeting``: the last meeting held ``no_meeting_days`` ago or more;
- ``overdue_tasks`` / ``overdue_goals``: open items past their date;
- ``over_capacity``: a mentor of the pair holds more places than their capacity;
- ``level_falling``: a mentee's latest level or mark in a subject is below the one before;
- ``no_answer``: a mentee's message has had no mentor's answer for ``answer_days``.

Computed for many mentorships in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nastavnik.mentorships.models import MemberRole, Mentorship, MentorshipMember
from nastavnik.mentorships.selectors import mentor_load
from nastavnik.pairwork.models import (
    Goal,
    ItemStatus,
    Meeting,
    MeetingStatus,
    Message,
    ProgressRecord,
    Task,
    Thresholds,
)
from nastavnik.people.models import Achievement

DEFAULT_NO_MEETING_DAYS = 21
DEFAULT_NEVER_STARTED_DAYS = 14
DEFAULT_ANSWER_DAYS = 3


@dataclass(frozen=True)
class Warning:
    mentorship: Mentorship
    code: str
    text: str


def _date(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


def warnings_for(
    mentorships: Sequence[Mentorship], *, today: dt.date | None = None
) -> list[Warning]:
    today = today or timezone.localdate()
    active = [m for m in mentorships if m.status == "active"]
    ids = [m.pk for m in active]
    if not ids:
        return []
    limits = {
        t.program_id: t
        for t in Thresholds.objects.filter(program_id__in={m.program_id for m in active})
    }
    last_held = dict(
        Meeting.objects.filter(mentorship_id__in=ids, status=MeetingStatus.HELD)
        .values("mentorship_id")
        .annotate(last=Max("starts_at"))
        .values_list("mentorship_id", "last")
    )
    overdue_tasks = Counter(
        Task.objects.filter(mentorship_id__in=ids, status=ItemStatus.OPEN, due_on__lt=today)
        .order_by()
        .values_list("mentorship_id", flat=True)
    )
    overdue_goals = Counter(
        Goal.objects.filter(mentorship_id__in=ids, status=ItemStatus.OPEN, due_on__lt=today)
        .order_by()
        .values_list("mentorship_id", flat=True)
    )
    mentors = list(
        MentorshipMember.objects.filter(mentorship_id__in=ids, role=MemberRole.MENTOR)
        .order_by()
        .values_list("mentorship_id", "enrolment_id", "enrolment__capacity", "person_id")
    )
    load = mentor_load(e for _m, e, _c, _p in mentors)
    over = {m for m, e, capacity, _p in mentors if load.get(e, 0) > capacity}

    falling = _falling(ids)
    unanswered = _unanswered(ids, {(m, person) for m, _e, _c, person in mentors})

    found: list[Warning] = []
    for m in active:
        limit = limits.get(m.program_id)
        no_meeting_days = limit.no_meeting_days if limit else DEFAULT_NO_MEETING_DAYS
        never_days = limit.never_started_days if limit else DEFAULT_NEVER_STARTED_DAYS
        started = m.started_on or timezone.localdate(m.created_at)
        last = last_held.get(m.pk)
        if last is None:
            waited = (today - started).days
            if waited >= never_days:
                found.append(
                    Warning(
                        m,
                        "never_started",
                        ngettext(
                            "No meeting held in %(days)d day since the start on %(date)s.",
                            "No meeting held in %(days)d days since the start on %(date)s.",
                            waited,
                        )
                        % {"days": waited, "date": _date(started)},
                    )
                )
        else:
            last_day = timezone.localdate(last)
            gap = (today - last_day).days
            if gap >= no_meeting_days:
                found.append(
                    Warning(
                        m,
                        "no_meeting",
                        ngettext(
                            "No meeting for %(days)d day: the last one was on %(date)s "
                            "(threshold %(limit)d).",
                            "No meeting for %(days)d days: the last one was on %(date)s "
                            "(threshold %(limit)d).",
                            gap,
                        )
                        % {"days": gap, "date": _date(last_day), "limit": no_meeting_days},
                    )
                )
        if overdue_tasks[m.pk]:
            n = overdue_tasks[m.pk]
            found.append(
                Warning(
                    m,
                    "overdue_tasks",
                    ngettext("%(n)d task is overdue.", "%(n)d tasks are overdue.", n) % {"n": n},
                )
            )
        if overdue_goals[m.pk]:
            n = overdue_goals[m.pk]
            found.append(
                Warning(
                    m,
                    "overdue_goals",
                    ngettext(
                        "%(n)d goal is past its deadline.",
                        "%(n)d goals are past their deadline.",
                        n,
                    )
                    % {"n": n},
                )
            )
        if m.pk in over:
            found.append(
                Warning(m, "over_capacity", _("The mentor holds more places than their capacity."))
            )
        for text in falling.get(m.pk, []):
            found.append(Warning(m, "level_falling", text))
        waiting_since = unanswered.get(m.pk)
        answer_days = limit.answer_days if limit else DEFAULT_ANSWER_DAYS
        if waiting_since is not None:
            waited = (today - timezone.localdate(waiting_since)).days
            if waited >= answer_days:
                found.append(
                    Warning(
                        m,
                        "no_answer",
                        ngettext(
                            "A mentee's message has had no answer for %(days)d day.",
                            "A mentee's message has had no answer for %(days)d days.",
                            waited,
                        )
                        % {"days": waited},
                    )
                )
    return found


def _value(record: ProgressRecord) -> tuple[float, str]:
    if record.level is not None:
        return float(record.level), str(Achievement(record.level).label)
    assert record.mark is not None
    return float(record.mark), f"{record.mark:g}"


def _falling(ids: list[int]) -> dict[int, list[str]]:
    """Per mentorship: the subjects whose latest record is below the one before."""
    history: dict[tuple[int, int, str], list[ProgressRecord]] = {}
    for record in ProgressRecord.objects.filter(mentorship_id__in=ids).order_by(
        "recorded_on", "id"
    ):
        key = (record.mentorship_id, record.mentee_id, record.subject.casefold())
        history.setdefault(key, []).append(record)
    found: dict[int, list[str]] = {}
    for (mentorship_id, _mentee, _subject), records in history.items():
        if len(records) < 2:
            continue
        before, last = records[-2], records[-1]
        if (before.level is None) != (last.level is None):
            continue
        (was, was_text), (now, now_text) = _value(before), _value(last)
        if now < was:
            found.setdefault(mentorship_id, []).append(
                _("«%(subject)s»: fell from %(was)s to %(now)s on %(date)s.")
                % {
                    "subject": last.subject,
                    "was": was_text,
                    "now": now_text,
                    "date": _date(last.recorded_on),
                }
            )
    return found


def _unanswered(ids: list[int], mentor_people: set[tuple[int, int]]) -> dict[int, dt.datetime]:
    """Per mentorship: when the oldest mentee's message after the last mentor's one was sent
    (``mentor_people``: the mentorships' (mentorship id, mentor's person id))."""
    waiting: dict[int, dt.datetime] = {}
    for mentorship_id, author_id, created_at in (
        Message.objects.filter(mentorship_id__in=ids)
        .order_by("id")
        .values_list("mentorship_id", "author_id", "created_at")
    ):
        if (mentorship_id, author_id) in mentor_people:
            waiting.pop(mentorship_id, None)
        else:
            waiting.setdefault(mentorship_id, created_at)
    return waiting
