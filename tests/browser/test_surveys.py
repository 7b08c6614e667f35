"""A parent with no login answers a survey by a one-time link on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from nastavnik.surveys import services
from nastavnik.surveys.models import Answer, Invitation
from tests.conftest import make_tenant
from tests.surveys.helpers import program_with_people

pytestmark = pytest.mark.browser


def test_a_respondent_answers_by_a_one_time_link_on_a_phone(mobile_page: Page) -> None:
    tenant = make_tenant("web")
    setup = program_with_people(tenant, mentees=2, mentors=1)
    survey = services.survey_from_template(
        actor=tenant.curator, program=setup.program, code="check_in"
    )
    step = survey.questions.get(kind="yes_no")
    services.question_add(
        actor=tenant.curator,
        survey=survey,
        kind="short_text",
        text="О каком шаге договорились?",
        show_if=step,
        show_if_value="yes",
    )
    services.survey_open(actor=tenant.curator, survey=survey)
    key = services.outside_invitation_create(
        actor=tenant.curator, survey=survey, name="Родителева Мария Ивановна"
    )

    page = mobile_page
    page.goto(f"/surveys/answer/{key}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Короткая анкета после встречи")
    follow_up = page.locator("fieldset", has_text="О каком шаге договорились?")
    expect(follow_up).to_be_hidden()  # asked only after «да»
    page.locator("fieldset", has_text="Насколько полезной была встреча?").get_by_label("9").check()
    page.locator("fieldset", has_text="Договорились ли вы").get_by_label("да").check()
    expect(follow_up).to_be_visible()
    follow_up.get_by_role("textbox").fill("Прочитать главу к четвергу")
    page.get_by_role("button", name="Отправить ответы").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Спасибо! Ваши ответы сохранены.")

    values = sorted(
        str(v)
        for v in Answer.objects.filter(response__survey=survey).values_list("value", flat=True)
    )
    assert values == ["9", "True", "Прочитать главу к четвергу"]
    assert Invitation.objects.get(outside_name="Родителева Мария Ивановна").used

    page.goto(f"/surveys/answer/{key}/")
    expect(page.locator("main")).to_contain_text("ссылка работает один раз")
