"""The curator reviews a group run on a phone: the cards in Russian with the team of mentors and
what each group shares, a member moved and one removed, groups locked and accepted through htmx
(no reload), then published as group mentorships."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from nastavnik.accounts.models import User
from nastavnik.matching import services
from nastavnik.mentorships.models import Mentorship
from nastavnik.programs.models import MentoringModel
from tests.conftest import make_tenant
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.browser


def test_the_curator_reviews_groups_on_a_phone_and_publishes(
    mobile_page: Page,
    login_as: Callable[[Page, User], Page],
    snapshot: Callable[[Page, str], object],
) -> None:
    tenant = make_tenant("g1")
    program = matching_program(tenant.organization)
    program.models_used.add(MentoringModel.objects.get(code="group"))
    lead = mentor(
        program, last_name="Ведущая", capacity=10, competencies={"formative-assessment": 3}
    )
    second = mentor(
        program, last_name="Помогающий", capacity=10, competencies={"formative-assessment": 2}
    )
    for name in ("Алексеев", "Борисов", "Васильев", "Григорьев", "Дмитриев", "Егоров", "Жуков"):
        mentee(program, last_name=name, deficits=["formative-assessment", "mathematics"])
    run = services.run_start(
        actor=tenant.curator,
        program=program,
        parameters={"kind": "groups", "min_size": 2, "max_size": 4, "team_size": 2},
    )
    first, other = run.groups.order_by("key")
    assert (first.members.count(), other.members.count()) == (4, 3)
    page = login_as(mobile_page, tenant.curator)

    page.goto(reverse("matching:run", kwargs={"run_id": run.pk}))
    expect(page.locator("h2").first).to_have_text("Предложенные группы")
    card = page.locator(f"#group-{first.pk}")
    expect(card.locator("h3")).to_contain_text("Группа № 1")
    expect(card).to_contain_text("Команда наставников")
    expect(card.locator("dd li").first).to_contain_text(lead.person.full_name)
    expect(card.locator("dd li").first).to_contain_text("ведёт группу")
    expect(card).to_contain_text(second.person.full_name)
    expect(card).to_contain_text("Общее у группы")
    expect(card.locator(".badge", has_text="Формирующее оценивание")).to_be_visible()
    expect(card.locator(".badge", has_text="Математика")).to_be_visible()
    expect(card).to_contain_text("4 наставляемых")
    # Nothing is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    snapshot(page, "groups")

    # Move a member of the group of four to the group of three (a plain form: the page reloads).
    moved = first.members.select_related("mentee__person").order_by("id").first()
    assert moved is not None
    card.locator("select[name=member]").select_option(str(moved.pk))
    card.locator("select[name=to]").select_option(str(other.pk))
    card.get_by_role("button", name="Перевести", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(
        f"{moved.mentee.person.full_name} переведён(а) в группу № 2."
    )
    expect(page.locator(f"#group-{other.pk}")).to_contain_text("4 наставляемых")
    expect(page.locator(f"#group-{other.pk}")).to_contain_text(moved.mentee.person.full_name)

    # Lock the group of four through htmx: its card changes, the page is not reloaded.
    page.evaluate("window.__notReloaded = true")
    other_card = page.locator(f"#group-{other.pk}")
    other_card.get_by_role("button", name="оставить группу при пересчёте").click()
    expect(other_card.locator("h3 .badge")).to_have_text("оставлена при пересчёте")
    expect(other_card).to_contain_text("Группа оставлена при пересчёте")
    expect(other_card.get_by_role("button", name="исключить из группы")).to_have_count(0)
    expect(
        other_card.get_by_role("button", name="не оставлять группу при пересчёте")
    ).to_be_visible()
    # The figures follow out of band: one group locked, none accepted yet.
    decided = page.locator(
        "#run-stats .stat", has_text="принято / оставлено при пересчёте"
    ).locator("b")
    expect(decided).to_have_text("0 / 1")
    # The other card no longer offers the locked group as a place to move to.
    expect(page.locator(f"#group-{first.pk} select[name=to]")).to_have_count(0)
    assert page.evaluate("window.__notReloaded === true")
    snapshot(page, "locked")

    # Remove a member of the first group (three then two).
    card = page.locator(f"#group-{first.pk}")
    removed = first.members.select_related("mentee__person").order_by("id").first()
    assert removed is not None
    card.locator("li", has_text=removed.mentee.person.full_name).get_by_role(
        "button", name="исключить из группы"
    ).click()
    expect(page.locator(".messages")).to_contain_text(
        f"{removed.mentee.person.full_name} исключён(а) из группы."
    )
    card = page.locator(f"#group-{first.pk}")
    expect(card).to_contain_text("2 наставляемых")
    expect(card).not_to_contain_text(removed.mentee.person.full_name)
    expect(page.locator("body")).to_contain_text("Без наставника")

    # Accept it (htmx as well) and publish both.
    card.get_by_role("button", name="принять группу").click()
    expect(card.locator("h3 .badge")).to_have_text("принята")
    expect(decided).to_have_text("1 / 1")
    page.locator("#publish-form input[name=confirm]").check()
    page.get_by_role("button", name="Утвердить принятые и оставленные при пересчёте группы").click()
    expect(page.locator(".messages")).to_contain_text("Сформировано 2 группы")
    snapshot(page, "published")

    groups = Mentorship.objects.filter(program=program, is_group=True)
    assert groups.count() == 2
    published = {
        frozenset(
            m.person.full_name
            for m in mentorship.members.select_related("person").filter(role="mentee")
        ): frozenset(
            m.person.full_name
            for m in mentorship.members.select_related("person").filter(role="mentor")
        )
        for mentorship in groups
    }
    team = frozenset({lead.person.full_name, second.person.full_name})
    locked_members = frozenset(p.mentee.person.full_name for p in other.members.all())
    first_members = frozenset(p.mentee.person.full_name for p in first.members.all())
    assert moved.mentee.person.full_name in locked_members
    assert removed.mentee.person.full_name not in first_members
    assert (len(locked_members), len(first_members)) == (4, 2)
    assert published == {locked_members: team, first_members: team}
