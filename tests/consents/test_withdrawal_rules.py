"""Withdrawing a consent: an explicit confirmation (the surname typed), a page that says what
will happen, only a curator (not the head), never for oneself, and an employee's consent to
processing only by the administrator."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nastavnik.accounts.models import ApiToken, Role
from nastavnik.accounts.tokens import api_token_authenticate, api_token_create
from nastavnik.consents import services
from nastavnik.consents.models import Consent, ConsentPurpose
from nastavnik.consents.selectors import consent_text_current
from nastavnik.consents.services import consent_withdraw
from nastavnik.core.models import AuditEntry
from nastavnik.people.models import Person
from tests.conftest import login
from tests.factories import MembershipFactory, PersonFactory, TeacherFactory, consents_grant

pytestmark = pytest.mark.django_db


def _consent(person: Person, purpose: str = ConsentPurpose.PERSONAL_DATA) -> Consent:
    if purpose == ConsentPurpose.PHOTO:
        return Consent.objects.create(
            organization_id=person.organization_id,
            person=person,
            purpose=purpose,
            text=consent_text_current(purpose, on=dt.date(2026, 9, 1)),
            given_on=dt.date(2026, 9, 1),
        )
    consents_grant(person)
    return Consent.objects.get(person=person, purpose=purpose)


def _url(consent: Consent) -> str:
    return reverse("consents:withdraw", kwargs={"consent_id": consent.pk})


def _anonymized(person: Person) -> bool:
    person.refresh_from_db()
    return person.anonymized_at is not None


def test_a_post_without_the_surname_changes_nothing(tenant_a: Any) -> None:
    person = PersonFactory(organization=tenant_a.organization, last_name="Ёлкина")
    consent = _consent(person)
    client = login(tenant_a.curator)
    for body in ({}, {"last_name": ""}, {"last_name": "Иванова"}, {"anything": "yes"}):
        response = client.post(_url(consent), body)
        assert response.status_code == 200
        assert "Ёлкина" in response.content.decode()
        assert not _anonymized(person), body
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_the_surname_is_compared_without_case_and_yo(tenant_a: Any) -> None:
    person = PersonFactory(organization=tenant_a.organization, last_name="Ёлкина")
    consent = _consent(person)
    response = login(tenant_a.curator).post(_url(consent), {"last_name": " елкина "})
    assert response.status_code == 302
    assert _anonymized(person)


def test_the_page_says_what_will_happen_to_a_person_with_a_login(tenant_a: Any) -> None:
    consent = _consent(tenant_a.mentee_person)
    page = login(tenant_a.curator).get(_url(consent)).content.decode()
    assert 'id="withdraw-consequences"' in page
    assert "обезличиваются" in page
    assert "учётная запись человека отключается" in page
    assert "API" in page
    assert "согласие отозвано" in page
    without_login = _consent(tenant_a.student)
    page = login(tenant_a.curator).get(_url(without_login)).content.decode()
    assert "API" not in page


def test_a_pupils_login_is_disabled_and_tokens_revoked(tenant_a: Any) -> None:
    person = tenant_a.mentee_person
    token, _key = api_token_create(user=tenant_a.mentee, name="дневник")
    consent = _consent(person)
    login(tenant_a.curator).post(_url(consent), {"last_name": person.last_name})
    assert _anonymized(person)
    tenant_a.mentee.refresh_from_db()
    assert not tenant_a.mentee.is_active
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_each_revoked_token_gets_its_own_audit_row(tenant_a: Any, tenant_b: Any) -> None:
    """N live tokens give N «api_token.revoke» rows (who, which token, when, why), one
    transaction with the anonymization; a token revoked before gets no second row."""
    person = tenant_a.mentee_person
    live = [
        api_token_create(user=tenant_a.mentee, name="дневник", organization=tenant_a.organization),
        api_token_create(user=tenant_a.mentee, name="кружок", organization=tenant_b.organization),
        api_token_create(
            user=tenant_a.mentee, name="район", territory=tenant_a.organization.territory
        ),
    ]
    old, old_key = api_token_create(user=tenant_a.mentee, name="старый")
    old.revoked_at = earlier = timezone.now() - dt.timedelta(days=3)
    old.save()
    consent = _consent(person)
    before = timezone.now()
    response = login(tenant_a.curator).post(_url(consent), {"last_name": person.last_name})
    after = timezone.now()
    assert response.status_code == 302
    rows = AuditEntry.objects.filter(action="api_token.revoke").order_by("object_id")
    assert [row.object_id for row in rows] == sorted(str(token.pk) for token, _key in live)
    for row in rows:
        token = ApiToken.objects.get(pk=row.object_id)
        assert row.actor == tenant_a.curator
        assert row.object_type == "accounts.apitoken"
        assert row.organization_id == token.organization_id
        assert row.data["reason"] == "person.anonymize"
        assert row.data["prefix"] == token.prefix
        assert before <= row.created_at <= after
        assert token.revoked_at is not None
        assert before <= token.revoked_at <= after
        assert token.revoked_by == tenant_a.curator
    old.refresh_from_db()
    assert old.revoked_at == earlier
    for _token, key in [*live, (old, old_key)]:
        assert api_token_authenticate(key) is None
        assert Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/people/").status_code == 401


def test_a_failed_anonymization_leaves_the_tokens_live(
    tenant_a: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The revocations and their audit rows go in the anonymization's transaction."""
    token, key = api_token_create(
        user=tenant_a.mentee, name="дневник", organization=tenant_a.organization
    )

    def broken_audit(**kwargs: Any) -> None:
        raise RuntimeError("the audit log is down")

    monkeypatch.setattr(services, "audit", broken_audit)
    with pytest.raises(RuntimeError):
        services.person_anonymize(actor=tenant_a.curator, person=tenant_a.mentee_person)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not AuditEntry.objects.filter(action="api_token.revoke").exists()
    tenant_a.mentee.refresh_from_db()
    assert tenant_a.mentee.is_active
    assert api_token_authenticate(key) is not None


def test_the_head_may_not_withdraw(tenant_a: Any) -> None:
    person = tenant_a.student
    consent = _consent(person)
    client = login(tenant_a.head)
    assert client.get(_url(consent)).status_code == 403
    assert client.post(_url(consent), {"last_name": person.last_name}).status_code == 403
    assert not _anonymized(person)
    with pytest.raises(PermissionDenied):
        consent_withdraw(actor=tenant_a.head, consent=consent)
    page = client.get(reverse("consents:person", kwargs={"person_id": person.pk}))
    assert _url(consent) not in page.content.decode()


def test_a_curator_may_not_withdraw_their_own_consent(tenant_a: Any) -> None:
    own = PersonFactory(
        organization=tenant_a.organization,
        user=tenant_a.curator,
        category="staff",
        last_name="Кураторова",
    )
    consent = _consent(own)
    response = login(tenant_a.curator).post(_url(consent), {"last_name": "Кураторова"})
    assert response.status_code == 400
    assert "собственное согласие" in response.content.decode()
    assert not _anonymized(own)
    tenant_a.curator.refresh_from_db()
    assert tenant_a.curator.is_active
    with pytest.raises(ValidationError):
        consent_withdraw(actor=tenant_a.curator, consent=consent)


def test_an_employees_processing_consent_is_for_the_administrator(
    tenant_a: Any, admin_user: Any
) -> None:
    colleague = tenant_a.mentor_person  # a teacher who signs in
    consent = _consent(colleague)
    client = login(tenant_a.curator)
    page = client.get(_url(consent)).content.decode()
    assert 'id="withdraw-refusal"' in page
    assert "администратор" in page
    assert 'id="withdraw-form"' not in page
    response = client.post(_url(consent), {"last_name": colleague.last_name})
    assert response.status_code == 400
    assert not _anonymized(colleague)
    tenant_a.mentor.refresh_from_db()
    assert tenant_a.mentor.is_active
    with pytest.raises(ValidationError, match="администратор"):
        consent_withdraw(actor=tenant_a.curator, consent=consent)
    # The administrator may: the page is the same, the service lets them.
    response = login(admin_user).post(_url(consent), {"last_name": colleague.last_name})
    assert response.status_code == 302
    assert _anonymized(colleague)


def test_a_head_with_a_login_in_another_category_counts_as_an_employee(tenant_a: Any) -> None:
    person = PersonFactory(
        organization=tenant_a.organization, user=tenant_a.head, category="employer_specialist"
    )
    consent = _consent(person)
    with pytest.raises(ValidationError):
        consent_withdraw(actor=tenant_a.curator, consent=consent)


def test_an_employees_photo_consent_is_withdrawn_by_the_curator(tenant_a: Any) -> None:
    other = MembershipFactory(role=Role.MENTOR, organization=tenant_a.organization)
    colleague: Any = TeacherFactory(organization=tenant_a.organization, user=other.user)
    photo = _consent(colleague, ConsentPurpose.PHOTO)
    response = login(tenant_a.curator).post(_url(photo), {"last_name": colleague.last_name})
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.withdrawn_on is not None
    assert not _anonymized(colleague)


def test_another_organizations_curator_gets_404(tenant_a: Any, tenant_b: Any) -> None:
    consent = _consent(tenant_a.student)
    client = login(tenant_b.curator)
    assert client.get(_url(consent)).status_code == 404
    assert client.post(_url(consent), {"last_name": tenant_a.student.last_name}).status_code == 404
    assert not _anonymized(tenant_a.student)
