"""Object makers for the pairwork URLs (see tests/isolation.py).

Each builds the work of a pair of the victim's pupil with a teacher other than the victim's
mentor, so the victim's mentor must not open it either."""

from __future__ import annotations

from django.utils import timezone

from nastavnik.mentorships.models import Mentorship
from nastavnik.pairwork.models import CalendarFeed
from tests.conftest import Tenant
from tests.isolation import Maker
from tests.mentorships.isolation import _mentorship_id
from tests.pairwork.factories import goal, meeting, task


def _pair(tenant: Tenant) -> Mentorship:
    return Mentorship.objects.get(pk=_mentorship_id(tenant))


def _meeting_id(tenant: Tenant) -> object:
    pair = _pair(tenant)
    return meeting(pair, starts_at=timezone.now(), topic=f"Встреча {tenant.student.last_name}").pk


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
