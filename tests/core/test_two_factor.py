"""Optional two-factor login (TOTP) for curators, heads and administrators."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from nastavnik.core.models import AuditEntry
from tests.conftest import Tenant, login


def _code(device: TOTPDevice, *, wrong: bool = False) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{(code + 1) % 1_000_000:06d}" if wrong else f"{code:06d}"


def _next_step(device: TOTPDevice) -> None:
    """As if the app showed its next code: django-otp accepts a code once (no replay) and slows
    down after a wrong one (throttling), so a test forgets the last step and the failures."""
    device.refresh_from_db()
    device.last_t = -1
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()


def _turn_on(client: Client) -> TOTPDevice:
    url = reverse("core:two_factor")
    page = client.post(url, {"action": "start"})
    assert page.status_code == 200
    assert "<svg" in page.content.decode()  # the QR code, drawn inline
    device = TOTPDevice.objects.get(confirmed=False)
    wrong = client.post(url, {"action": "confirm", "code": _code(device, wrong=True)})
    assert "Код неверный или устарел" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    _next_step(device)
    assert client.post(url, {"action": "confirm", "code": _code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_a_curator_turns_two_factor_on_and_every_login_then_asks_for_the_code(
    tenant_a: Tenant,
) -> None:
    client = login(tenant_a.curator)
    device = _turn_on(client)
    assert AuditEntry.objects.filter(action="auth.two_factor_on", actor=tenant_a.curator).exists()
    # the session that turned it on is verified already
    assert client.get(reverse("people:list")).status_code == 200

    fresh = login(tenant_a.curator)  # a new login: the password alone opens nothing
    people = reverse("people:list")
    response = fresh.get(people)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:two_factor_verify"))
    verify = reverse("core:two_factor_verify")
    refused = fresh.post(verify, {"code": _code(device, wrong=True), "next": people})
    assert "Код неверный или устарел" in refused.content.decode()
    assert AuditEntry.objects.filter(action="auth.two_factor_failed").count() == 1
    assert fresh.get(people).status_code == 302
    _next_step(device)
    passed = fresh.post(verify, {"code": _code(device), "next": people})
    assert passed.status_code == 302
    assert passed["Location"] == people
    assert fresh.get(people).status_code == 200


def test_turning_it_off_needs_a_code_and_an_administrator_removing_the_device_frees_the_login(
    tenant_a: Tenant,
) -> None:
    client = login(tenant_a.curator)
    device = _turn_on(client)
    url = reverse("core:two_factor")
    refused = client.post(url, {"action": "disable", "code": _code(device, wrong=True)})
    assert "Код неверный или устарел" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=tenant_a.curator, confirmed=True).exists()

    fresh = login(tenant_a.curator)
    assert fresh.get(reverse("people:list")).status_code == 302
    TOTPDevice.objects.filter(user=tenant_a.curator).delete()  # the administrator, in the admin
    # the code page lets the session go once there is no device to ask
    assert fresh.get(reverse("core:two_factor_verify")).status_code == 302
    assert fresh.get(reverse("people:list")).status_code == 200


def test_the_owner_turns_it_off_with_a_current_code(tenant_a: Tenant) -> None:
    client = login(tenant_a.curator)
    device = _turn_on(client)
    _next_step(device)
    response = client.post(reverse("core:two_factor"), {"action": "disable", "code": _code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=tenant_a.curator).exists()
    assert AuditEntry.objects.filter(action="auth.two_factor_off").exists()
    assert login(tenant_a.curator).get(reverse("people:list")).status_code == 200


def test_mentors_and_mentees_have_no_two_factor_page(tenant_a: Tenant) -> None:
    for user in (tenant_a.mentor, tenant_a.mentee):
        assert login(user).get(reverse("core:two_factor")).status_code == 403
    assert not TOTPDevice.objects.exists()


def test_pages_of_users_without_a_device_ask_nothing_more(tenant_a: Tenant) -> None:
    client = login(tenant_a.mentor)
    assert client.get(reverse("core:home")).status_code in (200, 302)
    assert client.get(reverse("core:two_factor_verify")).status_code == 302
