"""The events' writes: creation (agenda from the form, no past date), registration with a seat
limit, cancelling, attendance, materials (checked files), feedback (attendees, once), contests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from nastavnik.events import services
from nastavnik.events.catalogue import get_form
from nastavnik.events.models import ContestResult, Event, Feedback, Material, Registration
from nastavnik.mentorships.models import Mentorship
from tests.conftest import Tenant
from tests.events.factories import event, pair, registration
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _create(tenant: Tenant, **kwargs: object) -> Event:
    values: dict[str, object] = {
        "actor": tenant.curator,
        "organization_id": tenant.organization.pk,
        "form": "ring",
        "title": "Педагогический ринг «Домашнее задание: за и против»",
        "starts_at": timezone.now() + dt.timedelta(days=3),
        "place": "Каб. 21",
    }
    values.update(kwargs)
    return services.event_create(**values)


def test_a_new_event_takes_the_agenda_and_duration_of_its_form(tenant_a: Tenant) -> None:
    created = _create(tenant_a)
    assert created.agenda == get_form("ring").agenda
    assert created.duration_minutes == get_form("ring").minutes
    own = _create(tenant_a, agenda="1. Своя программа", duration_minutes=45)
    assert (own.agenda, own.duration_minutes) == ("1. Своя программа", 45)


def test_a_past_date_is_refused_in_russian_and_nothing_is_saved(tenant_a: Tenant) -> None:
    with pytest.raises(ValidationError) as info:
        _create(tenant_a, starts_at=timezone.now() - dt.timedelta(minutes=5))
    assert "не может начинаться в прошлом" in info.value.message_dict["starts_at"][0]
    with pytest.raises(ValidationError) as info:
        _create(tenant_a, place="")
    assert "место проведения" in info.value.message_dict["place"][0]
    assert not Event.objects.exists()


def test_only_a_curator_creates(tenant_a: Tenant, tenant_b: Tenant) -> None:
    for actor in (tenant_a.mentor, tenant_a.head, tenant_b.curator):
        with pytest.raises(PermissionDenied):
            _create(tenant_a, actor=actor)
    assert not Event.objects.exists()


def test_registration_respects_the_seat_limit(tenant_a: Tenant) -> None:
    ev = event(tenant_a.organization, seat_limit=2)
    services.registration_create(actor=tenant_a.mentor, event=ev)
    services.registration_create(actor=tenant_a.mentee, event=ev)
    with pytest.raises(ValidationError) as info:
        services.registration_create(actor=tenant_a.curator, event=ev)
    assert info.value.messages == ["Все места (2) заняты: запись закрыта."]
    with pytest.raises(ValidationError) as info:
        services.registration_create(actor=tenant_a.mentor, event=ev)
    assert info.value.messages == ["Вы уже записаны на это мероприятие."]
    # A cancelled registration frees its seat; registering again takes the same row.
    services.registration_cancel(actor=tenant_a.mentee, event=ev)
    services.registration_create(actor=tenant_a.curator, event=ev)
    with pytest.raises(ValidationError):
        services.registration_create(actor=tenant_a.mentee, event=ev)
    services.registration_cancel(actor=tenant_a.curator, event=ev)
    services.registration_create(actor=tenant_a.mentee, event=ev)
    assert Registration.objects.filter(event=ev).count() == 3
    assert Registration.objects.filter(event=ev, cancelled_at__isnull=True).count() == 2


def test_a_cancelled_or_started_event_takes_no_registration(tenant_a: Tenant) -> None:
    ev = event(tenant_a.organization)
    services.event_cancel(actor=tenant_a.curator, event=ev)
    with pytest.raises(ValidationError) as info:
        services.registration_create(actor=tenant_a.mentor, event=ev)
    assert info.value.messages == ["Мероприятие отменено: запись закрыта."]
    started = event(tenant_a.organization, days=-1)
    with pytest.raises(ValidationError) as info:
        services.registration_create(actor=tenant_a.mentor, event=started)
    assert info.value.messages == ["Мероприятие уже началось: запись закрыта."]
    assert not Registration.objects.exists()


def test_attendance_then_feedback_only_from_attendees_and_once(tenant_a: Tenant) -> None:
    ev = event(tenant_a.organization, days=-1)
    registration(ev, tenant_a.mentor)
    registration(ev, tenant_a.mentee)
    with pytest.raises(PermissionDenied):
        services.attendance_mark(actor=tenant_a.mentor, event=ev, attended_user_ids=[])
    with pytest.raises(ValidationError):
        services.attendance_mark(
            actor=tenant_a.curator, event=ev, attended_user_ids=[tenant_a.head.pk]
        )
    services.attendance_mark(
        actor=tenant_a.curator, event=ev, attended_user_ids=[tenant_a.mentor.pk]
    )
    with pytest.raises(PermissionDenied):
        services.feedback_leave(actor=tenant_a.mentee, event=ev, rating=4)
    services.feedback_leave(actor=tenant_a.mentor, event=ev, rating=5, text="Полезные приёмы")
    with pytest.raises(ValidationError) as info:
        services.feedback_leave(actor=tenant_a.mentor, event=ev, rating=3)
    assert info.value.messages == ["Вы уже оставили отзыв об этом мероприятии."]
    assert list(Feedback.objects.values_list("user_id", "rating")) == [(tenant_a.mentor.pk, 5)]


def test_feedback_waits_for_the_event_and_keeps_to_the_scale(tenant_a: Tenant) -> None:
    ev = event(tenant_a.organization)
    registration(ev, tenant_a.mentor, attended=True)
    with pytest.raises(ValidationError):
        services.feedback_leave(actor=tenant_a.mentor, event=ev, rating=5)
    Event.objects.filter(pk=ev.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))
    ev.refresh_from_db()
    with pytest.raises(ValidationError):
        services.feedback_leave(actor=tenant_a.mentor, event=ev, rating=6)
    assert not Feedback.objects.exists()


def test_materials_files_are_checked_and_nothing_half_saved(
    tenant_a: Tenant, settings: object
) -> None:
    ev = event(tenant_a.organization)
    with pytest.raises(ValidationError) as info:
        services.material_add(
            actor=tenant_a.curator,
            event=ev,
            title="Вирус",
            upload=SimpleUploadedFile("run.exe", b"MZ\x90\x00"),
        )
    assert "Файлы такого типа" in info.value.message_dict["attachment"][0]
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (5 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError) as info:
        services.material_add(actor=tenant_a.curator, event=ev, title="Большой", upload=big)
    assert "больше 5 МБ" in info.value.message_dict["attachment"][0]
    fake = SimpleUploadedFile("slides.pdf", b"not a pdf")
    with pytest.raises(ValidationError):
        services.material_add(actor=tenant_a.curator, event=ev, title="Не PDF", upload=fake)
    with pytest.raises(ValidationError):
        services.material_add(actor=tenant_a.curator, event=ev, title="Пусто")
    assert not Material.objects.exists()
    ok = services.material_add(
        actor=tenant_a.curator,
        event=ev,
        title="Программа",
        upload=SimpleUploadedFile("programma.pdf", b"%PDF-1.4 test"),
    )
    assert (ok.file_name, ok.file_type) == ("programma.pdf", "application/pdf")
    link = services.material_add(
        actor=tenant_a.curator, event=ev, title="Запись", link="https://example.org/video"
    )
    assert link.link == "https://example.org/video"
    assert not link.file
    with pytest.raises(PermissionDenied):
        services.material_add(
            actor=tenant_a.mentor, event=ev, title="Моё", link="https://example.org"
        )


def test_a_pairs_place_in_an_outside_contest(tenant_a: Tenant, tenant_b: Tenant) -> None:
    mentorship = Mentorship.objects.get(pk=pair(tenant_a))
    record = services.contest_result_add(
        actor=tenant_a.curator,
        mentorship=mentorship,
        contest="Региональный конкурс «Наставник года»",
        year=2026,
        result="2 место",
    )
    assert record.organization_id == tenant_a.organization.pk
    with pytest.raises(PermissionDenied):
        services.contest_result_add(
            actor=tenant_b.curator, mentorship=mentorship, contest="X", year=2026, result="1"
        )
    with pytest.raises(ValidationError):
        services.contest_result_add(
            actor=tenant_a.curator, mentorship=mentorship, contest="X", year=1990, result="1"
        )
    assert ContestResult.objects.count() == 1


def test_a_juror_from_an_outside_login_is_refused(tenant_a: Tenant) -> None:
    from tests.events.factories import festival

    ev = festival(tenant_a.organization)
    stranger = UserFactory.create(username="stranger")
    with pytest.raises(ValidationError):
        services.jury_add(actor=tenant_a.curator, event=ev, user_id=stranger.pk)
    MembershipFactory(user=stranger, role="mentor", organization=tenant_a.organization)
    assert services.jury_add(actor=tenant_a.curator, event=ev, user_id=stranger.pk).pk
