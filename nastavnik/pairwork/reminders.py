"""Reminders by e-mail, sent by the background worker exactly once.

- a planned meeting starting within ``MEETING_AHEAD`` → every member of the pair with a login;
- an open task past its date → the mentors of the pair;
- new messages of others in the user's threads → one mail per user and run (a batch), for the
  messages after the last one already mailed about (or read).

Each reminder is a ``ReminderSent`` row with a unique key (kind, object, user), inserted in the
same transaction as the mail is handed to the backend: a second run, or a second worker at the
same time, finds the row and sends nothing. A user who turned reminders off gets none.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nastavnik.mentorships.models import MemberRole, MentorshipMember
from nastavnik.pairwork.models import (
    CalendarFeed,
    ItemStatus,
    Meeting,
    MeetingStatus,
    ReminderKind,
    ReminderSent,
    Task,
)
from nastavnik.pairwork.selectors import WORKING_STATUSES

logger = logging.getLogger(__name__)

MEETING_AHEAD = dt.timedelta(hours=24)


def _send_once(
    *, kind: str, object_id: int, organization_id: int, user: Any, subject: str, body: str
) -> bool:
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                kind=kind, object_id=object_id, user=user, organization_id=organization_id
            )
            send_mail(subject, body, None, [getattr(user, "email", "")])
    except IntegrityError:
        return False
    return True


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Send the reminders due now; returns how many mails went out."""
    now = now or timezone.now()
    off = set(CalendarFeed.objects.filter(reminders_off=True).values_list("user_id", flat=True))
    sent = 0

    meetings = list(
        Meeting.objects.filter(
            status=MeetingStatus.PLANNED,
            starts_at__gt=now,
            starts_at__lte=now + MEETING_AHEAD,
            mentorship__status__in=WORKING_STATUSES,
        ).select_related("organization")
    )
    members = MentorshipMember.objects.filter(
        mentorship_id__in={m.mentorship_id for m in meetings},
        person__user__isnull=False,
        person__user__is_active=True,
    ).select_related("person__user")
    by_pair: dict[int, list[object]] = {}
    for member in members:
        by_pair.setdefault(member.mentorship_id, []).append(member.person.user)
    already = set(
        ReminderSent.objects.filter(
            kind=ReminderKind.MEETING, object_id__in=[m.pk for m in meetings]
        ).values_list("object_id", "user_id")
    )
    for meeting in meetings:
        with timezone.override(meeting.organization.time_zone or None):
            local = timezone.localtime(meeting.starts_at)
        for user in by_pair.get(meeting.mentorship_id, []):
            user_id = getattr(user, "pk", None)
            if not getattr(user, "email", "") or user_id in off or (meeting.pk, user_id) in already:
                continue
            subject = _("Reminder: meeting «%(topic)s» on %(date)s at %(time)s") % {
                "topic": meeting.topic,
                "date": local.strftime("%d.%m.%Y"),
                "time": local.strftime("%H:%M"),
            }
            body = "\n".join(
                part
                for part in (
                    subject,
                    meeting.place,
                    meeting.link,
                    _("You can turn reminders off on the «My pairs» page."),
                )
                if part
            )
            sent += _send_once(
                kind=ReminderKind.MEETING,
                object_id=meeting.pk,
                organization_id=meeting.organization_id,
                user=user,
                subject=subject,
                body=body,
            )

    today = timezone.localdate(now)
    tasks = list(
        Task.objects.filter(
            status=ItemStatus.OPEN,
            due_on__lt=today,
            mentorship__status__in=WORKING_STATUSES,
        )
    )
    mentors = MentorshipMember.objects.filter(
        mentorship_id__in={t.mentorship_id for t in tasks},
        role=MemberRole.MENTOR,
        person__user__isnull=False,
        person__user__is_active=True,
    ).select_related("person__user")
    mentors_of: dict[int, list[object]] = {}
    for member in mentors:
        mentors_of.setdefault(member.mentorship_id, []).append(member.person.user)
    done = set(
        ReminderSent.objects.filter(
            kind=ReminderKind.OVERDUE_TASK, object_id__in=[t.pk for t in tasks]
        ).values_list("object_id", "user_id")
    )
    for task in tasks:
        for user in mentors_of.get(task.mentorship_id, []):
            user_id = getattr(user, "pk", None)
            if not getattr(user, "email", "") or user_id in off or (task.pk, user_id) in done:
                continue
            assert task.due_on is not None
            subject = _("Overdue task: «%(title)s» was due on %(date)s") % {
                "title": task.title,
                "date": task.due_on.strftime("%d.%m.%Y"),
            }
            sent += _send_once(
                kind=ReminderKind.OVERDUE_TASK,
                object_id=task.pk,
                organization_id=task.organization_id,
                user=user,
                subject=subject,
                body="\n".join((subject, _("You can turn reminders off on the «My pairs» page."))),
            )
    sent += _messages_digest(off)
    if sent:
        logger.info("pairwork: %d reminders sent", sent)
    return sent


def _messages_digest(off: set[int]) -> int:
    """One mail per user: messages of others neither read nor mailed about yet."""
    from nastavnik.pairwork.models import Message, ThreadRead

    members = MentorshipMember.objects.filter(
        mentorship__status__in=WORKING_STATUSES,
        person__user__isnull=False,
        person__user__is_active=True,
    ).select_related("person__user")
    threads_of: dict[int, list[int]] = {}
    users: dict[int, Any] = {}
    for member in members:
        user = member.person.user
        assert user is not None
        if user.pk in off or not user.email:
            continue
        users[user.pk] = user
        threads_of.setdefault(user.pk, []).append(member.mentorship_id)
    if not users:
        return 0
    read = {
        (r.user_id, r.mentorship_id): r.last_message_id
        for r in ThreadRead.objects.filter(user_id__in=list(users))
    }
    told: dict[int, int] = {}
    for user_id, object_id in ReminderSent.objects.filter(
        kind=ReminderKind.MESSAGES, user_id__in=list(users)
    ).values_list("user_id", "object_id"):
        told[user_id] = max(told.get(user_id, 0), object_id)
    all_threads = {m for ids in threads_of.values() for m in ids}
    messages = list(
        Message.objects.filter(mentorship_id__in=all_threads).values_list(
            "id", "mentorship_id", "author__user_id", "organization_id"
        )
    )
    sent = 0
    for user_id, user in users.items():
        mine = set(threads_of[user_id])
        new = [
            (mid, thread, org)
            for mid, thread, author, org in messages
            if thread in mine
            and author != user_id
            and mid > read.get((user_id, thread), 0)
            and mid > told.get(user_id, 0)
        ]
        if not new:
            continue
        subject = ngettext(
            "%(n)d new message from your pair or group",
            "%(n)d new messages from your pair or group",
            len(new),
        ) % {"n": len(new)}
        body = "\n".join(
            (
                subject,
                _("Open «My pairs» to read them."),
                _("You can turn reminders off on the «My pairs» page."),
            )
        )
        sent += _send_once(
            kind=ReminderKind.MESSAGES,
            object_id=max(mid for mid, _t, _o in new),
            organization_id=new[0][2],
            user=user,
            subject=subject,
            body=body,
        )
    return sent
