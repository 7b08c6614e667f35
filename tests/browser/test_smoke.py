"""The main paths a person takes, in real Chromium: logging in, finding a pupil, the phone menu.

Also tests of the browser fixtures themselves: a JavaScript error on a page is caught.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from nastavnik.accounts.models import User
from nastavnik.demo.registry import DemoContext
from tests.browser.conftest import DEMO_PASSWORD, PageProblems

pytestmark = pytest.mark.browser


def test_curator_logs_in_and_sees_their_school(
    page: Page, demo: DemoContext, sign_in: Callable[[Page, str, str], Page]
) -> None:
    sign_in(page, "curator", DEMO_PASSWORD)
    # the curator's home: what needs attention, and the programs by stage
    expect(page).to_have_url(re.compile(r"/pairwork/attention/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Требует внимания")
    school = demo.organizations["demo-school-1"]
    page.goto(f"/organizations/{school.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(school.short_name)
    expect(page.locator(".nav-user")).to_contain_text("Смирнова Ольга Викторовна")


def test_a_wrong_password_is_refused_in_russian(
    page: Page, demo: DemoContext, sign_in: Callable[[Page, str, str], Page]
) -> None:
    sign_in(page, "curator", "not-the-password")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("main")).to_contain_text("Неверный")


def test_people_search_narrows_the_list_as_you_type(
    page: Page, demo: DemoContext, login_as: Callable[[Page, User], Page]
) -> None:
    login_as(page, demo.users["curator"])
    page.goto("/people/")
    results = page.locator("#results")
    expect(results.locator("li")).not_to_have_count(1)
    page.get_by_role("searchbox").fill("козлова полина")
    expect(results.get_by_role("link", name="Козлова Полина Андреевна")).to_be_visible()
    expect(results.locator("li")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"[?&]q="))


def test_the_pupils_page_opens_from_the_search(
    page: Page, demo: DemoContext, login_as: Callable[[Page, User], Page]
) -> None:
    login_as(page, demo.users["curator"])
    page.goto("/people/?q=Козлова+Полина")
    page.get_by_role("link", name="Козлова Полина Андреевна").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Козлова Полина Андреевна")
    expect(page.locator("main")).to_contain_text("7Б")


def test_another_schools_curator_gets_not_found(
    page: Page, demo: DemoContext, login_as: Callable[[Page, User], Page]
) -> None:
    pupil = demo.users["mentee"].person
    login_as(page, demo.users["curator-lyceum"])
    response = page.goto(f"/people/{pupil.pk}/")
    assert response is not None
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text(pupil.last_name)


def test_the_menu_folds_on_a_phone(
    mobile_page: Page, demo: DemoContext, login_as: Callable[[Page, User], Page]
) -> None:
    login_as(mobile_page, demo.users["curator"])
    mobile_page.goto("/people/")
    people_link = mobile_page.locator("nav.nav").get_by_role("link", name="Люди")
    expect(people_link).to_be_hidden()
    mobile_page.locator("label.nav-toggle-label").click()
    expect(people_link).to_be_visible()


def test_logging_out_returns_to_the_login_page(
    page: Page, demo: DemoContext, login_as: Callable[[Page, User], Page]
) -> None:
    login_as(page, demo.users["mentor"])
    page.goto("/")
    page.get_by_role("button", name="Выйти").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto("/people/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))


@pytest.mark.allow_page_errors
def test_the_page_fixture_catches_javascript_errors(page: Page, live_server: object) -> None:
    watcher = PageProblems(base_url=str(getattr(live_server, "url", "")))
    watcher.watch(page)
    page.goto("/accounts/login/")
    page.evaluate("setTimeout(() => { throw new Error('boom'); }, 0)")
    page.wait_for_timeout(100)
    assert any("boom" in problem for problem in watcher.found)


@pytest.mark.allow_page_errors
def test_the_page_fixture_catches_missing_static_files(page: Page, live_server: object) -> None:
    watcher = PageProblems(base_url=str(getattr(live_server, "url", "")))
    watcher.watch(page)
    page.goto("/accounts/login/")
    page.evaluate("fetch('/static/css/no-such-file.css')")
    page.wait_for_timeout(300)
    assert any("no-such-file.css" in problem for problem in watcher.found)


def test_two_people_at_once_keep_their_own_sessions(
    page: Page,
    new_page: Callable[..., Page],
    demo: DemoContext,
    login_as: Callable[[Page, User], Page],
    snapshot: Callable[[Page, str], Path],
) -> None:
    login_as(page, demo.users["curator"])
    lyceum = login_as(new_page(mobile=True), demo.users["curator-lyceum"])
    page.goto("/")
    lyceum.goto("/")
    # each starts at their own «Требует внимания», signed in as themselves
    expect(page.locator(".nav-user")).to_contain_text("Смирнова Ольга Викторовна")
    expect(lyceum.locator(".nav-user")).to_contain_text("Алексеева Марина Юрьевна")
    page.goto(f"/organizations/{demo.organizations['demo-school-1'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("СОШ № 1 г. Приозёрска")
    picture = snapshot(lyceum, "lyceum-on-a-phone")
    assert picture.read_bytes().startswith(b"\x89PNG")


def test_the_curators_path_to_a_profile_with_a_screenshot(
    page: Page,
    demo: DemoContext,
    sign_in: Callable[[Page, str, str], Page],
    snapshot: Callable[[Page, str], Path],
) -> None:
    """The foundation's path: log in through the form, the people list, a search, a profile."""
    sign_in(page, "curator", DEMO_PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="Люди").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Люди")
    page.get_by_role("searchbox").fill("Козлова")
    person = page.locator("#results").get_by_role("link", name="Козлова Полина Андреевна")
    expect(person).to_be_visible()
    person.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Козлова Полина Андреевна")
    profile = page.locator("#profile")
    expect(profile).to_contain_text("Интересы")
    expect(profile).to_contain_text("Уровни успеваемости")
    picture = snapshot(page, "people-profile")
    assert picture.exists()
    assert picture.stat().st_size > 10_000
