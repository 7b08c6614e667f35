"""Browser tests: Debian's Chromium, driven by Playwright's sync API, against the live server.

Run them with ``make test-browser`` (``pytest -m browser``). Everything under ``tests/browser/``
is marked ``browser`` and runs in a transaction-flushing database with the shipped catalogues
restored after each test; mark your tests ``@pytest.mark.browser`` all the same, for the reader.

Fixtures:

- ``page`` — a desktop page (1280×800, ru-RU, Europe/Moscow) whose relative URLs go to the live
  server: ``page.goto("/people/")``. The test fails if the page raised a JavaScript error, logged
  a console error, or got a 5xx or a missing static file (``@pytest.mark.allow_page_errors`` lets
  a test expect them).
- ``mobile_page`` — the same on a 390×844 touch screen, for the mobile-first layout.
- ``new_page()`` — another page in a fresh context (a second user at the same time).
- ``login_as(page, user)`` — signs the page's browser in as ``user`` without the form (a
  session cookie); ``sign_in(page, username, password)`` goes through the real login form.
- ``demo`` — the demo region (``nastavnik.demo``) in a compact size: ``demo.users["curator"]``,
  ``demo.organizations["demo-school-1"]``, ... All its logins have the password ``DEMO_PASSWORD``.
- ``snapshot(page, label)`` — saves a screenshot to ``test-artifacts/browser/`` to look at.

A failed test leaves a screenshot and the page's HTML in ``test-artifacts/browser/``.
Playwright never downloads a browser here: it launches ``/usr/bin/chromium`` (Debian's package;
``NASTAVNIK_CHROMIUM`` overrides the path). A missing Chromium fails the run rather than skipping.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.db import connection, transaction
from django.test import Client
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Response,
    sync_playwright,
)

from nastavnik.accounts.models import User
from nastavnik.demo.registry import DemoContext

# Playwright's sync API keeps an event loop in the test's thread; the ORM calls the tests make
# between browser steps are still synchronous and safe (Django reads this on every call).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

CHROMIUM = Path(os.environ.get("NASTAVNIK_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = (
    Path(
        os.environ.get(
            "NASTAVNIK_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"
        )
    )
    / "browser"
)
DEMO_PASSWORD = "demo-password"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
DEFAULT_TIMEOUT_MS = 10_000

_BROWSER_DIR = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)  # before ``-m "not browser"`` deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _BROWSER_DIR not in item.path.resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        # The live server needs committed data; the catalogues that migrations ship are
        # restored after each test's flush.
        item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "allow_page_errors: the test expects JavaScript or HTTP errors on its pages"
    )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"_report_{report.when}", report)
    return report


# --- the database --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _shipped_data(django_db_setup: Any, django_db_blocker: Any) -> str:
    """What the project's data migrations ship (catalogues, taxonomy, consent texts) as JSON.

    Django restores the whole database after each flush through ``serialized_rollback``, but
    only when the test database was serialized as it was created; on PostgreSQL, after other
    test modules, it sometimes is not, and the flush leaves the catalogues empty.
    """
    with django_db_blocker.unblock():
        objects = [
            obj
            for app in apps.get_app_configs()
            if app.name.startswith("nastavnik.")
            for model in app.get_models()
            for obj in model._base_manager.order_by("pk")
        ]
        return serializers.serialize("json", objects)


@pytest.fixture(autouse=True)
def _restore_shipped_data(request: pytest.FixtureRequest) -> None:
    if _BROWSER_DIR not in request.node.path.resolve().parents:
        return
    from nastavnik.programs.models import MentoringForm

    shipped = request.getfixturevalue("_shipped_data")
    request.getfixturevalue("transactional_db")
    if MentoringForm.objects.exists():
        return
    with transaction.atomic(), connection.constraint_checks_disabled():
        for obj in serializers.deserialize("json", shipped):
            obj.save()


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: `apt-get install chromium` "
            "(or set NASTAVNIK_CHROMIUM)."
        )
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
    yield launched
    launched.close()


@dataclass
class PageProblems:
    """What went wrong on a page while the test drove it."""

    base_url: str
    found: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.found.append(f"JavaScript error: {error}"))
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        # Failed loads are judged by ``_response`` (a 404 page may be what the test expects).
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.found.append(f"console error: {message.text}")

    def _response(self, response: Response) -> None:
        url = response.url
        if response.status >= 500:
            self.found.append(f"{response.status} {url}")
        elif response.status == 404 and url.startswith(self.base_url + settings.STATIC_URL):
            self.found.append(f"missing static file: {url}")


@dataclass
class _Pages:
    browser: Browser
    base_url: str
    request: pytest.FixtureRequest
    opened: list[tuple[BrowserContext, Page, PageProblems]] = field(default_factory=list)

    def open(self, viewport: dict[str, int] = DESKTOP, *, mobile: bool = False) -> Page:
        context = self.browser.new_context(
            base_url=self.base_url,
            locale="ru-RU",
            timezone_id=settings.TIME_ZONE,
            viewport=viewport,
            is_mobile=mobile,
            has_touch=mobile,
            device_scale_factor=2 if mobile else 1,
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        page = context.new_page()
        problems = PageProblems(self.base_url)
        problems.watch(page)
        self.opened.append((context, page, problems))
        return page

    def close(self) -> None:
        failed = _failed(self.request.node)
        problems: list[str] = []
        for index, (context, page, watcher) in enumerate(self.opened):
            if failed:
                _save_artifacts(self.request.node, page, suffix=f"-{index}" if index else "")
            problems.extend(watcher.found)
            context.close()
        if (
            problems
            and not failed
            and not self.request.node.get_closest_marker("allow_page_errors")
        ):
            pytest.fail("problems on the page:\n" + "\n".join(problems), pytrace=False)


def _failed(node: Any) -> bool:
    report = getattr(node, "_report_call", None)
    return bool(report is not None and report.failed)


def _artifact_name(node: Any) -> str:
    return re.sub(r"[^\w.-]+", "_", node.nodeid.split("::", 1)[-1])[:150]


def _save_artifacts(node: Any, page: Page, suffix: str = "") -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = ARTIFACTS / f"{_artifact_name(node)}{suffix}"
    try:
        page.screenshot(path=str(base.with_suffix(".png")), full_page=True)
        base.with_suffix(".html").write_text(page.content(), encoding="utf-8")
    except Exception as exc:  # a crashed page must not hide the test's own failure
        base.with_suffix(".txt").write_text(f"no screenshot: {exc}\n", encoding="utf-8")


@pytest.fixture
def _pages(browser: Browser, live_server: Any, request: pytest.FixtureRequest) -> Iterator[_Pages]:
    pages = _Pages(browser, live_server.url, request)
    yield pages
    pages.close()


@pytest.fixture
def page(_pages: _Pages) -> Page:
    return _pages.open()


@pytest.fixture
def mobile_page(_pages: _Pages) -> Page:
    return _pages.open(PHONE, mobile=True)


@pytest.fixture
def new_page(_pages: _Pages) -> Callable[..., Page]:
    """Another browser page with its own cookies: ``new_page()`` or ``new_page(mobile=True)``."""

    def make(*, mobile: bool = False) -> Page:
        return _pages.open(PHONE if mobile else DESKTOP, mobile=mobile)

    return make


@pytest.fixture
def snapshot(request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    def take(page: Page, label: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{_artifact_name(request.node)}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# --- who is signed in ----------------------------------------------------------------------


def sign_in(page: Page, username: str, password: str) -> Page:
    """Log in through the login page, as a person would."""
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    return page


@pytest.fixture
def login_as(live_server: Any) -> Callable[[Page, User], Page]:
    """``login_as(page, user)`` signs the page's browser in without the form (a real session)."""

    def sign_in_by_cookie(page: Page, user: User) -> Page:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
        return page

    return sign_in_by_cookie


@pytest.fixture(name="sign_in")
def sign_in_fixture() -> Callable[[Page, str, str], Page]:
    return sign_in


# --- data ----------------------------------------------------------------------------------


# A copy of the in-memory SQLite database with the demo seeded, made by the first test that asks
# for the demo and restored by the others (the demo with every app's steps takes many seconds).
_demo_copy: dict[str, sqlite3.Connection] = {}


@pytest.fixture
def demo(transactional_db: Any) -> DemoContext:
    """The demo region, compact: every role has a login (password ``DEMO_PASSWORD``)."""
    from nastavnik.demo.services import demo_context, demo_seed

    connection.ensure_connection()
    raw = connection.connection
    can_copy = bool(getattr(connection, "is_in_memory_db", lambda: False)())
    if can_copy and "sqlite" in _demo_copy:
        _demo_copy["sqlite"].backup(raw)
        return demo_context()
    context = demo_seed(compact=True, password=DEMO_PASSWORD)
    if can_copy:
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        raw.backup(copy)
        _demo_copy["sqlite"] = copy
    return context
