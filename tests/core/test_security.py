"""Sessions that end, pages that are not cached, and the audit of logins and denied access."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from nastavnik.core.middleware import SESSION_SEEN, SESSION_STARTED
from nastavnik.core.models import AuditEntry
from tests.conftest import Tenant, login

pytestmark = pytest.mark.django_db

HOME = "/"


def _age_session(client: Client, key: str, seconds: float) -> None:
    session = client.session
    session[key] = time.time() - seconds
    session.save()


def test_pages_of_a_signed_in_user_are_not_stored(tenant_a: Tenant) -> None:
    response = login(tenant_a.curator).get(HOME, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain  # the organization's page, with its people counts
    assert response["Cache-Control"] == "no-store"


@override_settings(SESSION_IDLE_TIMEOUT=600)
def test_an_idle_session_ends(tenant_a: Tenant) -> None:
    client = login(tenant_a.curator)
    assert client.get(HOME).wsgi_request.user.is_authenticated
    _age_session(client, SESSION_SEEN, 601)
    response = client.get(HOME)
    assert not response.wsgi_request.user.is_authenticated
    assert AuditEntry.objects.filter(action="session.expired", message="idle").exists()
    # and the next request is anonymous too: the session is gone
    assert not client.get(HOME).wsgi_request.user.is_authenticated


@override_settings(SESSION_IDLE_TIMEOUT=600, SESSION_ABSOLUTE_TIMEOUT=3600)
def test_a_session_ends_after_its_absolute_term_however_active(tenant_a: Tenant) -> None:
    client = login(tenant_a.curator)
    client.get(HOME)
    _age_session(client, SESSION_STARTED, 3601)
    assert not client.get(HOME).wsgi_request.user.is_authenticated
    assert AuditEntry.objects.filter(action="session.expired", message="absolute").exists()


@override_settings(SESSION_IDLE_TIMEOUT=600)
def test_an_active_session_goes_on(tenant_a: Tenant) -> None:
    client = login(tenant_a.curator)
    client.get(HOME)
    _age_session(client, SESSION_SEEN, 300)
    assert client.get(HOME).wsgi_request.user.is_authenticated


def test_every_session_of_a_disabled_user_ends(tenant_a: Tenant) -> None:
    phone, laptop = login(tenant_a.mentor), login(tenant_a.mentor)
    assert phone.get(HOME).wsgi_request.user.is_authenticated
    tenant_a.mentor.is_active = False
    tenant_a.mentor.save(update_fields=["is_active"])
    for client in (phone, laptop):
        assert not client.get(HOME).wsgi_request.user.is_authenticated


def test_logins_and_failed_logins_are_audited_with_the_address(tenant_a: Tenant) -> None:
    client = Client(REMOTE_ADDR="10.1.2.3")
    url = reverse("accounts:login")
    client.post(url, {"username": tenant_a.curator.username, "password": "wrong"})
    failed = AuditEntry.objects.get(action="auth.login_failed")
    assert failed.data == {"ip": "10.1.2.3", "username": tenant_a.curator.username}
    client.post(url, {"username": tenant_a.curator.username, "password": "password"})
    entry = AuditEntry.objects.get(action="auth.login")
    assert entry.actor == tenant_a.curator
    assert entry.data["ip"] == "10.1.2.3"


@override_settings(NASTAVNIK_TRUST_X_FORWARDED_FOR=True)
def test_behind_the_proxy_the_forwarded_address_is_recorded(tenant_a: Tenant) -> None:
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.7, 127.0.0.1")
    client.post(
        reverse("accounts:login"), {"username": tenant_a.curator.username, "password": "password"}
    )
    assert AuditEntry.objects.get(action="auth.login").data["ip"] == "192.0.2.7"


def test_denied_access_is_audited(tenant_a: Tenant) -> None:
    # The head may look but not change: the admin site answers a signed-in non-staff user with a
    # redirect, so take a page of the app that refuses with 403.
    client = login(tenant_a.mentee)
    forbidden = _first_forbidden_page(client, tenant_a)
    assert AuditEntry.objects.filter(
        action="access.denied", actor=tenant_a.mentee, message__endswith=forbidden
    ).exists()


def _first_forbidden_page(client: Client, tenant: Tenant) -> str:
    candidates = [
        reverse("imports:list") if _has_url("imports:list") else "",
        reverse("programs:create") if _has_url("programs:create") else "",
        "/imports/",
        "/programs/new/",
    ]
    for url in candidates:
        if url and client.get(url).status_code == 403:
            return url
    pytest.fail("no page answered 403 to a mentee")


def _has_url(name: str) -> bool:
    from django.urls import NoReverseMatch

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def test_axes_locks_a_login_name_and_an_administrator_unlocks_it(
    tenant_a: Tenant, settings: Any
) -> None:
    from axes.utils import reset

    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    url = reverse("accounts:login")
    name = tenant_a.curator.username
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        Client(REMOTE_ADDR=address).post(url, {"username": name, "password": "wrong"})
    # locked by name from a fourth address, even with the right password
    locked = Client(REMOTE_ADDR="10.0.0.4").post(url, {"username": name, "password": "password"})
    assert locked.status_code in (403, 429)
    assert not locked.wsgi_request.user.is_authenticated
    reset(username=name)
    unlocked = Client(REMOTE_ADDR="10.0.0.4").post(url, {"username": name, "password": "password"})
    assert unlocked.status_code == 302


def test_administrators_export_the_audit_log_and_nobody_deletes_it(
    tenant_a: Tenant, admin_user: Any
) -> None:
    from nastavnik.core.audit import audit

    audit(actor=tenant_a.curator, action="person.update", message="=HYPERLINK(1)")
    client = login(admin_user)
    changelist = reverse("admin:core_auditentry_changelist")
    page = client.get(changelist)
    assert page.status_code == 200
    assert "delete_selected" not in page.content.decode()
    ids = [str(pk) for pk in AuditEntry.objects.values_list("pk", flat=True)]
    response = client.post(changelist, {"action": "export_csv", "_selected_action": ids})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "person.update" in text
    assert tenant_a.curator.username in text
    assert "'=HYPERLINK(1)" in text
    entry = AuditEntry.objects.get(action="person.update")
    delete = reverse("admin:core_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    # the curator of the school is not an administrator: no access to the log
    assert login(tenant_a.curator).get(changelist).status_code == 302
