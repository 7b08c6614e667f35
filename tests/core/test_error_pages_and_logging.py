"""Russian error pages in the site's layout, the lockout page, the quiet console (issue 16,
items 15 and 17)."""

from __future__ import annotations

import datetime as dt
import logging
import logging.config
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.test import Client, RequestFactory, override_settings
from django.urls import path

from nastavnik.core.templatetags.nastavnik_text import duration_words
from nastavnik.documents.render import render_pdf
from nastavnik.settings import base
from nastavnik.urls import urlpatterns as site_urlpatterns
from tests.conftest import Tenant, login
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def _refuse(request: Any) -> Any:
    raise PermissionDenied


def _fail(request: Any) -> Any:
    raise RuntimeError("boom")


urlpatterns = [
    *site_urlpatterns,
    path("test-refuse/", _refuse),
    path("test-fail/", _fail),
]


def test_the_404_page_is_russian_in_the_sites_layout(tenant_a: Tenant) -> None:
    assert settings.DEBUG is False
    response = login(tenant_a.curator).get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Страница не найдена" in body
    assert "Not Found" not in body
    assert 'class="topbar"' in body  # the layout, with the menu of a logged-in user
    assert "На главную" in body


def test_a_forbidden_object_gets_the_russian_404(tenant_a: Tenant, tenant_b: Tenant) -> None:
    response = login(tenant_a.curator).get(f"/people/{tenant_b.student.pk}/")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_the_403_page_is_russian_in_the_sites_layout(tenant_a: Tenant) -> None:
    response = login(tenant_a.mentee).get("/test-refuse/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Доступ запрещён" in body
    assert "Forbidden" not in body
    assert 'class="topbar"' in body


@override_settings(ROOT_URLCONF=__name__)
def test_the_500_page_is_russian_in_the_sites_layout(tenant_a: Tenant) -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/test-fail/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Что-то пошло не так" in body
    assert 'class="topbar"' in body


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, AXES_COOLOFF_TIME=1)
def test_the_lockout_page_says_for_how_long(tenant_a: Tenant) -> None:
    client = Client(REMOTE_ADDR="10.0.0.7")
    response = None
    for _ in range(4):
        response = client.post(
            "/accounts/login/", {"username": tenant_a.curator.username, "password": "неверный"}
        )
    assert response is not None
    assert response.status_code == 429
    body = response.content.decode()
    assert "1 час" in body
    assert "Вход приостановлен" in body
    assert 'class="topbar"' in body


@pytest.mark.parametrize(
    ("wait", "words"),
    [
        (dt.timedelta(hours=1), "1 час"),
        (dt.timedelta(minutes=30), "30 минут"),
        (dt.timedelta(hours=2, minutes=1), "2 часа 1 минута"),
        (dt.timedelta(days=1), "1 день"),
        (dt.timedelta(seconds=5), "1 минута"),
    ],
)
def test_durations_in_words(wait: dt.timedelta, words: str) -> None:
    assert duration_words(wait) == words


def test_the_head_is_not_offered_a_print_link_they_may_not_follow(tenant_a: Tenant) -> None:
    program: Any = ProgramFactory(organization=tenant_a.organization)
    head_page = login(tenant_a.head).get(f"/programs/{program.pk}/roadmap/").content.decode()
    curator_page = login(tenant_a.curator).get(f"/programs/{program.pk}/roadmap/").content.decode()
    link = f"/documents/programs/{program.pk}/roadmap/"
    assert link in curator_page
    assert link not in head_page
    assert login(tenant_a.head).get(link).status_code == 403


@pytest.fixture
def production_logging(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """The logging of the real settings, with pytest's capture on the root logger."""
    logging.config.dictConfig(base.LOGGING)
    root = logging.getLogger()
    root.addHandler(caplog.handler)
    caplog.handler.setLevel(logging.DEBUG)
    try:
        yield caplog
    finally:
        root.removeHandler(caplog.handler)
        logging.config.dictConfig(settings.LOGGING)


def test_a_pdf_does_not_flood_the_console(production_logging: pytest.LogCaptureFixture) -> None:
    pdf = render_pdf("<html><body><h1>Приказ</h1><p>Текст</p></body></html>")
    assert pdf.startswith(b"%PDF")
    assert "Step" not in production_logging.text
    assert not [r for r in production_logging.records if r.name.startswith("fontTools")]


def test_a_403_is_one_line_without_a_traceback(
    production_logging: pytest.LogCaptureFixture,
) -> None:
    request = RequestFactory().get("/somewhere/")
    response_for_exception(request, PermissionDenied("нельзя"))
    records = [r for r in production_logging.records if r.name == "django.request"]
    assert len(records) == 1
    assert records[0].exc_info is None
    assert "Traceback" not in production_logging.text
