"""Accessibility and usability (ГОСТ Р 52872-2019 / WCAG 2.1 AA), in real Chromium.

- axe-core on every page of each demo role's menu and on the main detail pages (a person, a
  program, a matching run, a pair, a survey, an event, a report), on a desktop and a phone: no
  serious or critical violation;
- the keyboard alone: the login form, a person's form and logging a meeting are filled and sent
  with Tab, typing, Space and Enter, in a sensible order, with a visible focus ring;
- text at 200 %: the main pages do not scroll sideways (tables scroll inside their own box).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from nastavnik.accounts.models import User
from nastavnik.demo.registry import DemoContext
from nastavnik.events.models import Event
from nastavnik.matching.models import MatchingRun
from nastavnik.mentorships.models import MemberRole, Mentorship, MentorshipStatus
from nastavnik.programs.models import Program
from nastavnik.surveys.models import Survey
from tests.browser.axe import describe, violations
from tests.browser.conftest import DEMO_PASSWORD, DESKTOP

pytestmark = pytest.mark.browser

SCHOOL = "demo-school-1"
# Pages that are not ours to fix (Django's own administration) or not pages (downloads).
SKIPPED_PREFIXES = ("/admin/",)
SLOW_PAGE_MS = 30_000
SKIPPED_SUFFIXES = (".ics", ".xlsx", ".pdf", ".json", ".csv", ".docx")


def _menu_links(page: Page) -> list[str]:
    """The addresses in the main menu (and the user's own links), in their order, once each."""
    hrefs: list[str] = page.eval_on_selector_all(
        "nav.nav a[href]", "links => links.map(link => link.getAttribute('href'))"
    )
    seen: list[str] = []
    for href in hrefs:
        if (
            href.startswith("/")
            and not href.startswith(SKIPPED_PREFIXES)
            and not href.endswith(SKIPPED_SUFFIXES)
            and href not in seen
        ):
            seen.append(href)
    return seen


def _first_link(page: Page, url: str, contains: str) -> str | None:
    page.goto(url)
    links = page.locator(f"main a[href*='{contains}']")
    if links.count() == 0:
        return None
    return links.first.get_attribute("href")


def _pair_of(user: User) -> Mentorship | None:
    """The user's pair: an active one if there is one, else the latest of any status."""
    pairs = Mentorship.objects.filter(members__person=user.person).distinct()
    return (
        pairs.filter(status=MentorshipStatus.ACTIVE).order_by("pk").first()
        or pairs.order_by("-pk").first()
    )


def _detail_pages(demo: DemoContext, username: str) -> list[str]:
    """The main detail pages the role can open (found through the database, as a person would
    find them through the lists)."""
    school = demo.organizations[SCHOOL]
    user = demo.users[username]
    pages: list[str] = []
    if username in {"curator", "head"}:
        program = Program.objects.filter(organization=school).order_by("pk").first()
        run = MatchingRun.objects.filter(organization=school).order_by("pk").first()
        pair = (
            Mentorship.objects.filter(organization=school, status=MentorshipStatus.ACTIVE)
            .order_by("pk")
            .first()
        )
        survey = Survey.objects.filter(organization=school).order_by("pk").first()
        event = Event.objects.filter(organization=school).order_by("pk").first()
        assert program is not None
        assert run is not None
        assert pair is not None
        assert survey is not None
        assert event is not None
        pages += [
            reverse("people:detail", args=[demo.users["mentee"].person.pk]),
            reverse("people:edit", args=[demo.users["mentee"].person.pk]),
            reverse("programs:detail", args=[program.pk]),
            reverse("programs:stages", args=[program.pk]),
            reverse("matching:run", args=[run.pk]),
            reverse("mentorships:program", args=[program.pk]),
            reverse("mentorships:detail", args=[pair.pk]),
            reverse("pairwork:pair", args=[pair.pk]),
            reverse("surveys:detail", args=[survey.pk]),
            reverse("surveys:results", args=[survey.pk]),
            reverse("events:detail", args=[event.pk]),
            reverse("reports:organization", args=[school.pk, program.academic_year.start_year]),
        ]
    elif username in {"mentor", "student-mentor", "mentee"}:
        pair = _pair_of(user)
        # the demo gives the teacher mentor pairs; the pupils of «ученик – ученик» have none yet
        assert pair is not None or username != "mentor", "the mentor has no pair in the demo"
        if pair is not None:
            pages += [
                reverse("pairwork:pair", args=[pair.pk]),
                reverse("pairwork:thread", args=[pair.pk]),
            ]
        if (
            pair is not None
            and pair.members.filter(person=user.person, role=MemberRole.MENTOR).exists()
        ):
            pages.append(reverse("pairwork:meeting_new", args=[pair.pk]))
            mentee = pair.members.filter(role=MemberRole.MENTEE).first()
            if mentee is not None:
                pages.append(reverse("people:detail", args=[mentee.person_id]))
        event = Event.objects.filter(organization=school).order_by("pk").first()
        if event is not None:
            pages.append(reverse("events:detail", args=[event.pk]))
    return pages


def _audit(page: Page, urls: list[str]) -> list[str]:
    """axe-core on each address; the problems found, one line each."""
    problems: list[str] = []
    for url in urls:
        response = page.goto(url)
        assert response is not None, url
        assert response.status < 400, f"{url}: {response.status}"
        found = violations(page)
        if found:
            problems.append(describe(found, url))
    return problems


ROLES = [
    "curator",
    "head",
    "mentor",
    "mentee",
    "student-mentor",
    "municipality",
    "region",
    "admin",
]


@pytest.mark.parametrize(
    ("username", "viewport"),
    [(role, "desktop") for role in ROLES] + [("curator", "phone"), ("mentor", "phone")],
)
def test_no_serious_violations_on_the_roles_pages(
    username: str,
    viewport: str,
    demo: DemoContext,
    new_page: Callable[..., Page],
    sign_in: Callable[[Page, str, str], Page],
) -> None:
    page = new_page(mobile=viewport == "phone")
    # the reports and the matching run are the slowest pages; a busy machine must not fail them
    page.set_default_navigation_timeout(SLOW_PAGE_MS)
    page.goto("/accounts/login/")
    problems = _audit(page, ["/accounts/login/"])
    sign_in(page, username, DEMO_PASSWORD)
    expect(page.locator("nav.nav")).to_be_attached()
    home = page.url
    if viewport == "phone":
        # the folded menu opens from the keyboard: Tab past the skip link and the brand, Space
        menu = page.get_by_role("navigation", name="Главное меню")
        expect(menu).to_be_hidden()
        for _ in range(3):
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "nav-toggle"
        page.keyboard.press("Space")
        expect(menu).to_be_visible()
        found = violations(page)
        assert not found, describe(found, home + " (the menu open)")
    urls = [home, *_menu_links(page)]
    urls += [url for url in _detail_pages(demo, username) if url not in urls]
    problems += _audit(page, urls)
    assert not problems, f"{username} ({viewport}):\n" + "\n".join(problems)
    assert len(urls) >= 3, urls


# --- the keyboard alone ---------------------------------------------------------------------

_FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    name: el.getAttribute("name") || "",
    type: el.getAttribute("type") || "",
    text: (el.textContent || "").trim().slice(0, 60),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
  };
}"""


def _tab(page: Page, key: str = "Tab") -> dict[str, Any]:
    """Press Tab (or another key); what has the focus now, and whether it shows."""
    page.keyboard.press(key)
    focused: dict[str, Any] = page.evaluate(_FOCUSED)
    assert focused["tag"] != "body", f"the focus was lost after {key}"
    assert focused["outline"] or focused["shadow"], f"no visible focus on {focused}"
    return focused


def _label(focused: dict[str, Any]) -> str:
    if focused["tag"] in {"input", "select", "textarea"}:
        return str(focused["name"])
    return f"{focused['tag']}:{focused['text']}"


def _tab_to_form(page: Page) -> dict[str, Any]:
    """The skip link first, Enter on it, then Tab: the first field of the page's content."""
    return _skip_to_content(page, _tab(page))


def _skip_to_content(page: Page, skip: dict[str, Any]) -> dict[str, Any]:
    assert skip["tag"] == "a", skip
    assert skip["text"] == "Перейти к содержанию", skip
    expect(page.get_by_role("link", name="Перейти к содержанию")).to_be_in_viewport()
    page.keyboard.press("Enter")
    return _tab(page)


def _walk_form(
    page: Page, first: dict[str, Any], actions: dict[str, str], limit: int = 60
) -> list[str]:
    """Tab from field to field up to the form's submit button; the names met, in order.

    In a field named in ``actions`` the text is typed over the old one; in a list, a checkbox or a
    radio button the action is a key to press (``ArrowDown``, ``Space``).
    """
    order: list[str] = []
    focused = first
    for _ in range(limit):
        order.append(_label(focused))
        action = actions.get(focused["name"])
        if action is not None:
            if focused["tag"] == "select" or focused["type"] in {"checkbox", "radio"}:
                page.keyboard.press(action)
            else:
                page.keyboard.press("Control+A")
                page.keyboard.type(action)
        if focused["tag"] == "button" and focused["type"] == "submit":
            return order
        focused = _tab(page)
    raise AssertionError(f"no submit button reached by Tab: {order}")


def test_the_login_form_by_keyboard(page: Page, demo: DemoContext) -> None:
    page.goto("/accounts/login/")
    # the login name has the focus as the page opens (autofocus), with its ring
    first: dict[str, Any] = page.evaluate(_FOCUSED)
    assert first["name"] == "username", first
    assert first["outline"] or first["shadow"], first
    # back up to the top of the page (past the brand): the skip link leads to it as well
    _tab(page, "Shift+Tab")
    first = _skip_to_content(page, _tab(page, "Shift+Tab"))
    assert first["name"] == "username", first
    order = _walk_form(page, first, {"username": "curator", "password": DEMO_PASSWORD})
    assert order == ["username", "password", "button:Войти"], order
    page.keyboard.press("Enter")
    expect(page.locator(".nav-user")).to_contain_text("Смирнова Ольга Викторовна")


def test_a_new_person_by_keyboard(
    page: Page, demo: DemoContext, login_as: Callable[[Page, User], Page]
) -> None:
    from nastavnik.people.models import Person

    login_as(page, demo.users["curator"])
    page.goto(reverse("people:create"))
    first = _tab_to_form(page)
    typed = {
        "last_name": "Клавишина",
        "first_name": "Вера",
        "middle_name": "Табовна",
        "category": "ArrowDown",  # the first choice after the empty one
        "position": "учитель информатики",
    }
    order = _walk_form(page, first, typed)
    fields = page.eval_on_selector_all(
        "main form [name]:not([type=hidden])", "els => els.map(el => el.getAttribute('name'))"
    )
    # every field once, in the order of the form, then its button
    assert order[:-1] == list(dict.fromkeys(fields)), order
    assert order[-1] == "button:Сохранить", order
    category = page.locator("select[name=category]").input_value()
    assert category, "ArrowDown chose no category"
    page.keyboard.press("Space")  # on the focused «Сохранить»
    expect(page.get_by_role("heading", level=1)).to_contain_text("Клавишина Вера Табовна")
    person = Person.objects.get(last_name="Клавишина")
    assert (person.first_name, person.position, person.category) == (
        "Вера",
        "учитель информатики",
        category,
    )


def test_logging_a_meeting_by_keyboard(
    mobile_page: Page, demo: DemoContext, login_as: Callable[[Page, User], Page]
) -> None:
    from nastavnik.pairwork.models import Meeting

    page = mobile_page
    mentor = demo.users["mentor"]
    pair = _pair_of(mentor)
    assert pair is not None
    login_as(page, mentor)
    page.goto(reverse("pairwork:meeting_new", args=[pair.pk]))
    first = _tab_to_form(page)
    order = _walk_form(page, first, {"topic": "Разбор открытого урока", "place": "каб. 21"})
    names = [name for name in order if ":" not in name]
    assert names.index("held") < names.index("starts_at") < names.index("topic"), order
    assert names[-1] == "present", order  # who was present: each of them, by Tab
    assert order[-1] == "button:Сохранить", order
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Встреча")
    meeting = Meeting.objects.get(mentorship=pair, topic="Разбор открытого урока")
    assert meeting.place == "каб. 21"


# --- text at 200 % -----------------------------------------------------------------------------

_OVERFLOW = """() => {
  const root = document.documentElement;
  const wide = [...document.querySelectorAll("body *")]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
    .filter(el => !el.closest(".table-wrap"))
    .slice(0, 3)
    .map(el => el.tagName.toLowerCase() + (el.className ? "." + el.className : "")
         + " " + Math.round(el.getBoundingClientRect().right) + "px");
  return {scroll: root.scrollWidth, inner: window.innerWidth, wide};
}"""

LARGE_TEXT = "html { font-size: 200%; }"


def _main_pages(demo: DemoContext) -> list[str]:
    school = demo.organizations[SCHOOL]
    program = Program.objects.filter(organization=school).order_by("pk").first()
    pair = _pair_of(demo.users["mentor"])
    assert program is not None
    assert pair is not None
    return [
        reverse("pairwork:attention"),  # the curator's home
        reverse("people:list"),
        reverse("programs:detail", args=[program.pk]),
        reverse("pairwork:pair", args=[pair.pk]),
        reverse("reports:organization", args=[school.pk, program.academic_year.start_year]),
    ]


@pytest.mark.parametrize(
    ("width", "style"),
    [(1280, LARGE_TEXT), (640, "")],
    ids=["text-200-percent", "zoom-200-percent"],
)
def test_no_horizontal_scrolling_with_large_text(
    width: int,
    style: str,
    demo: DemoContext,
    new_page: Callable[..., Page],
    login_as: Callable[[Page, User], Page],
) -> None:
    page = new_page()
    page.set_viewport_size({"width": width, "height": DESKTOP["height"]})
    login_as(page, demo.users["curator"])
    problems = []
    for url in _main_pages(demo):
        page.goto(url)
        if style:
            page.add_style_tag(content=style)
            size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
            assert size >= 31, f"the text did not grow on {url}: {size}px"
        found = page.evaluate(_OVERFLOW)
        if found["scroll"] > found["inner"]:
            problems.append(f"{url}: {found}")
    assert not problems, "the page scrolls sideways:\n" + "\n".join(problems)
