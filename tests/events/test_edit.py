"""Changing an event after creation: the edit page and ``event_update`` (seat limit against the
registrations, a festival with nominations, the past), the participants' mail on a change and on
cancelling, «Отменено» in the calendar, and removing materials and festival entries."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import cast

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.core.models import AuditEntry
from nastavnik.events import services
from nastavnik.events.models import Entry, Event, Material, Score
from tests.conftest import Tenant, login
from tests.events.factories import entry, event, festival, juror, nomination, pair, registration
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _registered(ev: Event, count: int, tenant: Tenant) -> list[str]:
    emails = []
    for n in range(count):
        user = cast(User, UserFactory(email=f"uchastnik{n}@example.org"))
        registration(ev, user)
        emails.append(user.email)
    return emails


def test_the_curator_edits_and_the_audit_names_the_changed_fields(tenant_a: Tenant) -> None:
    ev = event(tenant_a.organization, seat_limit=20)
    services.event_update(
        actor=tenant_a.curator, event=ev, title="Семинар «Оценивание, часть 2»", seat_limit=25
    )
    ev.refresh_from_db()
    assert (ev.title, ev.seat_limit) == ("Семинар «Оценивание, часть 2»", 25)
    entry_row = AuditEntry.objects.get(action="events.event_update")
    assert sorted(entry_row.data["changed"]) == ["seat_limit", "title"]


def test_the_seat_limit_cannot_go_below_the_registered(tenant_a: Tenant) -> None:
    ev = event(tenant_a.organization, seat_limit=10)
    _registered(ev, 3, tenant_a)
    with pytest.raises(ValidationError) as info:
        services.event_update(actor=tenant_a.curator, event=ev, seat_limit=2, title="Другое")
    assert "Уже записано участников: 3" in info.value.message_dict["seat_limit"][0]
    ev.refresh_from_db()
    assert (ev.seat_limit, ev.title) == (10, "Семинар-практикум «Формирующее оценивание»")
    services.event_update(actor=tenant_a.curator, event=ev, seat_limit=3)
    assert Event.objects.get(pk=ev.pk).seat_limit == 3


def test_edits_refused_with_russian_messages(tenant_a: Tenant, tenant_b: Tenant) -> None:
    ev = event(tenant_a.organization)
    for actor in (tenant_a.mentor, tenant_a.head, tenant_b.curator):
        with pytest.raises(PermissionDenied):
            services.event_update(actor=actor, event=ev, title="Чужое")
    with pytest.raises(ValidationError) as info:
        services.event_update(
            actor=tenant_a.curator, event=ev, starts_at=timezone.now() - dt.timedelta(hours=1)
        )
    assert "в прошлое" in info.value.message_dict["starts_at"][0]
    with pytest.raises(ValidationError) as info:
        services.event_update(actor=tenant_a.curator, event=ev, place="", link="")
    assert "место проведения" in info.value.message_dict["place"][0]
    fest = festival(tenant_a.organization)
    nomination(fest)
    with pytest.raises(ValidationError) as info:
        services.event_update(actor=tenant_a.curator, event=fest, form="seminar")
    assert "номинации" in info.value.message_dict["form"][0]
    services.event_cancel(actor=tenant_a.curator, event=ev)
    with pytest.raises(ValidationError) as info:
        services.event_update(actor=tenant_a.curator, event=ev, title="Снова")
    assert "Отменённое мероприятие" in info.value.messages[0]
    assert Event.objects.get(pk=ev.pk).title == "Семинар-практикум «Формирующее оценивание»"


def test_a_new_time_is_mailed_to_the_registered_after_commit(
    tenant_a: Tenant, django_capture_on_commit_callbacks: object
) -> None:
    ev = event(tenant_a.organization)
    emails = _registered(ev, 2, tenant_a)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.event_update(actor=tenant_a.curator, event=ev, title="Только название")
    assert mail.outbox == []
    moved = ev.starts_at + dt.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.event_update(actor=tenant_a.curator, event=ev, starts_at=moved)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(emails)
    zone = zoneinfo.ZoneInfo(tenant_a.organization.time_zone or "Europe/Moscow")
    assert "изменено" in mail.outbox[0].subject
    assert moved.astimezone(zone).strftime("%d.%m.%Y %H:%M") in mail.outbox[0].body


def test_cancelling_mails_the_registered_and_the_calendar_says_cancelled(
    tenant_a: Tenant, django_capture_on_commit_callbacks: object
) -> None:
    moment = timezone.now() + dt.timedelta(days=3)
    ev = event(tenant_a.organization, title="Квик-настройка «Новый журнал»", starts_at=moment)
    emails = _registered(ev, 2, tenant_a)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.event_cancel(actor=tenant_a.curator, event=ev)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(emails)
    assert "отменено" in mail.outbox[0].subject
    assert "Квик-настройка «Новый журнал»" in mail.outbox[0].body
    month = timezone.localtime(moment).strftime("%Y-%m")
    page = login(tenant_a.mentor).get(f"/events/?month={month}").content.decode()
    assert "Квик-настройка «Новый журнал»" in page
    assert "Отменено" in page
    assert "Отменено" in login(tenant_a.mentor).get(f"/events/{ev.pk}/").content.decode()


def test_the_edit_page_reads_the_time_in_the_organizations_zone(tenant_a: Tenant) -> None:
    tenant_a.organization.time_zone = "Asia/Novosibirsk"
    tenant_a.organization.save()
    ev = event(tenant_a.organization, seat_limit=5)
    _registered(ev, 2, tenant_a)
    curator = login(tenant_a.curator)
    page = curator.get(f"/events/{ev.pk}/edit/").content.decode()
    assert "Изменить мероприятие" in page
    assert ev.title in page
    zone = zoneinfo.ZoneInfo("Asia/Novosibirsk")
    when = (timezone.now() + dt.timedelta(days=9)).astimezone(zone).replace(second=0, microsecond=0)
    body = {
        "form": "workshop",
        "title": "Педагогическая мастерская",
        "starts_at": when.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "60",
        "place": "Каб. 5",
        "seat_limit": "1",
    }
    refused = curator.post(f"/events/{ev.pk}/edit/", body).content.decode()
    assert "Уже записано участников: 2" in refused
    body["seat_limit"] = "2"
    response = curator.post(f"/events/{ev.pk}/edit/", body)
    assert response.status_code == 302
    ev.refresh_from_db()
    assert (ev.form, ev.title, ev.seat_limit, ev.starts_at) == (
        "workshop",
        "Педагогическая мастерская",
        2,
        when,
    )
    assert login(tenant_a.mentor).get(f"/events/{ev.pk}/edit/").status_code == 404


def test_the_curator_removes_a_material_after_a_confirmation(
    tenant_a: Tenant, django_capture_on_commit_callbacks: object
) -> None:
    ev = event(tenant_a.organization)
    material = Material(organization=tenant_a.organization, event=ev, title="Слайды")
    material.file.save("slides.txt", ContentFile(b"slides"), save=False)
    material.save()
    name = material.file.name
    storage = material.file.storage
    curator = login(tenant_a.curator)
    confirm = curator.get(f"/events/materials/{material.pk}/delete/").content.decode()
    assert "«Слайды»" in confirm
    assert Material.objects.filter(pk=material.pk).exists()
    mentor = login(tenant_a.mentor)
    assert mentor.post(f"/events/materials/{material.pk}/delete/").status_code == 404
    assert Material.objects.filter(pk=material.pk).exists()
    with pytest.raises(PermissionDenied):
        services.material_delete(actor=tenant_a.head, material=material)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        curator.post(f"/events/materials/{material.pk}/delete/")
    assert not Material.objects.filter(pk=material.pk).exists()
    assert not storage.exists(name)
    assert AuditEntry.objects.filter(action="events.material_delete").count() == 1


def test_the_curator_withdraws_an_entry_and_its_scores(tenant_a: Tenant) -> None:
    fest = festival(tenant_a.organization)
    nom = nomination(fest)
    kept = entry(nom, pair(tenant_a))
    gone = entry(nom, pair(tenant_a))
    jury = juror(fest, tenant_a.head)
    Score.objects.create(organization=tenant_a.organization, entry=gone, juror=jury, value=7)
    curator = login(tenant_a.curator)
    confirm = curator.get(f"/events/entries/{gone.pk}/delete/").content.decode()
    assert "Оценки жюри тоже будут удалены" in confirm
    assert login(tenant_a.head).post(f"/events/entries/{gone.pk}/delete/").status_code == 302
    assert Entry.objects.filter(pk=gone.pk).exists()  # a head reads, only the curator removes
    response = curator.post(f"/events/entries/{gone.pk}/delete/")
    assert response.status_code == 302
    assert list(Entry.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not Score.objects.exists()


def test_a_past_events_title_is_corrected_through_the_page(tenant_a: Tenant) -> None:
    ev = event(tenant_a.organization, days=-2, seat_limit=10)  # seconds in its time
    zone = zoneinfo.ZoneInfo(tenant_a.organization.time_zone or "Europe/Moscow")
    body = {
        "form": ev.form,
        "title": "Семинар-практикум «Оценивание» (итоги)",
        "starts_at": ev.starts_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": str(ev.duration_minutes),
        "place": ev.place,
        "seat_limit": "10",
    }
    response = login(tenant_a.curator).post(f"/events/{ev.pk}/edit/", body)
    assert response.status_code == 302
    moved = Event.objects.get(pk=ev.pk)
    assert (moved.title, moved.starts_at) == (
        "Семинар-практикум «Оценивание» (итоги)",
        ev.starts_at,
    )
