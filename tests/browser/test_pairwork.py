"""A mentor's week on a phone: from «Мои пары» the mentor logs a meeting in one tap and ticks
off a task; the mentee sees the meeting and writes a reflection."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from nastavnik.accounts.models import User
from nastavnik.pairwork.models import ItemStatus, Meeting, MeetingStatus, Reflection, Task
from tests.conftest import make_tenant
from tests.pairwork.factories import goal, task, working_pair

pytestmark = pytest.mark.browser


def test_the_mentor_logs_a_meeting_and_the_mentee_reflects(
    mobile_page: Page,
    new_page: Callable[..., Page],
    login_as: Callable[[Page, User], Page],
    snapshot: Callable[[Page, str], object],
) -> None:
    tenant = make_tenant("pw")
    pair = working_pair(tenant)
    todo = task(goal(pair, title="Уверенно решать задачи на проценты"), title="Решить 10 задач")

    page = login_as(mobile_page, tenant.mentor)
    page.goto(reverse("pairwork:home"))
    expect(page.locator("h1")).to_have_text("Мои пары")
    card = page.locator(".pair-card").first
    expect(card).to_contain_text(tenant.mentee_person.full_name)
    card.get_by_role("link", name="Записать встречу").click()

    expect(page.locator("h1")).to_have_text("Записать встречу")
    expect(page.get_by_label("Встреча уже прошла")).to_be_checked()
    page.get_by_label("Тема").fill("Знакомство")
    page.get_by_label("Место").fill("Кабинет 12")
    page.get_by_label("Заметки (видны паре)").fill("Договорились о целях на четверть.")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    snapshot(page, "log-meeting")
    page.get_by_role("button", name="Сохранить").click()

    expect(page.locator(".messages")).to_contain_text("Встреча записана.")
    expect(page.locator("body")).to_contain_text("Знакомство")
    page.get_by_role("button", name="Отметить выполненной: Решить 10 задач").click()
    expect(page.locator(f"#task-{todo.pk}")).to_contain_text("выполнено")
    expect(page.locator("body")).to_contain_text("100%")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    snapshot(page, "pair")
    logged = Meeting.objects.get()
    assert logged.status == MeetingStatus.HELD
    assert Task.objects.get(pk=todo.pk).status == ItemStatus.DONE

    mentee = login_as(new_page(mobile=True), tenant.mentee)
    mentee.goto(reverse("pairwork:home"))
    mentee.locator(".pair-card h2 a").first.click()
    mentee.get_by_role("link", name="Знакомство").first.click()
    expect(mentee.locator("h1")).to_contain_text("Знакомство")
    expect(mentee.locator("body")).to_contain_text("Договорились о целях на четверть.")
    mentee.get_by_label("Что я узнал(а)").fill("Как решать задачи на проценты")
    mentee.get_by_label("Что было трудно").fill("Задачи на смеси")
    mentee.get_by_role("button", name="Сохранить рефлексию").click()
    expect(mentee.locator(".messages")).to_contain_text("Ваша рефлексия сохранена.")
    expect(mentee.locator("body")).to_contain_text("Как решать задачи на проценты")
    snapshot(mentee, "reflection")
    assert Reflection.objects.get().author == tenant.mentee_person
