"""Every empty list says what to do next (issue 24).

A fresh organization with a curator, and another with a mentor and a mentee, have no data at all.
Every list page a user sees is opened by each role that may see it; the page must contain an
element of class ``empty-state`` with a sentence, and, for the curator where an action exists, a
link (``empty-state-action``) that opens.

The pages are a registry keyed by URL name. ``test_every_page_is_registered`` walks the URL conf:
every page (but the API and the admin) must be either checked here or skipped with its reason, so
that a new list cannot appear without an empty state. A page with other keyword arguments (an
event, a session, an idea, a survey...) is registered in ``OBJECT_PAGES`` with a maker that builds
the object with nothing under it in a tenant of its own (``tests/conftest.make_tenant``; reuse the
makers of ``tests/<app>/isolation.py`` where they build such an object) and returns the URL's
keyword arguments; the page must then show an empty state for each of its small lists, to each
role that opens it. ``INNER_PAGES`` does the same for a page checked above whose rows carry a list
of their own (a flash slot's bookings, a goal's tasks).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from nastavnik.accounts.models import Role, User
from nastavnik.matching.engine.explain import REASON_MENTORS_FULL
from nastavnik.matching.models import MatchingRun, RunStatus, Unmatched
from nastavnik.mentorships.models import Mentorship
from nastavnik.organizations.models import Organization, academic_start_year
from nastavnik.pairwork.models import MeetingStatus
from nastavnik.programs.models import Enrolment, Program, TrainingSession
from nastavnik.surveys import services as survey_services
from nastavnik.surveys.models import Survey
from tests.conftest import Tenant, login, make_tenant
from tests.events.factories import festival, nomination
from tests.factories import (
    AcademicYearFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    ProgramFactory,
    TeacherFactory,
    UserFactory,
)
from tests.isolation import OBJECT_MAKERS
from tests.pairwork.factories import goal, meeting, working_pair
from tests.quickmentoring.factories import session, slot

CURATOR, MENTOR, MENTEE = "curator", "mentor", "mentee"
# The head of the organization: staff that reads a program's pages but does not change them.
HEAD = "head"
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
    "programs:training": Page(roles=(CURATOR,), curator_action=True),
    # The program's partners (the form below); each area of the contours without tasks.
    "programs:contours": Page(roles=(CURATOR,), curator_action=True),
    "programs:tandems": Page(roles=(CURATOR,)),
    "documents:program": Page(roles=(CURATOR,), curator_action=True),
    "matching:program": Page(roles=(CURATOR,), curator_action=True),
    "mentorships:program": Page(roles=(CURATOR,), curator_action=True),
    "mentorships:order": Page(roles=(CURATOR,), curator_action=True),
    "surveys:program": Page(roles=(CURATOR,)),
}

# Pages of one pair (a new active pair with no meeting, plan or message, opened by its mentor).
PAIR_PAGES: dict[str, Page] = {
    "pairwork:pair": Page(roles=(MENTOR, MENTEE)),
    "pairwork:thread": Page(roles=(MENTOR, MENTEE)),
}


# The URL's keyword arguments for an object with nothing under it, in the given tenant.
Make = Callable[[Tenant], dict[str, object]]


@dataclass(frozen=True)
class ObjectPage:
    """A page of one object (see the module's docstring)."""

    make: Make
    roles: tuple[str, ...] = (CURATOR,)
    curator_action: bool = False
    # How many empty states (the page's small lists) each role sees, when not one.
    lists: tuple[tuple[str, int], ...] = ()

    def count(self, role: str) -> int:
        return dict(self.lists).get(role, 1)


def _isolation(kwarg: str) -> Make:
    """The isolation check's maker of ``kwarg`` (``tests/<app>/isolation.py``), whose object has
    nothing under it."""
    return lambda tenant: {kwarg: OBJECT_MAKERS[kwarg].make(tenant)}


def _festival(tenant: Tenant) -> dict[str, object]:
    """A festival without nominations, jury or entries."""
    return {"event_id": festival(tenant.organization).pk}


def _festival_nominated(tenant: Tenant) -> dict[str, object]:
    """A festival with a nomination that no pair has entered yet."""
    ev = festival(tenant.organization)
    nomination(ev)
    return {"event_id": ev.pk}


def _speed_session(tenant: Tenant) -> dict[str, object]:
    """A speed session nobody has been added to."""
    return {"session_id": session(tenant).pk}


def _draft_survey(tenant: Tenant) -> dict[str, object]:
    """A draft survey of a new program, without questions."""
    program = ProgramFactory.create(organization=tenant.organization)
    survey = survey_services.survey_create(
        actor=tenant.curator,
        program=program,
        title="Пустая анкета",
        kind="other",
        moment="any",
        audience="outside",
    )
    return {"survey_id": survey.pk}


def _open_survey(tenant: Tenant) -> dict[str, object]:
    """An open survey nobody has answered yet."""
    values = _isolation("survey_id")(tenant)
    survey = Survey.objects.get(pk=values["survey_id"])
    survey_services.survey_open(actor=tenant.curator, survey=survey)
    return values


def _meeting(status: str, days: int) -> Make:
    """A meeting of the tenant's mentor and mentee, ``days`` from now, with no reflection."""

    def make(tenant: Tenant) -> dict[str, object]:
        pair = working_pair(tenant)
        starts_at = timezone.now() + dt.timedelta(days=days)
        return {"meeting_id": meeting(pair, status=status, starts_at=starts_at).pk}

    return make


def _empty_run(kind: str, mentors: int) -> Make:
    """A finished run of a new program that proposed nothing: the base had ``mentors`` mentors,
    and its one mentee was left without a mentor (every mentor's places taken)."""

    def make(tenant: Tenant) -> dict[str, object]:
        program = ProgramFactory.create(organization=tenant.organization)
        run = MatchingRun.objects.create(
            organization=tenant.organization,
            program=program,
            kind=kind,
            status=RunStatus.DONE,
            n_mentees=1,
            n_mentors=mentors,
            unmatched_count=1,
            unmatched_by_reason={REASON_MENTORS_FULL: 1},
        )
        mentee = Enrolment.objects.create(
            organization=tenant.organization,
            program=program,
            person=tenant.mentee_person,
            role="mentee",
        )
        Unmatched.objects.create(
            organization=tenant.organization, run=run, mentee=mentee, reason=REASON_MENTORS_FULL
        )
        return {"run_id": run.pk}

    return make


def _report(tenant: Tenant) -> dict[str, object]:
    """This year's report of an organization without programs, targets or submissions."""
    start_year = academic_start_year(timezone.localdate())
    return {"organization_id": tenant.organization.pk, "start_year": start_year}


def _training_session_with_a_mentor(tenant: Tenant) -> dict[str, object]:
    """A training session of a program whose base has a mentor, nobody marked as attended."""
    values = _isolation("training_session_id")(tenant)
    session = TrainingSession.objects.get(pk=values["training_session_id"])
    Enrolment.objects.create(
        organization=tenant.organization,
        program=session.program,
        person=tenant.mentor_person,
        role="mentor",
    )
    return values


# Pages of one object: the maker builds it with nothing under it.
OBJECT_PAGES: dict[str, ObjectPage | tuple[ObjectPage, ...]] = {
    # Materials for everyone; participants and feedback for the staff.
    "events:detail": ObjectPage(
        _isolation("event_id"), roles=ALL, curator_action=True, lists=((CURATOR, 3),)
    ),
    "events:festival": (
        # No nomination: the results say to add one; the jury is empty.
        ObjectPage(_festival, curator_action=True, lists=((CURATOR, 2),)),
        # A nomination without entries: its results and its entries; the jury.
        ObjectPage(_festival_nominated, curator_action=True, lists=((CURATOR, 3),)),
    ),
    "quickmentoring:session": (
        # Nobody added yet.
        ObjectPage(_speed_session, curator_action=True),
        # The rotation generated (the isolation maker's session), nobody's wishes yet.
        ObjectPage(_isolation("session_id"), curator_action=True),
    ),
    "ideas:detail": ObjectPage(_isolation("idea_id"), roles=(CURATOR, MENTOR), curator_action=True),
    "surveys:detail": ObjectPage(_draft_survey, curator_action=True),
    "surveys:results": ObjectPage(_open_survey, curator_action=True),
    # A person without a consent: its curator, and the person themself.
    "consents:person": ObjectPage(
        lambda tenant: {"person_id": tenant.mentee_person.pk},
        roles=(CURATOR, MENTEE),
        curator_action=True,
    ),
    # The isolation maker's tandem: two members, no note, no tool.
    "programs:tandem": ObjectPage(
        _isolation("tandem_id"), curator_action=True, lists=((CURATOR, 2),)
    ),
    # A run that proposed nothing says why and sends the curator to the bases.
    "matching:run": (
        ObjectPage(_empty_run("pairs", mentors=0), curator_action=True),
        ObjectPage(_empty_run("pairs", mentors=2), curator_action=True),
        ObjectPage(_empty_run("groups", mentors=0), curator_action=True),
    ),
    # The pairs by variant, this year's and next year's targets, the submitted versions.
    "reports:organization": ObjectPage(_report, curator_action=True, lists=((CURATOR, 4),)),
    "programs:training_session": (
        # No mentor in the base: the curator is sent to the bases.
        ObjectPage(_isolation("training_session_id"), roles=(CURATOR, HEAD), curator_action=True),
        # A mentor in the base, nobody marked: the curator is told to tick who came.
        ObjectPage(_training_session_with_a_mentor, roles=(CURATOR, HEAD)),
    ),
    # A pupil in no base and without a relative (the profile, made with the person, is shown).
    "people:detail": ObjectPage(
        lambda tenant: {"person_id": tenant.student.pk}, lists=((CURATOR, 2),)
    ),
    "pairwork:meeting": (
        # Held: the mentee is asked to write it (the form below), the others wait for it.
        ObjectPage(_meeting(MeetingStatus.HELD, -1), roles=ALL),
        # Planned: everyone is told it comes after the meeting.
        ObjectPage(_meeting(MeetingStatus.PLANNED, 2), roles=ALL),
    ),
}


def _flash_slot(tenant: Tenant) -> dict[str, object]:
    """A slot of the tenant's mentor that nobody has booked."""
    slot(tenant, expert=tenant.mentor_person)
    return {}


def _goal_without_tasks(tenant: Tenant) -> dict[str, object]:
    """A pair of the tenant's mentor and mentee whose plan has one goal and no task."""
    pair = working_pair(tenant)
    goal(pair)
    return {"mentorship_id": pair.pk}


# Pages already checked above (LIST_PAGES, PROGRAM_PAGES, PAIR_PAGES) whose rows carry a list of
# their own, each row's list empty; the maker returns the URL's keyword arguments.
INNER_PAGES: dict[str, tuple[ObjectPage, ...]] = {
    "quickmentoring:flash_mine": (ObjectPage(_flash_slot, roles=(MENTOR,)),),
    # A goal's tasks, with the pair's other empty lists: meetings, progress records, and the
    # observations for the mentor and the curator.
    "pairwork:pair": (
        ObjectPage(_goal_without_tasks, roles=ALL, lists=((CURATOR, 4), (MENTOR, 4), (MENTEE, 3))),
    ),
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
    "programs:public": "the public page, shown only when the curator publishes it",
    "pairwork:thresholds": "a settings form",
    # A pair's pages that are not lists.
    "mentorships:detail": "the pair's card; its lists are on the pair's page",
    "mentorships:status": "a form",
    "mentorships:complete": "a confirmation of the pairs chosen on the program's pairs page",
    "pairwork:meeting_new": "a form",
    "pairwork:goal_new": "a form",
    "pairwork:task_new": "a form",
    "pairwork:plan_template": "a form",
    "pairwork:problem": "a form",
    "pairwork:problem_close": "an action",
    "pairwork:progress_new": "a form",
    "pairwork:observation_new": "a form",
    # Pages of one object that are not lists, are never empty, or whose lists are not yet
    # converted (the reason says which).
    "accounts:token_revoke": "an action",
    "organizations:detail": "the organization's card for administrators: never empty for them",
    "people:edit": "a form",
    "people:profile_edit": "a form",
    "people:login_grant": "an action",
    "people:relative_add": "a form",
    "people:relative_remove": "an action",
    "programs:stage_task_toggle": "an action",
    "programs:enrolment_edit": "a form",
    "programs:enrolment_trained": "an action",
    "programs:roadmap_item": "a form",
    "programs:contour_task": "a form",
    "programs:partner": "a form",
    "programs:public_index": "public: shows only the programs the curator publishes",
    "consents:form_pdf": "a download",
    "consents:person_data": "a download",
    "consents:withdraw": "an action",
    "imports:bases_export": "a download",
    "imports:detail": "an upload always has its rows or its errors",
    "imports:program": "an action: the program chosen for the upload, then checked again",
    "imports:status": "an htmx fragment of an upload's progress",
    "imports:options": "a form",
    "imports:commit": "an action",
    "imports:cancel": "an action",
    "imports:rerun": "an action",
    "imports:skipped": "a download",
    "documents:generate": "a form",
    "documents:templates": "the shipped kinds of documents: never empty",
    "documents:template_edit": "a form",
    "documents:job": "one background job's progress: never a list",
    "documents:job_status": "the htmx partial of a job's progress",
    "documents:job_download": "a download",
    "matching:run_progress": "an htmx fragment of a run's progress",
    "matching:rerun": "an action",
    "matching:publish": "an action",
    "matching:accept_all": "an action",
    "matching:swap": "an action",
    "matching:compare": "a proposal's comparison: never empty",
    "matching:decide": "an action",
    "matching:never": "an action",
    "matching:group_remove": "an action",
    "matching:group_decide": "an action",
    "matching:group_move": "an action",
    "matching:exclusion_remove": "an action",
    "matching:request_accept": "an action",
    "matching:request_decline": "an action",
    "matching:request_cancel": "an action",
    "surveys:preview": "the survey as its respondent sees it: a form",
    "surveys:export": "a download",
    "surveys:respond": "a form",
    "surveys:question_move": "an action",
    "surveys:question_delete": "an action",
    "surveys:answer": "a form (by a one-time link)",
    "pairwork:feed": "a download",
    "pairwork:attachment": "a download",
    "pairwork:task_done": "an action",
    "pairwork:peer_work": "a form",
    "pairwork:peer_review": "a form",
    "pairwork:meeting_held": "a form",
    "pairwork:meeting_ics": "a download",
    "pairwork:meeting_cancel": "an action",
    "reports:xlsx": "a download",
    "reports:pdf": "a download",
    "reports:json": "a download",
    "reports:submit": "an action",
    "reports:targets": "a form",
    "reports:year_start": "a form",
    "reports:year_start_job": "one background job's progress: never a list",
    "reports:year_start_status": "the htmx partial of a job's progress",
    "reports:year_start_cancel": "an action",
    "reports:file_job": "one background job's progress: never a list",
    "reports:file_job_status": "the htmx partial of a job's progress",
    "reports:file_download": "a download",
    "reports:decide": "an action",
    "reports:territory": "a computed roll-up: never empty",
    "reports:territory_xlsx": "a download",
    "events:edit": "a form",
    "events:ics": "a download",
    "events:register": "an action",
    "events:unregister": "an action",
    "events:cancel": "an action",
    "events:attendance": "an action",
    "events:material_add": "an action",
    "events:feedback": "a form",
    "events:nomination_add": "an action",
    "events:jury_add": "an action",
    "events:entry_add": "an action",
    "events:score": "an action",
    "events:entry_delete": "an action (with its confirmation)",
    "events:material": "a download",
    "events:material_delete": "an action (with its confirmation)",
    "quickmentoring:session_print": "the printable schedule, linked only once generated",
    "quickmentoring:session_pdf": "a download",
    "quickmentoring:participant_add": "an action",
    "quickmentoring:rotation": "an action",
    "quickmentoring:wishes": "an action",
    "quickmentoring:proposals": "an action",
    "quickmentoring:flash_book": "a form",
    "quickmentoring:flash_slot_cancel": "an action",
    "quickmentoring:flash_held": "an action",
    "quickmentoring:flash_booking_cancel": "an action",
    "quickmentoring:flash_feedback": "a form",
    "ideas:vote": "an action",
    "ideas:comment": "an action",
    "ideas:adopt": "an action",
    "library:detail": "a resource's card: not a list",
    "library:file": "a download",
    "library:edit": "a form",
    "library:delete": "an action (with its confirmation)",
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


def _routes() -> dict[str, list[str]]:
    """Every URL name (not the API's or the admin's) with its keyword arguments."""
    names = {}
    for route, name in _patterns(get_resolver().url_patterns):
        if route.startswith(("admin", "api/")) or ":" not in name:
            continue
        names[name] = re.findall(r"<(?:\w+:)?(\w+)>", route)
    return names


def test_every_page_is_registered() -> None:
    checked = set(LIST_PAGES) | set(PROGRAM_PAGES) | set(PAIR_PAGES) | set(OBJECT_PAGES)
    known = checked | set(SKIPPED)
    routes = _routes()
    missing = sorted(set(routes) - known)
    assert not missing, (
        f"new pages {missing}: register each in LIST_PAGES / PROGRAM_PAGES / PAIR_PAGES / "
        "OBJECT_PAGES with an empty state, or in SKIPPED with the reason"
    )
    assert not (set(SKIPPED) & checked)
    stale = sorted((known | set(INNER_PAGES)) - set(routes))
    assert not stale, f"registered pages that no longer exist: {stale}"
    # Each registry holds the pages of its arguments.
    wrong = [n for n in LIST_PAGES if routes[n]]
    wrong += [n for n in PROGRAM_PAGES if routes[n] != ["program_id"]]
    wrong += [n for n in PAIR_PAGES if routes[n] != ["mentorship_id"]]
    outer = set(LIST_PAGES) | set(PROGRAM_PAGES) | set(PAIR_PAGES)
    wrong += [n for n in INNER_PAGES if n not in outer]
    assert not wrong, f"pages in the wrong registry: {wrong}"


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


def _check(
    client: Client, url: str, role: str, page: Page | ObjectPage, lists: int | None = None
) -> list[tuple[str, str, str]]:
    response = client.get(url)
    assert response.status_code == 200, (url, role, response.status_code)
    html = response.content.decode()
    found = EMPTY_STATE.findall(html)
    assert found, f"{url} as {role}: no empty state with a hint"
    count = len(found)
    assert lists is None or count == lists, f"{url} as {role}: {count} empty states, not {lists}"
    assert 'class="muted">—<' not in html, f"{url} as {role}: a bare dash for an empty list"
    for hint, _href, _label in found:
        assert len(hint.strip()) > 15, (url, role, hint)
    if role == CURATOR and page.curator_action:
        actions = [(href, label) for _hint, href, label in found if href]
        assert actions, f"{url} as the curator: the empty state has no action link"
        for href, _label in actions:
            if href.startswith("#"):
                # The form below, on the same page.
                assert f'id="{href[1:]}"' in html, (url, href)
                continue
            target = client.get(href.replace("&amp;", "&"))
            assert target.status_code == 200, (url, href, target.status_code)
    return found


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


def _cases(registry: dict[str, Any]) -> list[tuple[str, int]]:
    return [
        (name, i)
        for name, cases in sorted(registry.items())
        for i in range(len(cases) if isinstance(cases, tuple) else 1)
    ]


def _case(registry: dict[str, Any], name: str, i: int) -> ObjectPage:
    cases = registry[name]
    return cases[i] if isinstance(cases, tuple) else cases


def _open_as_each_role(tenant: Tenant, url: str, page: ObjectPage) -> dict[str, list[Any]]:
    users = {
        CURATOR: tenant.curator,
        HEAD: tenant.head,
        MENTOR: tenant.mentor,
        MENTEE: tenant.mentee,
    }
    return {
        role: _check(login(users[role]), url, role, page, page.count(role)) for role in page.roles
    }


@pytest.mark.parametrize(("name", "case"), _cases(OBJECT_PAGES))
def test_an_empty_object_page_says_what_to_do(db: Any, name: str, case: int) -> None:
    page = _case(OBJECT_PAGES, name, case)
    tenant = make_tenant("empty")
    _open_as_each_role(tenant, reverse(name, kwargs=page.make(tenant)), page)


@pytest.mark.parametrize(("name", "case"), _cases(INNER_PAGES))
def test_an_empty_inner_list_says_what_to_do(db: Any, name: str, case: int) -> None:
    page = _case(INNER_PAGES, name, case)
    tenant = make_tenant("empty")
    _open_as_each_role(tenant, reverse(name, kwargs=page.make(tenant)), page)


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


def test_an_event_s_empty_lists_are_role_aware(db: Any) -> None:
    """The curator is told to add the materials with the form below; a participant, when they
    will appear."""
    tenant = make_tenant("empty")
    page = _case(OBJECT_PAGES, "events:detail", 0)
    seen = _open_as_each_role(tenant, reverse("events:detail", kwargs=page.make(tenant)), page)
    [materials, registered, feedback] = seen[CURATOR]
    assert materials[0].startswith("Материалов пока нет. Добавьте презентацию"), materials
    assert materials[1:] == ("#material-add", "Добавить материал")
    assert registered[0].startswith("Пока никто не записался")
    assert not registered[1]
    assert feedback[0].startswith("Отзывов пока нет")
    assert not feedback[1]
    for role in (MENTOR, MENTEE):
        [(hint, href, _label)] = seen[role]
        assert hint == "Материалов пока нет: они появятся здесь после мероприятия.", hint
        assert not href


def test_an_idea_s_empty_comments_invite_a_colleague(db: Any) -> None:
    tenant = make_tenant("empty")
    page = _case(OBJECT_PAGES, "ideas:detail", 0)
    seen = _open_as_each_role(tenant, reverse("ideas:detail", kwargs=page.make(tenant)), page)
    for role in page.roles:
        [(hint, href, _label)] = seen[role]
        assert "Задайте автору вопрос" in hint, (role, hint)
        assert href == "#comment-add"


def test_a_meeting_s_empty_reflection_is_role_aware(db: Any) -> None:
    """The mentee of a held meeting is asked to write it (the form below); the mentor is told
    that the mentee has not written it yet."""
    tenant = make_tenant("empty")
    page = _case(OBJECT_PAGES, "pairwork:meeting", 0)
    seen = _open_as_each_role(tenant, reverse("pairwork:meeting", kwargs=page.make(tenant)), page)
    [(hint, href, label)] = seen[MENTEE]
    assert hint == (
        "Рефлексии пока нет. Запишите, что получилось и что нет, — это видит ваш наставник."
    ), hint
    assert (href, label) == ("#reflection-form", "Написать рефлексию")
    for role in (MENTOR, CURATOR):
        [(hint, href, _label)] = seen[role]
        assert hint.startswith("Наставляемый ещё не написал рефлексию"), hint
        assert not href


def test_a_run_without_pairs_says_why(db: Any) -> None:
    tenant = make_tenant("empty")
    seen = []
    for page in _case(OBJECT_PAGES, "matching:run", 0), _case(OBJECT_PAGES, "matching:run", 1):
        url = reverse("matching:run", kwargs=page.make(tenant))
        [(hint, _href, label)] = _open_as_each_role(tenant, url, page)[CURATOR]
        assert label == "Открыть базы"
        seen.append(hint)
    assert seen[0].startswith(
        "Пары не предложены: в базе не было ни одного утверждённого наставника"
    )
    assert seen[1].startswith("Пары не предложены: ни одному наставляемому не нашёлся наставник")


def test_a_training_session_without_attendance_asks_the_curator_to_mark_it(db: Any) -> None:
    tenant = make_tenant("empty")
    page = _case(OBJECT_PAGES, "programs:training_session", 1)
    url = reverse("programs:training_session", kwargs=page.make(tenant))
    seen = _open_as_each_role(tenant, url, page)
    [(hint, href, _label)] = seen[CURATOR]
    assert hint.startswith("Присутствие ещё не отмечено. Отметьте пришедших наставников"), hint
    assert not href
    [(hint, href, _label)] = seen[HEAD]
    assert hint.startswith("Присутствие ещё не отмечено: его отмечает куратор"), hint
    assert not href
