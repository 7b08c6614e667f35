"""Flash mentoring on a phone: a mentee books an expert's slot in one tap; the expert sees the
booking on «Мои слоты»."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from nastavnik.accounts.models import User
from nastavnik.quickmentoring.models import BookingStatus, FlashBooking
from tests.conftest import make_tenant
from tests.quickmentoring.factories import slot

pytestmark = pytest.mark.browser


def test_a_mentee_books_a_slot_on_a_phone_and_the_expert_sees_it(
    mobile_page: Page,
    new_page: Callable[..., Page],
    login_as: Callable[[Page, User], Page],
    snapshot: Callable[[Page, str], object],
) -> None:
    tenant = make_tenant("fl")
    offered = slot(tenant, expert=tenant.mentor_person, topic="Как выбрать тему проекта")

    page = login_as(mobile_page, tenant.mentee)
    page.goto(reverse("quickmentoring:flash"))
    expect(page.locator("h1")).to_have_text("Флеш-наставничество")
    card = page.locator(".flash-slot").first
    expect(card).to_contain_text("Как выбрать тему проекта")
    expect(card).to_contain_text(tenant.mentor_person.full_name)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    snapshot(page, "flash-slots")
    card.get_by_role("button", name="Записаться").click()

    expect(page.locator(".messages")).to_contain_text("Вы записаны: «Как выбрать тему проекта».")
    expect(page.locator(".flash-slot").first).to_contain_text("Вы записаны")
    booked = FlashBooking.objects.get(slot=offered)
    assert booked.person_id == tenant.mentee_person.pk
    assert booked.status == BookingStatus.BOOKED

    expert = login_as(new_page(), tenant.mentor)
    expert.goto(reverse("quickmentoring:flash_mine"))
    expect(expert.locator("h1")).to_have_text("Мои слоты")
    expect(expert.locator(".my-slot").first).to_contain_text(tenant.mentee_person.full_name)
    expect(expert.locator(".my-slot").first).to_contain_text("записан")
