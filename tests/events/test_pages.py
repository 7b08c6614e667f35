"""The events' pages: the calendar (with other apps' calendar sources), planning an event in the
organization's time zone, registration messages, materials, feedback, contests."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from nastavnik.core import calendar as core_calendar
from nastavnik.core.calendar import CalendarItem
from nastavnik.events.catalogue import get_form
from nastavnik.events.models import Event, Feedback, Material, Registration
from tests.conftest import Tenant, login
from tests.events.factories import event, pair, registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_source() -> Iterator[None]:
    """Another app's calendar source (as speed mentoring would register one)."""

    def source(actor: Any, start: dt.datetime, end: dt.datetime) -> list[CalendarItem]:
        moment = start + dt.timedelta(days=20, hours=12)
        return [CalendarItem("Флеш-встреча с экспертом", moment, moment, "/x/", "Флеш")]

    core_calendar.register_calendar_source(source)
    yield
    core_calendar._SOURCES.remove(source)


def test_the_calendar_shows_events_and_other_sources(tenant_a: Tenant, other_source: None) -> None:
    moment = timezone.now().replace(day=15, hour=9)
    ev = event(
        tenant_a.organization, title="Педагогическая гостиная «Книга месяца»", starts_at=moment
    )
    month = timezone.localtime(moment).strftime("%Y-%m")
    page = login(tenant_a.mentor).get(f"/events/?month={month}").content.decode()
    assert ev.title in page
    assert f"/events/{ev.pk}/" in page
    assert "Флеш-встреча с экспертом" in page
    assert "Запланировать мероприятие" not in page
    assert "Запланировать мероприятие" in login(tenant_a.curator).get("/events/").content.decode()
    assert login(tenant_a.mentor).get("/events/?month=garbage").status_code == 200


def test_planning_an_event_reads_the_time_in_the_organizations_zone(tenant_a: Tenant) -> None:
    tenant_a.organization.time_zone = "Asia/Novosibirsk"
    tenant_a.organization.save()
    curator = login(tenant_a.curator)
    form_page = curator.get("/events/new/?form=lounge").content.decode()
    assert "Педагогическая гостиная" in form_page
    when = timezone.now().astimezone(zoneinfo.ZoneInfo("Asia/Novosibirsk")) + dt.timedelta(days=5)
    body = {
        "organization": tenant_a.organization.pk,
        "form": "lounge",
        "title": "Гостиная «Трудный разговор с родителями»",
        "starts_at": when.strftime("%Y-%m-%dT16:00"),
        "place": "Библиотека",
        "seat_limit": "12",
        "open_to_municipality": "on",
    }
    response = curator.post("/events/new/", body)
    assert response.status_code == 302
    created = Event.objects.get()
    local = created.starts_at.astimezone(zoneinfo.ZoneInfo("Asia/Novosibirsk"))
    assert (local.date(), local.hour) == (when.date(), 16)
    assert created.agenda == get_form("lounge").agenda
    assert created.open_to_municipality
    assert created.seat_limit == 12
    page = curator.get(response["Location"]).content.decode()
    assert "16:00" in page
    past = dict(body, starts_at=(when - dt.timedelta(days=30)).strftime("%Y-%m-%dT16:00"))
    page = curator.post("/events/new/", past).content.decode()
    assert "Новое мероприятие не может начинаться в прошлом" in page
    assert Event.objects.count() == 1
    assert login(tenant_a.mentor).get("/events/new/").status_code == 403


def test_registering_for_a_full_event_says_so(tenant_a: Tenant) -> None:
    ev = event(tenant_a.organization, seat_limit=1)
    mentor, mentee = login(tenant_a.mentor), login(tenant_a.mentee)
    page = mentor.post(f"/events/{ev.pk}/register/", follow=True).content.decode()
    assert "Вы записаны." in page
    page = mentee.post(f"/events/{ev.pk}/register/", follow=True).content.decode()
    assert "Все места (1) заняты: запись закрыта." in page
    mentor.post(f"/events/{ev.pk}/unregister/")
    assert not Registration.objects.filter(cancelled_at__isnull=True).exists()


def test_materials_and_feedback_through_the_pages(tenant_a: Tenant) -> None:
    ev = event(tenant_a.organization, days=-1)
    curator = login(tenant_a.curator)
    page = curator.post(
        f"/events/{ev.pk}/materials/",
        {"title": "Скрипт", "attachment": SimpleUploadedFile("x.exe", b"MZ")},
        follow=True,
    ).content.decode()
    assert "Файлы такого типа" in page
    curator.post(
        f"/events/{ev.pk}/materials/",
        {"title": "Памятка", "attachment": SimpleUploadedFile("pamyatka.txt", "Памятка".encode())},
    )
    material = Material.objects.get()
    download = login(tenant_a.mentor).get(f"/events/materials/{material.pk}/")
    assert download.content == "Памятка".encode()
    assert "pamyatka.txt" in download["Content-Disposition"]
    registration(ev, tenant_a.mentor)
    curator.post(f"/events/{ev.pk}/attendance/", {"present": [tenant_a.mentor.pk]})
    mentor = login(tenant_a.mentor)
    assert "Оставить отзыв" in mentor.get(f"/events/{ev.pk}/").content.decode()
    mentor.post(f"/events/{ev.pk}/feedback/", {"rating": "4", "text": "Понятно и по делу"})
    page = mentor.post(f"/events/{ev.pk}/feedback/", {"rating": "5"}).content.decode()
    assert "Вы уже оставили отзыв" in page
    assert list(Feedback.objects.values_list("rating", flat=True)) == [4]
    summary = curator.get(f"/events/{ev.pk}/").content.decode()
    assert "Понятно и по делу" in summary


def test_the_contests_page_records_a_result(tenant_a: Tenant) -> None:
    mentorship_id = pair(tenant_a)
    curator = login(tenant_a.curator)
    response = curator.post(
        "/events/contests/",
        {
            "mentorship": mentorship_id,
            "contest": "Муниципальный фестиваль пар",
            "year": "2026",
            "result": "Лауреат",
        },
    )
    assert response.status_code == 302
    assert "Муниципальный фестиваль пар" in curator.get("/events/contests/").content.decode()
    assert login(tenant_a.mentor).get("/events/contests/").status_code == 403


def test_the_forms_catalogue_page(tenant_a: Tenant) -> None:
    page = login(tenant_a.mentee).get("/events/forms/").content.decode()
    assert "Квик-настройка" in page
    assert "Фестиваль (конкурс) наставнических пар" in page
