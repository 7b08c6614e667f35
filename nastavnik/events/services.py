"""Writes of events. Each checks the actor's right, validates, writes in one transaction and
audits.

A registration is decided under a lock of the event's row: two people taking the last seat at
once cannot both get it (the second waits for the first's commit and then counts it). A juror's
score and a participant's feedback are also written under that lock, so «once» holds at once too.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nastavnik.accounts.access import Actor, access_for, actor_user, require_curator
from nastavnik.accounts.models import Membership
from nastavnik.core.audit import audit
from nastavnik.events.catalogue import BY_CODE, FESTIVAL
from nastavnik.events.models import (
    SCORE_MIN,
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
from nastavnik.mentorships.models import Mentorship
from nastavnik.pairwork.threads import check_attachment
from nastavnik.programs.models import Program


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _seats_taken(event: Event) -> int:
    return Registration.objects.filter(event=event, cancelled_at__isnull=True).count()


def event_create(
    *,
    actor: Actor,
    organization_id: int,
    form: str,
    title: str,
    starts_at: dt.datetime,
    duration_minutes: int | None = None,
    place: str = "",
    link: str = "",
    seat_limit: int | None = None,
    program_id: int | None = None,
    deficit_id: int | None = None,
    agenda: str | None = None,
    description: str = "",
    open_to_municipality: bool = False,
    score_max: int = 10,
    now: dt.datetime | None = None,
) -> Event:
    """A new event of the organization; the agenda defaults to the form's template."""
    require_curator(actor, organization_id)
    if form not in BY_CODE:
        raise ValidationError({"form": _("Choose a form of the event from the catalogue.")})
    now = now or timezone.now()
    if starts_at <= now:
        raise ValidationError({"starts_at": _("A new event cannot start in the past.")})
    if not place.strip() and not link.strip():
        raise ValidationError({"place": _("Give the place of the event or its online link.")})
    if (
        program_id is not None
        and not Program.objects.filter(pk=program_id, organization_id=organization_id).exists()
    ):
        raise ValidationError({"program": _("The program is not of this organization.")})
    template = BY_CODE[form]
    event = Event(
        organization_id=organization_id,
        form=form,
        title=title.strip(),
        description=description.strip(),
        starts_at=starts_at,
        duration_minutes=duration_minutes or template.minutes,
        place=place.strip(),
        link=link.strip(),
        seat_limit=seat_limit,
        program_id=program_id,
        deficit_id=deficit_id,
        agenda=template.agenda if agenda is None else agenda,
        open_to_municipality=open_to_municipality,
        score_max=score_max,
        created_by=actor_user(actor),
    )
    event.full_clean()
    with transaction.atomic():
        event.save()
        audit(actor=actor, action="events.event_create", obj=event, message=event.title)
    return event


# The fields a curator may change after creation (the organization stays).
EDITABLE = (
    "form",
    "title",
    "description",
    "starts_at",
    "duration_minutes",
    "place",
    "link",
    "seat_limit",
    "program_id",
    "deficit_id",
    "agenda",
    "open_to_municipality",
    "score_max",
)
# A change of one of these is mailed to the registered participants.
NOTIFIED = ("starts_at", "duration_minutes", "place", "link")


def event_update(
    *, actor: Actor, event: Event, now: dt.datetime | None = None, **changes: object
) -> Event:
    """The curator edits a planned event. Decided under the event's row lock: the seat limit
    cannot go below the seats already taken, a festival with nominations stays a festival, a
    new date cannot be in the past. The registered participants are mailed when the time or
    the place changes."""
    require_curator(actor, event.organization_id)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(event)
        if locked.status == EventStatus.CANCELLED:
            raise ValidationError(_("A cancelled event cannot be edited."))
        before = {name: getattr(locked, name) for name in EDITABLE}
        for name, value in changes.items():
            if isinstance(value, str):
                value = value.strip()
            setattr(locked, name, value)
        if locked.form not in BY_CODE:
            raise ValidationError({"form": _("Choose a form of the event from the catalogue.")})
        if locked.starts_at != before["starts_at"] and locked.starts_at <= now:
            raise ValidationError({"starts_at": _("The event cannot be moved to the past.")})
        if not locked.place and not locked.link:
            raise ValidationError({"place": _("Give the place of the event or its online link.")})
        if (
            locked.program_id is not None
            and locked.program_id != before["program_id"]
            and not Program.objects.filter(
                pk=locked.program_id, organization_id=locked.organization_id
            ).exists()
        ):
            raise ValidationError({"program": _("The program is not of this organization.")})
        if (
            before["form"] == FESTIVAL
            and locked.form != FESTIVAL
            and Nomination.objects.filter(event=locked).exists()
        ):
            raise ValidationError(
                {"form": _("The festival has nominations: its form cannot be changed.")}
            )
        taken = _seats_taken(locked)
        if locked.seat_limit is not None and locked.seat_limit < taken:
            raise ValidationError(
                {
                    "seat_limit": _(
                        "%(taken)d participants are already registered: the seats cannot be "
                        "fewer than that."
                    )
                    % {"taken": taken}
                }
            )
        locked.full_clean()
        changed = [name for name in EDITABLE if getattr(locked, name) != before[name]]
        if not changed:
            return locked
        locked.save(update_fields=[name.removesuffix("_id") for name in changed])
        audit(
            actor=actor,
            action="events.event_update",
            obj=locked,
            message=locked.title,
            data={"changed": changed},
        )
        if set(changed) & set(NOTIFIED):
            _notify_registered(locked, changed=True)
    return locked


def _notify_registered(event: Event, *, changed: bool) -> None:
    """Mail every registered participant with an address, once the transaction commits."""
    addresses = sorted(
        {
            email
            for email in Registration.objects.filter(
                event=event, cancelled_at__isnull=True
            ).values_list("user__email", flat=True)
            if email
        }
    )
    if not addresses:
        return
    tz = zoneinfo.ZoneInfo(event.organization.time_zone or "Europe/Moscow")
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "title": event.title,
            "when": event.starts_at.astimezone(tz).strftime("%d.%m.%Y %H:%M"),
            "where": event.place or event.link,
        }
        if changed:
            subject = _("The event «%(title)s» is changed") % values
            text = _(
                "The event «%(title)s» you registered for is changed.\nNow: %(when)s, %(where)s."
            )
            body = text % values
        else:
            subject = _("The event «%(title)s» is cancelled") % values
            text = _(
                "The event «%(title)s» of %(when)s you registered for is cancelled. "
                "Your registration is void."
            )
            body = text % values
    for address in addresses:
        transaction.on_commit(
            partial(send_mail, subject, body, None, [address], fail_silently=True)
        )


def event_cancel(*, actor: Actor, event: Event) -> Event:
    """The curator cancels the event: it stays in the lists and the calendar as «cancelled»,
    and every registered participant is mailed."""
    require_curator(actor, event.organization_id)
    with transaction.atomic():
        event = _lock(event)
        if event.status == EventStatus.CANCELLED:
            raise ValidationError(_("The event is already cancelled."))
        event.status = EventStatus.CANCELLED
        event.save(update_fields=["status"])
        audit(
            actor=actor,
            action="events.event_cancel",
            obj=event,
            message=event.title,
            data={"registered": _seats_taken(event)},
        )
        _notify_registered(event, changed=False)
    return event


def registration_create(
    *, actor: Actor, event: Event, now: dt.datetime | None = None
) -> Registration:
    """The actor takes a seat (a member of the organization, or of its municipality when the
    event is open to it). Decided under the event's row lock."""
    user = actor_user(actor)
    if user is None or not Event.objects.visible_to(actor).filter(pk=event.pk).exists():
        raise PermissionDenied(_("You cannot register for this event."))
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(event)
        if locked.status == EventStatus.CANCELLED:
            raise ValidationError(_("The event is cancelled: registration is closed."))
        if locked.starts_at <= now:
            raise ValidationError(_("The event has already started: registration is closed."))
        existing = Registration.objects.filter(event=locked, user=user).first()
        if existing is not None and existing.is_active:
            raise ValidationError(_("You are already registered for this event."))
        if locked.seat_limit is not None and _seats_taken(locked) >= locked.seat_limit:
            raise ValidationError(
                _("All %(seats)d seats are taken: registration is closed.")
                % {"seats": locked.seat_limit}
            )
        if existing is not None:
            existing.cancelled_at = None
            existing.registered_at = now
            existing.save(update_fields=["cancelled_at", "registered_at"])
            registration = existing
        else:
            registration = Registration(
                organization_id=locked.organization_id, event=locked, user=user, registered_at=now
            )
            registration.full_clean()
            registration.save()
        audit(actor=actor, action="events.register", obj=registration, data={"event": event.pk})
    return registration


def registration_cancel(
    *, actor: Actor, event: Event, now: dt.datetime | None = None
) -> Registration:
    user = actor_user(actor)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(event)
        registration = Registration.objects.filter(
            event=locked, user=user, cancelled_at__isnull=True
        ).first()
        if user is None or registration is None:
            raise ValidationError(_("You are not registered for this event."))
        if locked.starts_at <= now:
            raise ValidationError(_("The event has already started: the registration stays."))
        registration.cancelled_at = now
        registration.save(update_fields=["cancelled_at"])
        audit(actor=actor, action="events.unregister", obj=registration, data={"event": event.pk})
    return registration


def attendance_mark(
    *, actor: Actor, event: Event, attended_user_ids: Iterable[int], now: dt.datetime | None = None
) -> int:
    """The curator marks who came (the others of the registered did not); answers how many."""
    require_curator(actor, event.organization_id)
    now = now or timezone.now()
    if event.starts_at > now:
        raise ValidationError(_("Attendance is marked once the event has started."))
    present = set(attended_user_ids)
    with transaction.atomic():
        rows = list(
            Registration.objects.select_for_update().filter(event=event, cancelled_at__isnull=True)
        )
        unknown = present - {row.user_id for row in rows}
        if unknown:
            raise ValidationError(_("Only registered participants can be marked as present."))
        for row in rows:
            row.attended = row.user_id in present
        Registration.objects.bulk_update(rows, ["attended"])
        audit(
            actor=actor,
            action="events.attendance",
            obj=event,
            data={"present": len(present), "registered": len(rows)},
        )
    return len(present)


def material_add(
    *,
    actor: Actor,
    event: Event,
    title: str,
    upload: UploadedFile | None = None,
    link: str = "",
) -> Material:
    """A file (checked as the pairs' attachments are: type by content, size limit) or a link."""
    require_curator(actor, event.organization_id)
    if (upload is None) == (not link.strip()):
        raise ValidationError({"attachment": _("Attach a file or give a link, one of the two.")})
    material = Material(
        organization_id=event.organization_id,
        event=event,
        title=title.strip(),
        link=link.strip(),
        added_by=actor_user(actor),
    )
    if upload is not None:
        material.file_name, material.file_type = check_attachment(upload)
    material.full_clean(exclude=["file"])
    with transaction.atomic():
        if upload is not None:
            material.file.save(material.file_name, upload, save=False)
        material.save()
        audit(actor=actor, action="events.material_add", obj=material, message=material.title)
    return material


def material_delete(*, actor: Actor, material: Material) -> None:
    """The curator removes a material; its file goes once the deletion commits."""
    require_curator(actor, material.organization_id)
    with transaction.atomic():
        title = material.title
        storage, name = material.file.storage, material.file.name
        audit(
            actor=actor,
            action="events.material_delete",
            obj=material,
            message=title,
            data={"event": material.event_id},
        )
        material.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))


def feedback_leave(
    *, actor: Actor, event: Event, rating: int, text: str = "", now: dt.datetime | None = None
) -> Feedback:
    """Feedback after the event: only a participant marked present, once."""
    user = actor_user(actor)
    now = now or timezone.now()
    if event.starts_at > now:
        raise ValidationError(_("Feedback is left after the event."))
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("The rating is from 1 to 5.")})
    with transaction.atomic():
        locked = _lock(event)
        attended = Registration.objects.filter(
            event=locked, user=user, cancelled_at__isnull=True, attended=True
        ).exists()
        if user is None or not attended:
            raise PermissionDenied(_("Feedback is left by the participants who attended."))
        if Feedback.objects.filter(event=locked, user=user).exists():
            raise ValidationError(_("You have already left feedback on this event."))
        feedback = Feedback(
            organization_id=locked.organization_id,
            event=locked,
            user=user,
            rating=rating,
            text=text.strip(),
        )
        feedback.full_clean()
        feedback.save()
        audit(actor=actor, action="events.feedback", obj=feedback, data={"rating": rating})
    return feedback


# --- festivals -----------------------------------------------------------------------------


def _require_festival(event: Event) -> None:
    if event.form != FESTIVAL:
        raise ValidationError(_("Nominations and a jury belong to a festival of pairs."))


def nomination_add(*, actor: Actor, event: Event, name: str) -> Nomination:
    require_curator(actor, event.organization_id)
    _require_festival(event)
    nomination = Nomination(organization_id=event.organization_id, event=event, name=name.strip())
    nomination.full_clean()
    with transaction.atomic():
        nomination.save()
        audit(actor=actor, action="events.nomination_add", obj=nomination, message=nomination.name)
    return nomination


def jury_add(*, actor: Actor, event: Event, user_id: int) -> JuryMember:
    """A juror: a login with a role in the event's organization."""
    require_curator(actor, event.organization_id)
    _require_festival(event)
    if not Membership.objects.filter(user_id=user_id, organization_id=event.organization_id):
        raise ValidationError({"user": _("A juror must have a role in the organization.")})
    juror = JuryMember(organization_id=event.organization_id, event=event, user_id=user_id)
    juror.full_clean()
    with transaction.atomic():
        juror.save()
        audit(actor=actor, action="events.jury_add", obj=juror)
    return juror


def entry_add(*, actor: Actor, nomination: Nomination, mentorship_id: int) -> Entry:
    """A pair or group of the organization competes in a nomination."""
    event = nomination.event
    require_curator(actor, event.organization_id)
    if not Mentorship.objects.filter(pk=mentorship_id, organization_id=event.organization_id):
        raise ValidationError({"mentorship": _("The pair is not of this organization.")})
    entry = Entry(
        organization_id=event.organization_id, nomination=nomination, mentorship_id=mentorship_id
    )
    entry.full_clean()
    with transaction.atomic():
        entry.save()
        audit(actor=actor, action="events.entry_add", obj=entry)
    return entry


def entry_delete(*, actor: Actor, entry: Entry) -> None:
    """The curator withdraws an entry from its nomination; its jury scores go with it."""
    event = entry.nomination.event
    require_curator(actor, event.organization_id)
    with transaction.atomic():
        _lock(event)
        scores = Score.objects.filter(entry=entry).count()
        audit(
            actor=actor,
            action="events.entry_delete",
            obj=entry,
            data={
                "event": event.pk,
                "nomination": entry.nomination_id,
                "mentorship": entry.mentorship_id,
                "scores": scores,
            },
        )
        entry.delete()


def score_set(*, actor: Actor, entry: Entry, value: int) -> Score:
    """A juror scores an entry on the festival's scale (a juror may correct their own score)."""
    event = entry.nomination.event
    user_id = access_for(actor).user_id
    juror = (
        JuryMember.objects.filter(event=event, user_id=user_id).first()
        if user_id is not None
        else None
    )
    if juror is None:
        raise PermissionDenied(_("Only a member of the jury scores the entries."))
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("The event is cancelled."))
    if not SCORE_MIN <= value <= event.score_max:
        raise ValidationError(
            {
                "value": _("The score must be from %(low)d to %(high)d.")
                % {"low": SCORE_MIN, "high": event.score_max}
            }
        )
    with transaction.atomic():
        _lock(event)
        score, _created = Score.objects.update_or_create(
            entry=entry,
            juror=juror,
            defaults={"organization_id": event.organization_id, "value": value},
        )
        audit(actor=actor, action="events.score", obj=score, data={"value": value})
    return score


def contest_result_add(
    *, actor: Actor, mentorship: Mentorship, contest: str, year: int, result: str
) -> ContestResult:
    """A pair's place or result in an outside contest."""
    require_curator(actor, mentorship.organization_id)
    record = ContestResult(
        organization_id=mentorship.organization_id,
        mentorship=mentorship,
        contest=contest.strip(),
        year=year,
        result=result.strip(),
        recorded_by=actor_user(actor),
    )
    record.full_clean()
    with transaction.atomic():
        record.save()
        audit(actor=actor, action="events.contest_result", obj=record, message=record.contest)
    return record


def events_forget_person(person: Any, *, now: dt.datetime | None = None) -> None:
    """The person's consent to processing is withdrawn (``consents`` runs this inside the
    anonymization). Registrations and feedback are tied to the person's login: the registrations
    for events still to come are cancelled (the seat is freed: the person will not come); past
    ones stay, for the attendance figures, with the login anonymized by ``consents``. The free
    text of their feedback is cleared (it may name people); the rating stays in the mean."""
    user_id = person.user_id
    if user_id is None:
        return
    now = now or timezone.now()
    Registration.objects.filter(
        user_id=user_id, cancelled_at__isnull=True, event__starts_at__gt=now
    ).update(cancelled_at=now)
    Feedback.objects.filter(user_id=user_id).exclude(text="").update(text="")
