"""Steps 3–6 of the year-long journey (issue 24): the year of a program after its pairs are fixed.

Each step takes the ``Journey`` and the pages it needs, and reads only ``j.state``:
``program_id``, ``organization_id``, ``mentorship_id`` (an active pair of the program),
``mentor_user_id``, ``mentee_person_id`` and, if the mentee has a login, ``mentee_user_id``.
Optional: ``curator_username`` (default ``curator-lyceum``), ``coordinator_username``
(``municipality``) and ``password`` (the demo's). The steps sign people in through the login
form when their page has no session yet, and keep the pages they open in ``j.state["pages"]``.

3. The mentor, on a phone, finds the new mentee at home, fills the development plan from the
   template, logs two meetings and records progress; the curator opens the start survey from the
   shipped questionnaire; the mentee answers it and writes a reflection, on a phone too; a mentee
   without a login answers by the one-time link the curator hands out.
4. The mentee's level falls; the curator's «Требует внимания» says so, with the reason.
5. A speed-mentoring event: the session with the program's bases, the rotation, the wishes; the
   mutual wish of a mentor and a mentee without a pair becomes a proposed pair of the program.
6. The end of the year: the satisfaction survey again, the program moves to its last stage, the
   pair completes, the monitoring report is submitted without a figure typed; the municipal
   coordinator sees the submission in the roll-up and cannot open a person of the lyceum.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from nastavnik.accounts.models import User
from nastavnik.mentorships.models import MemberRole, Mentorship, MentorshipMember, MentorshipStatus
from nastavnik.mentorships.selectors import matched_mentee_ids, mentor_load
from nastavnik.organizations.models import Organization
from nastavnik.pairwork.models import Goal, Meeting, MeetingStatus, ProgressRecord, Reflection
from nastavnik.people.models import Person
from nastavnik.programs.models import Enrolment, EnrolmentRole, EnrolmentStatus, Program, Stage
from nastavnik.quickmentoring.models import SpeedSession
from nastavnik.quickmentoring.services import rounds_limit
from nastavnik.reports.models import ReportSubmission
from nastavnik.surveys.models import Invitation, Survey
from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.journey.harness import Journey
from tests.browser.journey.steps_start import grant_login

NewPage = Callable[..., Page]

START_SURVEY = "Анкета удовлетворённости наставляемого (начало программы)"
END_SURVEY = "Анкета удовлетворённости наставляемого (завершение программы)"
SUBJECT = "Математика"


# --- who is signed in where ----------------------------------------------------------------


def _signed_in(page: Page) -> bool:
    return any(cookie["name"] == "sessionid" for cookie in page.context.cookies())


def _sign_in(j: Journey, page: Page, username: str, who: str = "") -> None:
    """Through the login form, counted: two typed fields and a click."""
    password = j.state.get(f"{who}_password") or j.state.get("password", DEMO_PASSWORD)
    j.goto(page, "/accounts/login/")
    j.fill(page.locator("input[name=username]"), username)
    j.fill(page.locator("input[name=password]"), password)
    j.click(page.locator("form button[type=submit]"))
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def _pages(j: Journey) -> dict[str, Page]:
    pages: dict[str, Page] = j.state.setdefault("pages", {})
    return pages


def _person_page(j: Journey, role: str, new_page: NewPage, username: str, *, mobile: bool) -> Page:
    """The page of a person of the journey, opened and signed in once."""
    pages = _pages(j)
    if role not in pages:
        pages[role] = new_page(mobile=mobile)
    page = pages[role]
    if not _signed_in(page):
        _sign_in(j, page, username, role)
    return page


def _curator(j: Journey, page: Page) -> Page:
    if not _signed_in(page):
        _sign_in(j, page, j.state.get("curator_username", "curator-lyceum"), "curator")
    return page


def _mentor(j: Journey, new_page: NewPage) -> Page:
    username = User.objects.get(pk=j.state["mentor_user_id"]).username
    return _person_page(j, "mentor", new_page, username, mobile=True)


def _mentee(j: Journey, new_page: NewPage) -> Page | None:
    if not j.state.get("mentee_user_id"):
        return None
    username = User.objects.get(pk=j.state["mentee_user_id"]).username
    return _person_page(j, "mentee", new_page, username, mobile=True)


def _fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def _message(page: Page, text: str) -> None:
    expect(page.locator(".messages")).to_contain_text(text)


# --- the pieces the steps share ------------------------------------------------------------


def _open_survey_from_template(j: Journey, curator: Page, title: str) -> Survey:
    """The curator creates the survey from a shipped questionnaire and opens it."""
    j.goto(curator, f"/surveys/program/{j.state['program_id']}/")
    expect(curator.get_by_role("heading", level=1)).to_have_text("Анкеты программы")
    j.choose(curator.locator("select[name='t-template']"), title)
    j.click(curator.get_by_role("button", name="Создать").first)
    expect(curator.get_by_role("heading", level=1)).to_have_text(title)
    j.choose(curator.get_by_label("Да, открыть анкету"))
    j.click(curator.get_by_role("button", name="Открыть", exact=True))
    _message(curator, "Анкета открыта")
    survey = Survey.objects.get(pk=int(curator.url.rstrip("/").rsplit("/", 1)[-1]))
    assert survey.status == "open"
    # Those without a login get one-time links, shown now, once: the curator hands them out.
    rows = curator.locator("section", has_text="Одноразовые ссылки").locator("tr")
    shown: dict[str, str] = {}
    for index in range(rows.count()):
        name, link = rows.nth(index).locator("td").all_inner_texts()
        shown[name] = link
    people = {p.full_name: p.pk for p in Person.objects.filter(pk__in=_mentee_ids(j))}
    j.state["survey_links"] = {people[name]: link for name, link in shown.items()}
    assert Invitation.objects.filter(survey=survey).count() >= len(shown)
    return survey


def _answer_survey(j: Journey, page: Page, title: str) -> None:
    """A respondent answers the satisfaction questionnaire on the page they have open."""
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    _fits_the_phone(page)
    scales = page.locator("fieldset").filter(has=page.locator("div.scale"))
    for index in range(scales.count()):
        j.choose(scales.nth(index).get_by_label("9", exact=True))
    yes_no = page.locator("fieldset", has_text="Хотели бы вы сами стать наставником")
    j.choose(yes_no.get_by_label("да", exact=True))
    j.click(page.get_by_role("button", name="Отправить ответы"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Спасибо! Ваши ответы сохранены.")


def _answer_as_mentee(j: Journey, new_page: NewPage, survey: Survey, title: str) -> None:
    """The mentee answers: from «Анкеты» when they have a login, else by a one-time link."""
    mentee = _mentee(j, new_page)
    person_id = j.state["mentee_person_id"]
    if mentee is not None:
        j.goto(mentee, "/surveys/")
        j.click(mentee.get_by_role("link", name=title))
        _answer_survey(j, mentee, title)
        j.shot(mentee, f"mentee-answered-{survey.moment}")
    else:
        # No login: the link the curator handed out, on the mentee's phone; it works once.
        link = j.state["survey_links"][person_id]
        page = new_page(mobile=True)
        j.goto(page, link)
        _answer_survey(j, page, title)
        j.shot(page, f"mentee-answered-by-one-time-link-{survey.moment}")
        j.goto(page, link)
        expect(page.locator("main")).to_contain_text("ссылка работает один раз")
    assert Invitation.objects.get(survey=survey, person_id=person_id).used


# --- step 3 --------------------------------------------------------------------------------


def step_3(j: Journey, *, curator: Page, new_page: NewPage, **_: Any) -> None:
    """The mentor on a phone; the start survey; the mentee's reflection."""
    with j.step(3, "Наставник на телефоне, анкета и рефлексия"):
        pair_id = j.state["mentorship_id"]
        mentee_person = Person.objects.get(pk=j.state["mentee_person_id"])

        # The mentor signs in on the phone and starts at «Мои пары» with the new mentee.
        signed_in_before = "mentor" in _pages(j) and _signed_in(_pages(j)["mentor"])
        mentor = _mentor(j, new_page)
        if signed_in_before:
            j.goto(mentor, "/pairwork/")
        expect(mentor).to_have_url(re.compile(r"/pairwork/$"))
        expect(mentor.get_by_role("heading", level=1)).to_have_text("Мои пары")
        card = mentor.locator(".pair-card").filter(has_text=mentee_person.full_name)
        expect(card).to_have_count(1)
        _fits_the_phone(mentor)
        j.shot(mentor, "mentor-home")
        j.click(card.get_by_role("link").first)
        expect(mentor).to_have_url(re.compile(rf"/pairwork/pair/{pair_id}/$"))

        # The development plan from the template of the program's form.
        j.click(mentor.get_by_role("button", name="Заполнить план по шаблону"))
        _message(mentor, "План заполнен по шаблону")
        assert Goal.objects.filter(mentorship_id=pair_id).exists()
        expect(mentor.locator(".goal").first).to_be_visible()

        # Two meetings held: the first a week ago, the second today.
        week_ago = timezone.localtime() - dt.timedelta(days=7)
        for topic, when in (
            ("Знакомство и цели на четверть", week_ago),
            ("Разбор олимпиадных задач", None),
        ):
            j.click(mentor.get_by_role("link", name="Записать встречу").first)
            expect(mentor.get_by_role("heading", level=1)).to_have_text("Записать встречу")
            expect(mentor.get_by_label("Встреча уже прошла")).to_be_checked()
            if when is not None:
                j.fill(mentor.get_by_label("Дата и время"), when.strftime("%Y-%m-%dT16:00"))
            j.fill(mentor.get_by_label("Тема"), topic)
            j.fill(mentor.get_by_label("Заметки (видны паре)"), f"{topic}: договорились о шагах.")
            _fits_the_phone(mentor)
            j.click(mentor.get_by_role("button", name="Сохранить"))
            _message(mentor, "Встреча записана")
        held = Meeting.objects.filter(mentorship_id=pair_id, status=MeetingStatus.HELD)
        assert held.count() == 2

        # Progress: the mentee's level in mathematics, today.
        _record_progress(j, mentor, "средний")
        j.shot(mentor, "mentor-pair")

        # The curator opens the start survey from the shipped questionnaire.
        curator = _curator(j, curator)
        survey = _open_survey_from_template(j, curator, START_SURVEY)
        j.shot(curator, "start-survey-open")

        # The mentee answers it: a pupil without a login by the one-time link.
        _answer_as_mentee(j, new_page, survey, START_SURVEY)

        # The mentee's reflection on the first meeting, on the phone (it needs a login).
        if not j.state.get("mentee_user_id"):
            user, password = grant_login(j, curator, mentee_person)
            j.state["mentee_user_id"] = user.pk
            j.state["mentee_password"] = password
        mentee = _mentee(j, new_page)
        if mentee is not None:
            j.goto(mentee, "/pairwork/")
            j.click(mentee.locator(".pair-card h2 a").first)
            j.click(mentee.get_by_role("link", name=re.compile("Знакомство и цели")).first)
            j.fill(mentee.get_by_label("Что я узнал(а)"), "Как разбирать олимпиадные задачи")
            j.fill(mentee.get_by_label("Что было трудно"), "Задачи на инварианты")
            _fits_the_phone(mentee)
            j.click(mentee.get_by_role("button", name="Сохранить рефлексию"))
            _message(mentee, "Ваша рефлексия сохранена")
            j.shot(mentee, "mentee-reflection")
            assert Reflection.objects.filter(
                meeting__mentorship_id=pair_id, author_id=j.state["mentee_person_id"]
            ).exists()


def _mentee_ids(j: Journey) -> list[int]:
    return list(
        Enrolment.objects.filter(
            program_id=j.state["program_id"], role=EnrolmentRole.MENTEE
        ).values_list("person_id", flat=True)
    )


def _record_progress(j: Journey, mentor: Page, level: str) -> None:
    """The mentor records the mentee's level in the subject (today) on the pair's page."""
    pair_id = j.state["mentorship_id"]
    before = ProgressRecord.objects.filter(mentorship_id=pair_id).count()
    j.click(mentor.get_by_text("Записать прогресс", exact=True))
    form = mentor.locator(f"form[action='/pairwork/pair/{pair_id}/progress/new/']")
    mentee = Person.objects.get(pk=j.state["mentee_person_id"])
    select = form.get_by_label("Наставляемый")
    if select.locator("option").count() > 1:
        j.choose(select, mentee.full_name)
    j.fill(form.get_by_label("Предмет или навык"), SUBJECT)
    j.choose(form.get_by_label("Уровень"), level)
    j.click(form.get_by_role("button", name="Сохранить"))
    _message(mentor, "Запись о прогрессе сохранена")
    assert ProgressRecord.objects.filter(mentorship_id=pair_id).count() == before + 1


# --- step 4 --------------------------------------------------------------------------------


def step_4(j: Journey, *, curator: Page, new_page: NewPage, **_: Any) -> None:
    """The level falls; the curator's «Требует внимания» shows the pair with the reason."""
    with j.step(4, "Успеваемость падает: предупреждение куратору"):
        pair_id = j.state["mentorship_id"]
        mentor = _mentor(j, new_page)
        j.goto(mentor, f"/pairwork/pair/{pair_id}/")
        _record_progress(j, mentor, "слабый")
        today = timezone.localdate().strftime("%d.%m.%Y")
        reason = f"«{SUBJECT}»: уровень снизился с «средний» до «слабый» ({today})."
        # The mentor sees the warning on the pair's page too.
        expect(mentor.locator("main")).to_contain_text(reason)

        curator = _curator(j, curator)
        j.goto(curator, "/pairwork/attention/")
        expect(curator.get_by_role("heading", level=1)).to_have_text("Требует внимания")
        row = curator.locator("main li").filter(
            has=curator.locator(f"a[href='/pairwork/pair/{pair_id}/']")
        )
        expect(row).to_have_count(1)
        expect(row).to_contain_text(reason)
        j.shot(curator, "attention")


# --- step 5 --------------------------------------------------------------------------------


def _pair_who_met(program: Program, session: SpeedSession) -> tuple[Enrolment, Enrolment]:
    """A mentee of the program without a pair and a mentor with a free place who met at a
    table of the session."""
    active = Enrolment.objects.filter(program=program).exclude(status=EnrolmentStatus.WITHDRAWN)
    taken = matched_mentee_ids(program=program)
    mentees = {
        e.person_id: e
        for e in active.filter(role=EnrolmentRole.MENTEE)
        .exclude(pk__in=taken)
        .select_related("person")
    }
    assert mentees, "the journey needs a mentee without a pair for the speed event"
    mentors = list(active.filter(role=EnrolmentRole.MENTOR).select_related("person"))
    load = mentor_load([m.pk for m in mentors])
    free = {m.person_id: m for m in mentors if m.capacity > load.get(m.pk, 0)}
    assert free, "the journey needs a mentor with a free place for the speed event"
    for first, second in session.seats.order_by("round_number", "table_number").values_list(
        "first__person_id", "second__person_id"
    ):
        for mentor_id, mentee_id in ((first, second), (second, first)):
            if mentor_id in free and mentee_id in mentees:
                return mentees[mentee_id], free[mentor_id]
    raise AssertionError("no free mentor met a mentee without a pair at the session")


def step_5(j: Journey, *, curator: Page, new_page: NewPage, **_: Any) -> None:
    """A speed-mentoring session: mutual wishes become a proposed pair of the program."""
    with j.step(5, "Скоростное наставничество: взаимные пожелания — в пары"):
        program = Program.objects.get(pk=j.state["program_id"])
        organization = Organization.objects.get(pk=j.state["organization_id"])
        curator = _curator(j, curator)
        j.goto(curator, "/quick/speed/")
        form = curator.locator("form", has_text="Запланировать встречу")
        j.fill(form.get_by_label("Название"), "Быстрые встречи наставников и наставляемых")
        j.choose(form.get_by_label("Программа"), f"{program.title} ({organization.short_name})")
        expect(form.get_by_label("Пригласить наставников и наставляемых программы")).to_be_checked()
        starts = timezone.localtime().replace(hour=15, minute=0)
        j.fill(form.get_by_label("Начало"), starts.strftime("%Y-%m-%dT%H:%M"))
        j.click(form.get_by_role("button", name="Запланировать"))
        _message(curator, "Встреча запланирована")
        session = SpeedSession.objects.get(pk=int(curator.url.rstrip("/").rsplit("/", 1)[-1]))
        participants = list(session.participants.all())
        assert len(participants) >= 4
        expect(curator.locator("main")).to_contain_text(f"Участники ({len(participants)})")

        # The rotation: the rounds offered are at most those that bring a new meeting.
        limit = rounds_limit(session, participants)
        expect(curator.get_by_label("Туры")).to_have_value(str(min(session.rounds, limit)))
        j.click(curator.get_by_role("button", name="Составить ротацию"))
        _message(curator, "Ротация готова")
        j.shot(curator, "speed-rotation")
        mentee, mentor = _pair_who_met(program, session)

        # The wish cards: the mentee and the mentor named each other.
        for author, wanted in ((mentee, mentor), (mentor, mentee)):
            wishes = curator.locator("form", has_text="Сохранить пожелания")
            j.choose(wishes.get_by_label("Участник"), author.person.full_name)
            j.choose(wishes.get_by_label(wanted.person.full_name, exact=True))
            j.click(wishes.get_by_role("button", name="Сохранить пожелания"))
            _message(curator, "Пожелания сохранены")
        expect(curator.locator("main")).to_contain_text(
            f"Взаимные: {mentor.person.full_name} — {mentee.person.full_name}"
        )
        j.click(curator.get_by_role("button", name="Предложить пары по взаимным пожеланиям"))
        _message(curator, "Предложено пар: 1")
        j.shot(curator, "speed-wishes")

        proposed = Mentorship.objects.get(
            program=program,
            status=MentorshipStatus.PROPOSED,
            members__enrolment=mentee,
        )
        assert MentorshipMember.objects.filter(
            mentorship=proposed, role=MemberRole.MENTOR, enrolment=mentor
        ).exists()
        j.goto(curator, f"/mentorships/program/{program.pk}/")
        row = curator.locator("#mentorships tbody tr").filter(has_text=mentee.person.full_name)
        expect(row).to_contain_text(mentor.person.full_name)
        expect(row).to_contain_text("предложена")
        j.shot(curator, "proposed-pair")
        j.state["speed_mentorship_id"] = proposed.pk


# --- step 6 --------------------------------------------------------------------------------


def step_6(j: Journey, *, curator: Page, new_page: NewPage, **_: Any) -> None:
    """The end of the year: survey, last stage, pair completed, report submitted, roll-up."""
    program = Program.objects.get(pk=j.state["program_id"])
    pair_id = j.state["mentorship_id"]
    organization = Organization.objects.get(pk=j.state["organization_id"])
    year = program.academic_year.start_year
    # The curator's own clicks and typed fields are this record's; the mentee's answers and the
    # coordinator's visit are counted apart.
    with j.step(6, "Конец года: куратор — анкета, завершение, отчёт") as record:
        curator = _curator(j, curator)

        # The satisfaction survey again, at the end; the mentee answers.
        survey = _open_survey_from_template(j, curator, END_SURVEY)
        with j.step(6, "Конец года: наставляемый отвечает на анкету"):
            _answer_as_mentee(j, new_page, survey, END_SURVEY)

        # The pair completes its year.
        j.goto(curator, f"/mentorships/{pair_id}/")
        j.choose(curator.get_by_label("Новый статус"), "завершена")
        j.fill(curator.get_by_label("Причина изменения"), "Учебный год завершён, цели достигнуты")
        j.click(curator.get_by_role("button", name="Сохранить"))
        expect(curator.locator("#status-history")).to_contain_text("завершена")
        assert Mentorship.objects.get(pk=pair_id).status == MentorshipStatus.COMPLETED

        # The program moves to its last stage (past whatever its checklists still lack).
        j.goto(curator, f"/programs/{program.pk}/stages/")
        while Program.objects.get(pk=program.pk).stage < Stage.COMPLETION:
            advance = curator.locator("#advance")
            button = advance.get_by_role(
                "button", name=re.compile("Перейти к следующему этапу|Всё равно перейти")
            )
            j.click(button)
        expect(curator.locator("main")).to_contain_text("завершение")
        j.shot(curator, "program-completed")

        # The monitoring report: filled by the system, submitted without typing a figure.
        typed_before = record.typed
        j.goto(curator, f"/reports/organization/{organization.pk}/{year}/")
        expect(curator.locator("#report-bases")).to_be_visible()
        completed = Mentorship.objects.filter(
            organization=organization,
            program__academic_year=program.academic_year,
            status=MentorshipStatus.COMPLETED,
        ).count()
        assert completed >= 1
        expect(
            curator.locator('tr[data-key="mentorships_completed"]').first.locator("td").last
        ).to_have_text(str(completed))
        j.click(curator.get_by_role("button", name="Сдать отчёт в муниципалитет"))
        _message(curator, "Отчёт сдан")
        assert record.typed == typed_before, "a figure of the report was typed"
        submission = ReportSubmission.objects.filter(organization=organization).latest("pk")
        j.shot(curator, "report-submitted")

    with j.step(6, "Конец года: муниципальный координатор"):
        # The municipal coordinator, on another page: the roll-up, and no person.
        coordinator = new_page()
        _sign_in(j, coordinator, j.state.get("coordinator_username", "municipality"))
        j.goto(coordinator, f"/reports/territory/{organization.territory_id}/{year}/")
        row = coordinator.locator("#rollup tbody tr").filter(has_text=organization.short_name)
        expect(row).to_contain_text(f"сдан (версия {submission.version})")
        j.shot(coordinator, "municipal-rollup")
        mentee_id = j.state["mentee_person_id"]
        mentee = Person.objects.get(pk=mentee_id)
        for url in (f"/people/{mentee_id}/", f"/pairwork/pair/{pair_id}/"):
            response = coordinator.goto(url)
            assert response is not None, url
            assert response.status in (403, 404), (url, response.status)
            expect(coordinator.locator("body")).not_to_contain_text(mentee.last_name)
        # Nor find one: the people search answers nothing of the lyceum.
        response = coordinator.goto(f"/people/?q={mentee.last_name}")
        assert response is not None
        expect(coordinator.locator("body")).not_to_contain_text(mentee.full_name)
