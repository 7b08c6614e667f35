"""Events for integrators, scoped like the pages (``events.selectors.visible_events``): the events
of the caller's organization and those open to its municipality; another's answer 404. An event
carries how many are registered, never who (the registrations belong to the event's
organization). The one write: the caller registers for an event (``events.services``, decided
under the event's row lock; an ``Idempotency-Key`` makes a retry safe)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from ninja import Router, Schema

from nastavnik.accounts.access import access_for
from nastavnik.core.api import created, paginated
from nastavnik.core.selectors import get_visible
from nastavnik.events.models import Event, EventStatus, Registration
from nastavnik.events.selectors import event_get, visible_events
from nastavnik.events.services import registration_create

router = Router(tags=["events"])


class EventOut(Schema):
    id: int
    organization_id: int
    form: str
    title: str
    description: str
    starts_at: dt.datetime
    duration_minutes: int
    place: str
    link: str
    agenda: str
    open_to_municipality: bool
    status: str
    seat_limit: int | None
    registrations_count: int
    seats_left: int | None
    registered: bool

    @staticmethod
    def resolve_seats_left(obj: Event) -> int | None:
        if obj.seat_limit is None:
            return None
        return max(obj.seat_limit - obj.registrations_count, 0)  # type: ignore[attr-defined]


class RegistrationIn(Schema):
    """The caller takes a seat at an event they may see."""

    event_id: int


class RegistrationOut(Schema):
    id: int
    event_id: int
    registered_at: dt.datetime
    active: bool

    @staticmethod
    def resolve_active(obj: Registration) -> bool:
        return obj.is_active


def _events(request: HttpRequest) -> QuerySet[Event]:
    active = Registration.objects.filter(event=OuterRef("pk"), cancelled_at__isnull=True)
    user_id = access_for(request.user).user_id or 0
    return visible_events(user=request.user).annotate(
        registrations_count=Count(
            "registrations", filter=Q(registrations__cancelled_at__isnull=True), distinct=True
        ),
        registered=Exists(active.filter(user_id=user_id)),
    )


@router.get("", response=list[EventOut])
@paginated
def list_events(
    request: HttpRequest,
    starts_from: dt.date | None = None,
    starts_until: dt.date | None = None,
    status: EventStatus | None = None,
) -> object:
    """Events the caller may see, soonest first; filtered by the day they start and status."""
    found = _events(request)
    if starts_from is not None:
        found = found.filter(starts_at__date__gte=starts_from)
    if starts_until is not None:
        found = found.filter(starts_at__date__lte=starts_until)
    if status is not None:
        found = found.filter(status=status)
    return found.order_by("starts_at", "id")


# Before ``/{event_id}``: ninja would otherwise read «registrations» as an event's id.
@router.post("/registrations", response={201: RegistrationOut})
@created(RegistrationOut)
def register(request: HttpRequest, payload: RegistrationIn) -> object:
    """Register the caller for an event (refused when cancelled, started, full or already
    registered)."""
    event = event_get(user=request.user, event_id=payload.event_id)
    return registration_create(actor=request.user, event=event)


@router.get("/{event_id}", response=EventOut)
def get_event(request: HttpRequest, event_id: int) -> object:
    return get_visible(_events(request), pk=event_id)
