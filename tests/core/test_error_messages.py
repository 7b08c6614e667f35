"""Every error says how to fix it, in Russian (issue 24).

The main forms — a person, a program, an import, a meeting, a survey — are sent with the mistakes
people make (an empty required field, a date written another way, a file that is not a table), and
each answer must name the fix: «Заполните это поле», «Укажите дату в формате дд.мм.гггг», and so
on. Django's own messages («Обязательное поле.», «Введите правильную дату.») say what is wrong but
not what to do; the people app's catalogue says them again (``people.forms.DJANGO_FIELD_MESSAGES``).
The error pages (403, 404, 500) say what to do next.
"""

from __future__ import annotations

import html
import re
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from nastavnik.people.forms import DJANGO_FIELD_MESSAGES
from tests.conftest import login
from tests.factories import ProgramFactory
from tests.pairwork.factories import working_pair

DATE_FIX = "Укажите дату в формате дд.мм.гггг"
DATETIME_FIX = "Укажите дату и время в формате дд.мм.гггг чч:мм"
REQUIRED_FIX = "Заполните это поле."
CYRILLIC = re.compile(r"[а-яё]", re.I)


def _errors(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def test_every_django_field_message_says_how_to_fix_it_in_russian() -> None:
    with translation.override("ru"):
        for message in DJANGO_FIELD_MESSAGES:
            text = str(message)
            assert CYRILLIC.search(text), text
            # An imperative «Укажите / Заполните / Введите / Выберите» names the fix.
            assert re.match(r"(Укажите|Заполните|Введите|Выберите|Файл)", text), text
        assert str(DJANGO_FIELD_MESSAGES[1]).startswith(DATE_FIX)


def test_the_person_form_says_how_to_fix_a_date_and_a_missing_name(tenant_a: Any) -> None:
    client = login(tenant_a.curator)
    page = _errors(
        client.post(
            reverse("people:create"),
            {
                "last_name": "",
                "first_name": "Анна",
                "birth_date": "2012/03/15",
                "category": "student",
            },
        )
    )
    assert DATE_FIX in page
    assert REQUIRED_FIX in page


def test_the_program_form_says_how_to_fix_its_fields(tenant_a: Any) -> None:
    client = login(tenant_a.curator)
    page = _errors(
        client.post(reverse("programs:create"), {"title": "", "starts_on": "1 сентября"})
    )
    assert REQUIRED_FIX in page
    assert DATE_FIX in page


def test_the_meeting_form_says_how_to_write_the_date_and_time(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    client = login(tenant_a.mentor)
    page = _errors(
        client.post(
            reverse("pairwork:meeting_new", kwargs={"mentorship_id": pair.pk}),
            {"starts_at": "завтра в 10", "duration_minutes": "45", "format": "in_person"},
        )
    )
    assert DATETIME_FIX in page
    assert REQUIRED_FIX in page  # the topic


def test_the_survey_form_says_how_to_fix_its_fields(tenant_a: Any) -> None:
    program: Any = ProgramFactory(organization=tenant_a.organization)
    client = login(tenant_a.curator)
    page = _errors(
        client.post(
            reverse("surveys:program", kwargs={"program_id": program.pk}),
            {"s-title": "", "s-kind": "satisfaction", "s-due_on": "в конце мая"},
        )
    )
    assert REQUIRED_FIX in page
    assert DATE_FIX in page


def test_an_import_of_a_file_that_is_not_a_table_says_what_to_upload(tenant_a: Any) -> None:
    client = login(tenant_a.curator)
    picture = SimpleUploadedFile("люди.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    page = _errors(
        client.post(
            reverse("imports:list"),
            {"organization": tenant_a.organization.pk, "file": picture},
        )
    )
    assert "Файл не является таблицей. Загрузите файл .xlsx, .ods или .csv." in page


def test_an_import_without_a_file_says_to_choose_one(tenant_a: Any) -> None:
    client = login(tenant_a.curator)
    page = _errors(client.post(reverse("imports:list"), {"organization": tenant_a.organization.pk}))
    assert REQUIRED_FIX in page


def test_the_error_pages_say_what_to_do_next(tenant_a: Any) -> None:
    missing = login(tenant_a.curator).get("/no-such-page/")
    assert missing.status_code == 404
    assert "Проверьте адрес или вернитесь на главную." in html.unescape(missing.content.decode())

    refused = login(tenant_a.mentee).get(reverse("people:create"))
    assert refused.status_code == 403
    body = html.unescape(refused.content.decode())
    assert "обратитесь к куратору наставничества вашей организации" in body
    assert reverse("core:home") in body

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with translation.override("ru"):
        failed = html.unescape(render_to_string("500.html", request=request))
    assert "попробуйте ещё раз через несколько минут" in failed
