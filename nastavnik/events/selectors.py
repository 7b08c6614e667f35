"""Reads of events, scoped to the acting user.

- An event is seen by the members of its organization and, when it is open to the municipality,
  by the members of the other organizations of that municipality (``EventQuerySet.visible_to``).
- Its registrations, attendance, feedback and festival's scores are read by the staff of its
  organization (``staff_view``); a participant reads their own registration and feedback.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.access import Actor, access_for
from nastavnik.accounts.models import Membership, User
from nastavnik.core.calendar import CalendarItem
from nastavnik.core.selectors import get_visible
from nastavnik.events.festival import EntryResult, rank_entries
from nastavnik.events.models import (
    ContestResult,
    Entry,
    Event,
    EventStatus,
    Feedback,
    JuryMember,
    Material,
    Nomination,
    Registration,
    Score,
)
from nastavnik.mentorships.models import Mentorship, MentorshipStatus
from nastavnik.people.models import Competency


def competency_choices() -> list[tuple[int, str]]:
    """The shared taxonomy (no personal data), for the «deficit addressed» of a new event."""
    return [(c.pk, c.name) for c in Competency.objects.order_by("area__position", "name")]


def visible_events(*, user: Actor) -> QuerySet[Event]:
    return Event.objects.visible_to(user).select_related("organization")


def event_get(*, user: Actor, event_id: int) -> Event:
    """An event the user may see (404 otherwise)."""
    return get_visible(visible_events(user=user), pk=event_id)


def staff_event_get(*, user: Actor, event_id: int) -> Event:
    """An event of an organization where the user is curator or head (404 otherwise)."""
    return get_visible(Event.objects.staff_view(user).select_related("organization"), pk=event_id)


def events_between(*, user: Actor, start: dt.datetime, end: dt.datetime) -> list[Event]:
    return list(
        visible_events(user=user)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .order_by("starts_at", "id")
    )


def calendar_source(actor: Actor, start: dt.datetime, end: dt.datetime) -> list[CalendarItem]:
    """The events' items for ``core.calendar`` (a cancelled event stays, marked cancelled:
    its participants look for it there)."""
    return [
        CalendarItem(
            title=event.title,
            start=event.starts_at,
            end=event.starts_at + dt.timedelta(minutes=event.duration_minutes),
            url=reverse("events:detail", kwargs={"event_id": event.pk}),
            kind=_("Methodological event"),
            organization_id=event.organization_id,
            cancelled=event.status == EventStatus.CANCELLED,
        )
        for event in events_between(user=actor, start=start, end=end)
    ]


def active_count(event: Event) -> int:
    return Registration.objects.filter(event=event, cancelled_at__isnull=True).count()


def my_registration(*, user: Actor, event: Event) -> Registration | None:
    user_id = access_for(user).user_id
    if user_id is None:
        return None
    return Registration.objects.filter(event=event, user_id=user_id).first()


def my_feedback(*, user: Actor, event: Event) -> Feedback | None:
    user_id = access_for(user).user_id
    if user_id is None:
        return None
    return Feedback.objects.filter(event=event, user_id=user_id).first()


def registrations(*, user: Actor, event: Event) -> list[Registration]:
    """The event's active registrations, for its staff."""
    return list(
        Registration.objects.staff_view(user)
        .filter(event=event, cancelled_at__isnull=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "id")
    )


@dataclass(frozen=True)
class FeedbackSummary:
    count: int
    mean: float | None
    items: list[Feedback]
    attended: int


def feedback_summary(*, user: Actor, event: Event) -> FeedbackSummary:
    """What the participants said, for the event's staff (named: feedback is not anonymous)."""
    rows = Feedback.objects.staff_view(user).filter(event=event)
    stats = rows.aggregate(count=Count("id"), mean=Avg("rating"))
    attended = Registration.objects.staff_view(user).filter(event=event, attended=True).count()
    return FeedbackSummary(
        count=stats["count"],
        mean=float(stats["mean"]) if stats["mean"] is not None else None,
        items=list(rows.select_related("user").order_by("-created_at", "-id")),
        attended=attended,
    )


def materials(*, user: Actor, event: Event) -> list[Material]:
    return list(Material.objects.filter(event__in=Event.objects.visible_to(user), event=event))


def material_get(*, user: Actor, material_id: int) -> Material:
    return get_visible(
        Material.objects.filter(event__in=Event.objects.visible_to(user)).select_related("event"),
        pk=material_id,
    )


def staff_material_get(*, user: Actor, material_id: int) -> Material:
    """A material of an event of an organization where the user is curator or head."""
    return get_visible(
        Material.objects.staff_view(user).select_related("event__organization"), pk=material_id
    )


# --- festivals -----------------------------------------------------------------------------


def juror_of(*, user: Actor, event: Event) -> JuryMember | None:
    user_id = access_for(user).user_id
    if user_id is None:
        return None
    return JuryMember.objects.filter(event=event, user_id=user_id).first()


def jury(*, event: Event) -> list[JuryMember]:
    return list(JuryMember.objects.filter(event=event).select_related("user"))


def nominations(*, event: Event) -> list[Nomination]:
    return list(
        Nomination.objects.filter(event=event).prefetch_related(
            Prefetch(
                "entries",
                queryset=Entry.objects.select_related("mentorship__program").order_by("id"),
            )
        )
    )


def entry_get(*, user: Actor, entry_id: int) -> Entry:
    """An entry of a festival the user may see (the jury scores through it)."""
    return get_visible(
        Entry.objects.filter(nomination__event__in=Event.objects.visible_to(user)).select_related(
            "nomination__event__organization", "mentorship"
        ),
        pk=entry_id,
    )


def staff_entry_get(*, user: Actor, entry_id: int) -> Entry:
    """An entry of a festival of an organization where the user is curator or head."""
    return get_visible(
        Entry.objects.staff_view(user).select_related(
            "nomination__event__organization", "mentorship__program"
        ),
        pk=entry_id,
    )


def my_scores(*, juror: JuryMember) -> dict[int, int]:
    return dict(juror.scores.values_list("entry_id", "value"))


@dataclass(frozen=True)
class NominationResults:
    nomination: Nomination
    rows: list[EntryResult]


def festival_results(*, user: Actor, event: Event) -> list[NominationResults]:
    """Per nomination, the entries ranked by their mean score (see ``festival.rank_entries``);
    for the event's staff."""
    found: list[NominationResults] = []
    scores: dict[int, list[int]] = {}
    for entry_id, value in _score_values(user=user, event=event):
        scores.setdefault(entry_id, []).append(value)
    for nomination in nominations(event=event):
        entries = list(nomination.entries.all())
        found.append(
            NominationResults(
                nomination,
                rank_entries(
                    [(entry.pk, scores.get(entry.pk, [])) for entry in entries],
                    labels={entry.pk: entry_label(entry) for entry in entries},
                ),
            )
        )
    return found


def _score_values(*, user: Actor, event: Event) -> list[tuple[int, int]]:
    return list(
        Score.objects.staff_view(user)
        .filter(entry__nomination__event=event)
        .values_list("entry_id", "value")
    )


def entry_label(entry: Entry) -> str:
    m = entry.mentorship
    return str(_("Pair No. %(number)s, %(program)s") % {"number": m.number, "program": m.program})


def entry_candidates(*, user: Actor, event: Event) -> list[Mentorship]:
    """Pairs and groups of the event's organization that may compete (at work or completed)."""
    return list(
        Mentorship.objects.staff_view(user)
        .filter(
            organization_id=event.organization_id,
            status__in=(MentorshipStatus.ACTIVE, MentorshipStatus.COMPLETED),
        )
        .select_related("program")
        .order_by("program__title", "number")
    )


def jury_candidates(*, user: Actor, event: Event) -> list[User]:
    """Logins with a role in the event's organization (for its staff)."""
    if not access_for(user).is_staff_of(event.organization_id):
        return []
    ids = Membership.objects.filter(organization_id=event.organization_id).values("user_id")
    return list(
        User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name", "id")
    )


def contest_results(*, user: Actor) -> list[ContestResult]:
    return list(
        ContestResult.objects.staff_view(user)
        .select_related("mentorship__program", "organization")
        .order_by("-year", "contest", "id")
    )


def contest_mentorships(*, user: Actor) -> list[Mentorship]:
    return list(
        Mentorship.objects.staff_view(user)
        .exclude(status=MentorshipStatus.PROPOSED)
        .select_related("program")
        .order_by("program__title", "number")
    )
