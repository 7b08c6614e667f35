"""The pair's thread: members only; the curator reads it after a problem report, audited;
attachments' size and type limits; unread counts; progress records and observations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from nastavnik.core.models import AuditEntry
from nastavnik.pairwork import selectors, services, threads
from nastavnik.pairwork.models import Message, ProgressRecord
from nastavnik.pairwork.warnings import warnings_for
from nastavnik.people.models import Achievement
from tests.conftest import login
from tests.factories import MembershipFactory, TeacherFactory, UserFactory
from tests.pairwork.factories import working_pair

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"


def test_members_write_and_read_the_thread(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    threads.message_post(actor=tenant_a.mentee, mentorship=pair, text="Как решить задачу 5?")
    assert threads.unread_counts(user=tenant_a.mentor, mentorship_ids=[pair.pk]) == {pair.pk: 1}
    assert threads.unread_counts(user=tenant_a.mentee, mentorship_ids=[pair.pk]) == {}
    page = login(tenant_a.mentor).get(reverse("pairwork:home")).content.decode()
    assert "1 новое сообщение" in page
    body = login(tenant_a.mentor).get(reverse("pairwork:thread", args=[pair.pk])).content.decode()
    assert "Как решить задачу 5?" in body
    assert threads.unread_counts(user=tenant_a.mentor, mentorship_ids=[pair.pk]) == {}


def test_the_curator_reads_only_after_a_report_and_is_audited(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    threads.message_post(actor=tenant_a.mentee, mentorship=pair, text="Личный вопрос")
    url = reverse("pairwork:thread", args=[pair.pk])
    curator = login(tenant_a.curator)
    assert curator.get(url).status_code == 404
    assert login(tenant_a.head).get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        threads.thread_messages(user=tenant_a.curator, mentorship=pair)
    threads.problem_report(actor=tenant_a.mentee, mentorship=pair, text="Наставник не отвечает")
    body = curator.get(url).content.decode()
    assert "Личный вопрос" in body
    assert "записано в журнал" in body
    entry = AuditEntry.objects.get(action="pairwork.thread_read_by_curator")
    assert entry.actor == tenant_a.curator
    assert entry.object_id == str(pair.pk)
    with pytest.raises(PermissionDenied):
        threads.message_post(actor=tenant_a.curator, mentorship=pair, text="Куратор пишет")
    threads.problem_close(actor=tenant_a.curator, mentorship=pair)
    assert curator.get(url).status_code == 404


def test_outsiders_never_read_messages(tenant_a: Any, tenant_b: Any, coordinator: Any) -> None:
    pair = working_pair(tenant_a)
    threads.problem_report(actor=tenant_a.mentee, mentorship=pair, text="Проблема")
    other = UserFactory(username="mentor-x")
    MembershipFactory(user=other, role="mentor", organization=tenant_a.organization)
    TeacherFactory(organization=tenant_a.organization, user=other)
    for user in (other, coordinator, tenant_b.curator):
        assert login(user).get(reverse("pairwork:thread", args=[pair.pk])).status_code == 404


@override_settings(NASTAVNIK_PAIRWORK_ATTACHMENT_MB=1)
def test_attachments_limits(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    cases = [
        (SimpleUploadedFile("run.exe", b"MZ\x90\x00"), "нельзя прикрепить"),
        (SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024)), "больше 1 МБ"),
        (SimpleUploadedFile("fake.pdf", b"MZ not a pdf"), "не соответствует"),
    ]
    for upload, words in cases:
        with pytest.raises(ValidationError) as exc:
            threads.message_post(actor=tenant_a.mentee, mentorship=pair, text="", upload=upload)
        assert words in exc.value.message_dict["attachment"][0]
    assert not Message.objects.exists()
    message = threads.message_post(
        actor=tenant_a.mentee,
        mentorship=pair,
        text="Моё эссе",
        upload=SimpleUploadedFile("эссе.pdf", PDF),
    )
    response = login(tenant_a.mentor).get(reverse("pairwork:attachment", args=[message.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert (
        login(tenant_a.curator).get(reverse("pairwork:attachment", args=[message.pk])).status_code
        == 404
    )


def test_a_refused_file_on_the_page_shows_why(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    response = login(tenant_a.mentee).post(
        reverse("pairwork:thread", args=[pair.pk]),
        {"text": "", "attachment": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert "нельзя прикрепить" in response.content.decode()
    assert not Message.objects.exists()


def test_progress_is_set_by_the_mentor_not_the_mentee(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    day = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.progress_record(
            actor=tenant_a.mentee,
            mentorship=pair,
            mentee_id=tenant_a.mentee_person.pk,
            subject="Алгебра",
            level=Achievement.STRONG,
            recorded_on=day,
        )
    with pytest.raises(ValidationError):
        services.progress_record(
            actor=tenant_a.mentor,
            mentorship=pair,
            mentee_id=tenant_a.mentor_person.pk,
            subject="Алгебра",
            level=Achievement.MEDIUM,
            recorded_on=day,
        )
    for days_ago, level in ((30, Achievement.MEDIUM), (1, Achievement.WEAK)):
        services.progress_record(
            actor=tenant_a.mentor,
            mentorship=pair,
            mentee_id=tenant_a.mentee_person.pk,
            subject="Алгебра",
            level=level,
            recorded_on=day - dt.timedelta(days=days_ago),
            source="контрольная",
        )
    services.progress_record(
        actor=tenant_a.curator,
        mentorship=pair,
        mentee_id=tenant_a.mentee_person.pk,
        subject="Геометрия",
        mark=Decimal("4"),
        recorded_on=day,
    )
    assert ProgressRecord.objects.count() == 3
    falling = [w.text for w in warnings_for([pair]) if w.code == "level_falling"]
    was, now = Achievement.MEDIUM.label, Achievement.WEAK.label
    on = (day - dt.timedelta(days=1)).strftime("%d.%m.%Y")
    assert falling == [f"«Алгебра»: уровень снизился с «{was}» до «{now}» ({on})."]


def test_observations_are_for_the_mentor_and_the_curator(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    services.observation_add(
        actor=tenant_a.mentor,
        mentorship=pair,
        mentee_id=tenant_a.mentee_person.pk,
        text="Лучше работает после короткой паузы",
    )
    assert selectors.observations(user=tenant_a.curator, mentorship=pair)
    assert selectors.observations(user=tenant_a.mentee, mentorship=pair) == []
    assert selectors.observations(user=tenant_a.head, mentorship=pair) == []
    url = reverse("pairwork:pair", args=[pair.pk])
    assert "короткой паузы" not in login(tenant_a.mentee).get(url).content.decode()
    assert "короткой паузы" in login(tenant_a.mentor).get(url).content.decode()


def test_a_mentor_not_answering_is_warned(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    threads.message_post(actor=tenant_a.mentee, mentorship=pair, text="Вопрос")
    later = timezone.localdate() + dt.timedelta(days=3)
    codes = {w.code: w.text for w in warnings_for([pair], today=later)}
    assert codes["no_answer"] == "Сообщение наставляемого без ответа 3 дня."
    threads.message_post(actor=tenant_a.mentor, mentorship=pair, text="Ответ")
    assert "no_answer" not in {w.code for w in warnings_for([pair], today=later)}
