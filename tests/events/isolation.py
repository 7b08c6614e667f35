"""Object makers and POST bodies for the events' URLs (see tests/isolation.py).

The event is the victim organization's, not open to the municipality (the intruder's school is in
another municipality anyway), so the outsider must get 404. A mentor of the victim organization
is a member: they see the event and its materials (nothing of the pupil is on these pages)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from nastavnik.events.models import Event, Material
from tests.conftest import Tenant
from tests.events.factories import entry, event, festival, juror, nomination, pair, registration
from tests.isolation import Maker, PostBody


def _event_id(tenant: Tenant) -> object:
    return event(tenant.organization, seat_limit=30).pk


def _material_id(tenant: Tenant) -> object:
    ev = event(tenant.organization)
    material = Material(
        organization=tenant.organization, event=ev, title="Презентация", file_name="p.txt"
    )
    material.file.save("p.txt", ContentFile(b"slides"), save=False)
    material.save()
    return material.pk


def _entry_id(tenant: Tenant) -> object:
    nom = nomination(festival(tenant.organization))
    return entry(nom, pair(tenant)).pk


OBJECT_MAKERS: dict[str, Maker] = {
    "event_id": Maker(_event_id, mentor_may_see=True),
    "material_id": Maker(_material_id, mentor_may_see=True),
    "entry_id": Maker(_entry_id),
}


def _started(values: dict[str, Any]) -> Event:
    """The maker's event, moved to an hour ago (attendance and feedback follow the event)."""
    Event.objects.filter(pk=values["event_id"]).update(
        starts_at=timezone.now() - dt.timedelta(hours=1)
    )
    return Event.objects.get(pk=values["event_id"])


def _attendance(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    registration(_started(values), victim.mentor)
    return {"present": [str(victim.mentor.pk)]}


def _feedback(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    registration(_started(values), victim.curator, attended=True)
    return {"rating": "5", "text": "Полезно"}


def _unregister(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    registration(Event.objects.get(pk=values["event_id"]), victim.curator)
    return {}


def _as_festival(values: dict[str, Any]) -> Event:
    Event.objects.filter(pk=values["event_id"]).update(form="festival")
    return Event.objects.get(pk=values["event_id"])


def _jury(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    _as_festival(values)
    return {"user": str(victim.mentor.pk)}


def _nomination(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    _as_festival(values)
    return {"name": "Лучший проект пары"}


def _entry(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    nom = nomination(_as_festival(values))
    return {"nomination": str(nom.pk), "mentorship": str(pair(victim))}


def _score(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    from nastavnik.events.models import Entry

    ev = Entry.objects.get(pk=values["entry_id"]).nomination.event
    juror(ev, victim.curator)
    return {"value": "8"}


def _edit(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    ev = Event.objects.get(pk=values["event_id"])
    zone = zoneinfo.ZoneInfo(ev.organization.time_zone or "Europe/Moscow")
    starts = timezone.localtime(ev.starts_at + dt.timedelta(days=1), zone)
    return {
        "form": "seminar",
        "title": "Семинар-практикум «Формирующее оценивание», перенесён",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "90",
        "place": "Актовый зал",
        "seat_limit": "30",
        "score_max": "10",
    }


POST_BODIES: dict[str, PostBody] = {
    "events:register": lambda victim, values: {},
    "events:edit": _edit,
    "events:material_delete": lambda victim, values: {},
    "events:entry_delete": lambda victim, values: {},
    "events:unregister": _unregister,
    "events:cancel": lambda victim, values: {},
    "events:attendance": _attendance,
    "events:material_add": lambda victim, values: {
        "title": "Памятка наставника",
        "link": "https://example.org/pamyatka.pdf",
    },
    "events:feedback": _feedback,
    "events:nomination_add": _nomination,
    "events:jury_add": _jury,
    "events:entry_add": _entry,
    "events:score": _score,
}

NO_FORM: set[str] = {
    "events:detail",
    "events:ics",
    "events:festival",
    "events:material",
}
