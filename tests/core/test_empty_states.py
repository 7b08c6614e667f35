"""Every empty list says what to do next (issue 24).

A fresh organization with a curator, and another with a mentor and a mentee, have no data at all.
Every list page a user sees is opened by each role that may see it; the page must contain an
element of class ``empty-state`` with a sentence, and, for the curator where an action exists, a
link (``empty-state-action``) that opens.

The pages are a registry keyed by URL name. ``test_every_page_is_registered`` walks the URL conf:
a new page without keyword arguments, or with only a program or a pair, must be either a list page
here or skipped with its reason, so that a new list cannot appear without an empty state.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from nastavnik.accounts.models import Role, User
from nastavnik.mentorships.models import Mentorship
from nastavnik.organizations.models import Organization
from nastavnik.programs.models import Program
from tests.conftest import login, make_tenant
from tests.factories import (
    AcademicYearFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    ProgramFactory,
    TeacherFactory,
    UserFactory,
)
from tests.pairwork.factories import working_pair

CURATOR, MENTOR, MENTEE = "curator", "mentor", "mentee"
ALL = (CURATOR, MENTOR, MENTEE)


@dataclass(frozen=True)
class Page:
    # Roles that open the page and must see its empty state.
    roles: tuple[str, ...] = ALL
    # Must the curator's empty state carry an action link?
    curator_action: bool = False


# Pages without keyword arguments.
LIST_PAGES: dict[str, Page] = {
    "accounts:tokens": Page(roles=(CURATOR,)),
    "people:list": Page(roles=(CURATOR,), curator_action=True),
    "programs:list": Page(roles=(CURATOR, MENTOR), curator_action=True),
    "consents:list": Page(roles=(CURATOR,), curator_action=True),
    "imports:list": Page(roles=(CURATOR,)),
    "matching:suggestions": Page(roles=(MENTEE,)),
    "matching:requests": Page(roles=(MENTOR,)),
    "mentorships:my": Page(roles=(MENTOR, MENTEE)),
    "surveys:index": Page(roles=(CURATOR, MENTOR, MENTEE), curator_action=True),
    "pairwork:home": Page(roles=(MENTOR, MENTEE)),
    "pairwork:attention": Page(roles=(CURATOR,), curator_action=True),
    "events:calendar": Page(roles=ALL, curator_action=True),
    "events:planning": Page(roles=(CURATOR,), curator_action=True),
    "events:contests": Page(roles=(CURATOR,)),
    "quickmentoring:sessions": Page(roles=(CURATOR,)),
    "quickmentoring:flash": Page(roles=ALL),
    "quickmentoring:flash_mine": Page(roles=(MENTOR,)),
    "ideas:list": Page(roles=(CURATOR, MENTOR), curator_action=True),
}

# Pages of one program (an empty program of the fresh organization, opened by its curator).
PROGRAM_PAGES: dict[str, Page] = {
    "programs:base": Page(roles=(CURATOR,), curator_action=True),
    "programs:roadmap": Page(roles=(CURATOR,)),
    "programs:training": Page(roles=(CURATOR,)),
    "programs:tandems": Page(roles=(CURATOR,)),
    "documents:program": Page(roles=(CURATOR,), curator_action=True),
    "matching:program": Page(roles=(CURATOR,), curator_action=True),
    "mentorships:program": Page(roles=(CURATOR,), curator_action=True),
    "surveys:program": Page(roles=(CURATOR,)),
}

# Pages of one pair (a new active pair with no meeting, plan or message, opened by its mentor).
PAIR_PAGES: dict[str, Page] = {
    "pairwork:pair": Page(roles=(MENTOR, MENTEE)),
    "pairwork:thread": Page(roles=(MENTOR, MENTEE)),
}

SKIPPED: dict[str, str] = {
    # Not lists.
    "core:home": "the home page: its lists are the pages below (programs, pairs)",
    "core:healthz": "a health check for the load balancer",
    "core:two_factor": "a settings form",
    "core:two_factor_verify": "a code form",
    "accounts:login": "a form",
    "accounts:logout": "an action",
    "accounts:password_change": "a form",
    "accounts:password_change_done": "a confirmation",
    "reports:index": "a curator always has their organization's report (computed: never empty)",
    "library:list": "the shipped starter set is read by everyone: never empty",
    "organizations:list": "administrators and coordinators only; never empty for them",
    "people:create": "a form",
    "people:choices": "an htmx fragment of a form's choices",
    "programs:create": "a form",
    "programs:catalogue": "the shipped catalogue of forms and models: never empty",
    "imports:template": "a download",
    "market:search": "a search form: results appear only after a query",
    "market:team": "a form assembling a team: results appear only after a query",
    "pairwork:feed_issue": "an action",
    "pairwork:feed_revoke": "an action",
    "pairwork:reminders": "an action",
    "events:calendar_ics": "a download",
    "events:forms": "the shipped catalogue of event forms: never empty",
    "events:new": "a form",
    "quickmentoring:flash_new": "a form",
    "ideas:new": "a form",
    "library:new": "a form",
    # A program's pages that are not lists, or are never empty.
    "programs:detail": "the program's card; its lists are the pages of the program below",
    "programs:edit": "a form",
    "programs:stages": "the seven shipped stages with their checklists: never empty",
    "programs:stage_advance": "an action",
    "programs:stage_back": "an action",
    "programs:stage_task_add": "an action",
    "programs:base_choices": "an htmx fragment of a form's choices",
    "programs:roadmap_export": "a download",
    "programs:roadmap_calendar": "a download",
    "programs:contours": "the shipped contours of the program: never empty",
    "programs:public": "the public page, shown only when the curator publishes it",
    "mentorships:order": "a form for the order; refuses without pairs",
    "pairwork:thresholds": "a settings form",
    # A pair's pages that are not lists.
    "mentorships:detail": "the pair's card; its lists are on the pair's page",
    "mentorships:status": "a form",
    "pairwork:meeting_new": "a form",
    "pairwork:goal_new": "a form",
    "pairwork:task_new": "a form",
    "pairwork:plan_template": "a form",
    "pairwork:problem": "a form",
    "pairwork:problem_close": "an action",
    "pairwork:progress_new": "a form",
    "pairwork:observation_new": "a form",
}

EMPTY_STATE = re.compile(
    r'class="empty-state"[^>]*>(?:<td[^>]*>)?\s*<p class="empty-state-hint">([^<]+)</p>'
    r'(?:<p><a class="btn secondary empty-state-action" href="([^"]+)">([^<]+)</a></p>)?'
)


def _patterns(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            yield from _patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + str(p.pattern), f"{namespace}:{p.name}" if namespace else p.name


def _candidates() -> set[str]:
    """URL names without keyword arguments, or with only a program or a pair (not the API or
    the admin)."""
    names = set()
    for route, name in _patterns(get_resolver().url_patterns):
        if route.startswith(("admin", "api/")) or ":" not in name:
            continue
        kwargs = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if kwargs in ([], ["program_id"], ["mentorship_id"]):
            names.add(name)
    return names


def test_every_page_is_registered() -> None:
    known = set(LIST_PAGES) | set(PROGRAM_PAGES) | set(PAIR_PAGES) | set(SKIPPED)
    missing = sorted(_candidates() - known)
    assert not missing, (
        f"new pages {missing}: register each in LIST_PAGES / PROGRAM_PAGES / PAIR_PAGES with an "
        "empty state, or in SKIPPED with the reason"
    )
    assert not (set(SKIPPED) & (set(LIST_PAGES) | set(PROGRAM_PAGES) | set(PAIR_PAGES)))
    stale = sorted(known - _candidates())
    assert not stale, f"registered pages that no longer exist: {stale}"


@dataclass
class Fresh:
    organization: Organization
    users: dict[str, User]


def _user(organization: Organization, role: str, username: str) -> User:
    user = UserFactory(username=username, last_name="Пустова")
    MembershipFactory(user=user, role=role, organization=organization)
    return user


@pytest.fixture
def fresh(db: Any) -> Fresh:
    # The curator's school has no person, no program, nothing at all but the curator.
    school = OrganizationFactory(short_name="Новая школа", code="fresh-school")
    AcademicYearFactory(organization=school)
    curator = _user(school, Role.CURATOR, "fresh-curator")
    # The mentor and the mentee are people of another school, without any pair.
    other = OrganizationFactory(short_name="Соседняя школа", code="fresh-other")
    mentor = _user(other, Role.MENTOR, "fresh-mentor")
    mentee = _user(other, Role.MENTEE, "fresh-mentee")
    TeacherFactory(organization=other, user=mentor, last_name="Наставникова")
    PersonFactory(organization=other, user=mentee, last_name="Учеников")
    return Fresh(organization=school, users={CURATOR: curator, MENTOR: mentor, MENTEE: mentee})


@pytest.fixture
def empty_program(fresh: Fresh) -> Program:
    """A new program of the fresh school: no base, no run, no pair, no survey."""
    return ProgramFactory(organization=fresh.organization, title="Пустая программа")


@pytest.fixture
def empty_pair(db: Any) -> Mentorship:
    """A new active pair in a school of its own: no meeting, no goal, no message."""
    return working_pair(make_tenant("pair"))


def _check(client: Client, url: str, role: str, page: Page) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, role, response.status_code)
    html = response.content.decode()
    found = EMPTY_STATE.findall(html)
    assert found, f"{url} as {role}: no empty state with a hint"
    for hint, _href, _label in found:
        assert len(hint.strip()) > 15, (url, role, hint)
    if role == CURATOR and page.curator_action:
        actions = [(href, label) for _hint, href, label in found if href]
        assert actions, f"{url} as the curator: the empty state has no action link"
        for href, _label in actions:
            target = client.get(href.replace("&amp;", "&"))
            assert target.status_code == 200, (url, href, target.status_code)


@pytest.mark.parametrize("name", sorted(LIST_PAGES))
def test_an_empty_list_says_what_to_do(fresh: Fresh, name: str) -> None:
    page = LIST_PAGES[name]
    for role in page.roles:
        _check(login(fresh.users[role]), reverse(name), role, page)


@pytest.mark.parametrize("name", sorted(PROGRAM_PAGES))
def test_an_empty_program_page_says_what_to_do(
    fresh: Fresh, empty_program: Program, name: str
) -> None:
    page = PROGRAM_PAGES[name]
    url = reverse(name, kwargs={"program_id": empty_program.pk})
    _check(login(fresh.users[CURATOR]), url, CURATOR, page)


@pytest.mark.parametrize("name", sorted(PAIR_PAGES))
def test_an_empty_pair_page_says_what_to_do(empty_pair: Mentorship, name: str) -> None:
    page = PAIR_PAGES[name]
    url = reverse(name, kwargs={"mentorship_id": empty_pair.pk})
    members = {m.role: m.person.user for m in empty_pair.members.select_related("person__user")}
    for role in page.roles:
        user = members[role]
        assert user is not None
        _check(login(user), url, role, page)


def _empty_states(client: Client, name: str) -> list[tuple[str, str, str]]:
    return EMPTY_STATE.findall(client.get(reverse(name)).content.decode())


def test_the_empty_states_are_role_aware(fresh: Fresh) -> None:
    mentor, mentee = login(fresh.users[MENTOR]), login(fresh.users[MENTEE])
    curator = login(fresh.users[CURATOR])
    for name in ("mentorships:my", "pairwork:home"):
        [(hint, href, _label)] = _empty_states(mentor, name)
        assert hint.startswith("Пар пока нет: куратор закрепит наставляемых приказом"), hint
        assert not href
        [(hint, href, _label)] = _empty_states(mentee, name)
        assert "выберите его сами" in hint, hint
        assert href == reverse("matching:suggestions")
    # A mentor cannot create a program: the hint says who does, and offers no link.
    [(hint, href, _label)] = _empty_states(mentor, "programs:list")
    assert "куратор" in hint
    assert not href
    [(hint, href, label)] = _empty_states(curator, "programs:list")
    assert href == reverse("programs:create")
    assert label == "Создать первую программу"
