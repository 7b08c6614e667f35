"""The curator forms collective groups from the page and reviews them on a phone: the card says
which mentor of the team covers which deficit, a move the target team cannot cover is refused in
Russian, one that it can is made, a group is locked through htmx and a re-run keeps it whole."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from nastavnik.accounts.models import User
from nastavnik.matching.models import MatchingRun, ProposalState
from nastavnik.programs.models import MentoringModel
from tests.conftest import make_tenant
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.browser


def test_the_curator_reviews_collective_groups_on_a_phone(
    mobile_page: Page,
    login_as: Callable[[Page, User], Page],
    snapshot: Callable[[Page, str], object],
) -> None:
    tenant = make_tenant("c1")
    program = matching_program(tenant.organization)
    program.models_used.add(MentoringModel.objects.get(code="group"))
    algebra = mentor(program, last_name="Алгебраева", capacity=10, competencies={"mathematics": 3})
    optics = mentor(program, last_name="Оптиков", capacity=10, competencies={"physics": 3})
    # The base lists mentees by last name: the physics ones seed the first group.
    abramov = mentee(program, last_name="Абрамов", deficits=["physics"])
    mentee(program, last_name="Белов", deficits=["physics"])
    volkov = mentee(program, last_name="Волков", deficits=["mathematics"])
    for name in ("Гусев", "Данилов", "Егоров"):
        mentee(program, last_name=name, deficits=["mathematics"])
    page = login_as(mobile_page, tenant.curator)

    # The form: collective groups of two to four, teams of two.
    page.goto(reverse("matching:program", kwargs={"program_id": program.pk}))
    form = page.locator("#group-form")
    form.get_by_label("Наставляемых в группе, не меньше").fill("2")
    form.get_by_label("Наставляемых в группе, не больше").fill("4")
    form.get_by_label("Наставников в группе, не больше").select_option("2")
    form.get_by_label("Как составлять группы").select_option("collective")
    form.get_by_role("button", name="Сформировать группы").click()
    run = MatchingRun.objects.get(program=program)
    assert run.parameters["grouping"] == "collective"
    mixed, maths = run.groups.order_by("key")

    card = page.locator(f"#group-{mixed.pk}")
    expect(card.locator("h3")).to_contain_text("Группа № 1")
    expect(card.locator("h3 .badge", has_text="коллективная")).to_be_visible()
    expect(card).to_contain_text("Команда наставников")
    team = card.locator("dd li")
    expect(team.filter(has_text=algebra.person.full_name)).to_contain_text("закрывает: Математика")
    expect(team.filter(has_text=optics.person.full_name)).to_contain_text("закрывает: Физика")
    expect(card).to_contain_text("Дефициты, которые закрывает команда")
    expect(card).to_contain_text("4 наставляемых")
    expect(card).to_contain_text("коллективная группа из 4 человек; команда закрывает")
    other = page.locator(f"#group-{maths.pk}")
    expect(other.locator("dd li").first).to_contain_text("закрывает: Математика")
    expect(other).to_contain_text("2 наставляемых")
    # A team of one covers all: no «the team has 1 mentor of 2» for a collective group.
    expect(other).not_to_contain_text("В команде 1 наставник из 2")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    snapshot(page, "collective")

    # A physics mentee cannot go to the mathematics group: its team does not cover physics.
    moving = mixed.members.get(mentee=abramov)
    card.locator("select[name=member]").select_option(str(moving.pk))
    card.locator("select[name=to]").select_option(str(maths.pk))
    card.get_by_role("button", name="Перевести", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(
        f"Команда группы № 2 закрывает не все дефициты участника {abramov.person.full_name}: "
        "Физика."
    )
    expect(page.locator(f"#group-{maths.pk}")).to_contain_text("2 наставляемых")

    # A mathematics mentee can.
    card = page.locator(f"#group-{mixed.pk}")
    moving = mixed.members.get(mentee=volkov)
    card.locator("select[name=member]").select_option(str(moving.pk))
    card.locator("select[name=to]").select_option(str(maths.pk))
    card.get_by_role("button", name="Перевести", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(
        f"{volkov.person.full_name} переведён(а) в группу № 2."
    )
    expect(page.locator(f"#group-{maths.pk}")).to_contain_text("3 наставляемых")
    expect(page.locator(f"#group-{mixed.pk}")).to_contain_text("3 наставляемых")

    # Lock the mixed group through htmx (no reload).
    page.evaluate("window.__notReloaded = true")
    card = page.locator(f"#group-{mixed.pk}")
    card.get_by_role("button", name="оставить группу при пересчёте").click()
    expect(card.locator("h3 .badge").last).to_have_text("оставлена при пересчёте")
    expect(card.locator("dd li").filter(has_text=optics.person.full_name)).to_contain_text(
        "закрывает: Физика"
    )
    assert page.evaluate("window.__notReloaded === true")
    locked_members = set(mixed.members.values_list("mentee_id", flat=True))

    # A re-run keeps the locked collective group whole, its team and who covers what.
    page.get_by_role("button", name="Подобрать для остальных").click()
    expect(page.locator(".messages")).to_contain_text("Запущен новый подбор")
    again = MatchingRun.objects.filter(program=program).order_by("-number").first()
    assert again is not None
    assert again.previous_id == run.pk
    (kept,) = again.groups.filter(state=ProposalState.LOCKED)
    assert set(kept.members.values_list("mentee_id", flat=True)) == locked_members
    assert set(kept.team.values_list("mentor_id", flat=True)) == {algebra.pk, optics.pk}
    card = page.locator(f"#group-{kept.pk}")
    expect(card.locator("h3 .badge", has_text="коллективная")).to_be_visible()
    expect(card.locator("h3 .badge").last).to_have_text("оставлена при пересчёте")
    expect(card.locator("dd li").filter(has_text=optics.person.full_name)).to_contain_text(
        "закрывает: Физика"
    )
    snapshot(page, "kept")
