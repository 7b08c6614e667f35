"""Consents: validity, the gates, withdrawal and anonymization, subject access."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nastavnik.consents.models import Consent, ConsentPurpose, GivenBy
from nastavnik.consents.selectors import (
    consent_attention_list,
    has_valid_consent,
    people_with_valid_consent,
    processing_block_reason,
)
from nastavnik.consents.services import consent_record, consent_withdraw
from nastavnik.core.audit import audit
from nastavnik.core.models import AuditEntry
from nastavnik.people.models import Kinship, Person, PersonCategory, Profile
from nastavnik.people.selectors import person_list
from nastavnik.programs.models import Enrolment, EnrolmentRole, EnrolmentStatus
from nastavnik.programs.services import enrolment_upsert, program_get_or_create_current
from tests.conftest import login
from tests.factories import PersonFactory, consents_grant, form
from tests.people.factories import kinship

SEPT = dt.date(2026, 9, 1)


def record(tenant: Any, person: Person, purpose: str, **extra: Any) -> Consent:
    minor = person.category == PersonCategory.STUDENT
    defaults: dict[str, Any] = {
        "given_on": SEPT,
        "given_by": GivenBy.PARENT if minor else GivenBy.PERSON,
        "representative_name": "Секретова Мария Ивановна" if minor else "",
    }
    return consent_record(
        actor=tenant.curator, person=person, purpose=purpose, **{**defaults, **extra}
    )


def test_validity_in_time(tenant_a: Any) -> None:
    pupil = tenant_a.student
    record(tenant_a, pupil, ConsentPurpose.PERSONAL_DATA, valid_until=dt.date(2027, 5, 31))
    assert has_valid_consent(pupil, ConsentPurpose.PERSONAL_DATA, on=dt.date(2026, 10, 1))
    assert not has_valid_consent(pupil, ConsentPurpose.PERSONAL_DATA, on=dt.date(2026, 8, 31))
    assert not has_valid_consent(pupil, ConsentPurpose.PERSONAL_DATA, on=dt.date(2027, 6, 1))
    assert not has_valid_consent(pupil, ConsentPurpose.PHOTO, on=dt.date(2026, 10, 1))


def test_the_bulk_check_needs_every_purpose(tenant_a: Any) -> None:
    both, one = tenant_a.student, tenant_a.mentee_person
    consents_grant(both)
    record(tenant_a, one, ConsentPurpose.PERSONAL_DATA)
    ids = [both.pk, one.pk, tenant_a.mentor_person.pk]
    day = dt.date(2026, 10, 1)
    assert people_with_valid_consent(ids, on=day) == {both.pk}
    assert people_with_valid_consent(ids, ConsentPurpose.PERSONAL_DATA, on=day) == {
        both.pk,
        one.pk,
    }


def test_a_minor_s_consent_is_given_by_a_parent_with_a_name(tenant_a: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        record(tenant_a, tenant_a.student, ConsentPurpose.PERSONAL_DATA, given_by=GivenBy.PERSON)
    assert "несовершеннолетний" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        record(
            tenant_a,
            tenant_a.student,
            ConsentPurpose.PERSONAL_DATA,
            given_by=GivenBy.PARENT,
            representative_name=" ",
        )
    assert "ФИО родителя" in str(caught.value)
    consent = record(tenant_a, tenant_a.student, ConsentPurpose.PERSONAL_DATA)
    assert consent.text.version == "2026-1"
    assert consent.representative_name == "Секретова Мария Ивановна"
    assert AuditEntry.objects.filter(action="consent.record", person_id=tenant_a.student.pk)


def test_only_staff_record_consents(tenant_a: Any, tenant_b: Any) -> None:
    with pytest.raises(PermissionDenied):
        consent_record(
            actor=tenant_a.mentor,
            person=tenant_a.mentor_person,
            purpose=ConsentPurpose.PERSONAL_DATA,
            given_on=SEPT,
        )
    with pytest.raises(PermissionDenied):
        record(tenant_b, tenant_a.mentor_person, ConsentPurpose.PERSONAL_DATA)


def test_no_consent_no_enrolment(tenant_a: Any) -> None:
    program, _ = program_get_or_create_current(
        actor=tenant_a.curator, organization=tenant_a.organization, form=form("teacher-student")
    )
    with pytest.raises(ValidationError) as caught:
        enrolment_upsert(
            actor=tenant_a.curator,
            program=program,
            person=tenant_a.student,
            role=EnrolmentRole.MENTEE,
        )
    message = caught.value.messages[0]
    assert "нет действующего согласия" in message
    assert "обработка персональных данных" in message
    assert not Enrolment.objects.filter(person=tenant_a.student).exists()
    consents_grant(tenant_a.student)
    enrolment, changed = enrolment_upsert(
        actor=tenant_a.curator,
        program=program,
        person=tenant_a.student,
        role=EnrolmentRole.MENTEE,
    )
    assert changed
    assert enrolment.status == EnrolmentStatus.CANDIDATE
    assert processing_block_reason(tenant_a.student) is None


def test_the_attention_list(tenant_a: Any, tenant_b: Any) -> None:
    consents_grant(tenant_a.mentor_person)
    record(
        tenant_a, tenant_a.student, ConsentPurpose.PERSONAL_DATA, valid_until=dt.date(2026, 10, 10)
    )
    record(tenant_a, tenant_a.student, ConsentPurpose.PARTICIPATION)
    states = {
        s.person.pk: s
        for s in consent_attention_list(user=tenant_a.curator, on=dt.date(2026, 10, 1))
    }
    assert tenant_a.mentor_person.pk not in states
    assert states[tenant_a.student.pk].expiring == [("personal_data", dt.date(2026, 10, 10))]
    assert states[tenant_a.mentee_person.pk].missing == ["personal_data", "participation"]
    assert tenant_b.student.pk not in states
    page = login(tenant_a.curator).get(reverse("consents:list")).content.decode()
    assert tenant_a.mentee_person.last_name in page
    assert tenant_b.student.last_name not in page


def test_withdrawal_anonymizes_everywhere_and_keeps_the_counts(tenant_a: Any) -> None:
    person = tenant_a.mentee_person
    person.email, person.phone = "u@example.ru", "+7 (912) 000-00-00"
    person.save()
    Profile.objects.filter(person=person).update(
        interests="шахматы", request="помощь с алгеброй", notes="тихий"
    )
    consents_grant(person)
    program, _ = program_get_or_create_current(
        actor=tenant_a.curator, organization=tenant_a.organization, form=form("teacher-student")
    )
    enrolment_upsert(actor=tenant_a.curator, program=program, person=person, role="mentee")
    audit(
        actor=tenant_a.curator,
        action="meeting.note",
        person_id=person.pk,
        message="Учениковa плохо себя чувствовала",
        data={"name": person.full_name},
    )
    counts_before = (
        Person.objects.filter(organization=tenant_a.organization, category="student").count(),
        Enrolment.objects.filter(program=program).count(),
        AuditEntry.objects.filter(person_id=person.pk).count(),
    )
    old_name, user = person.last_name, person.user
    consent = Consent.objects.get(person=person, purpose=ConsentPurpose.PERSONAL_DATA)

    response = login(tenant_a.curator).post(
        reverse("consents:withdraw", kwargs={"consent_id": consent.pk}),
        {"last_name": old_name.upper()},
    )
    assert response.status_code == 302

    person.refresh_from_db()
    assert person.anonymized_at is not None
    assert person.last_name.startswith("Обезличено")
    assert (person.first_name, person.middle_name, person.birth_date) == ("", "", None)
    assert (person.snils, person.email, person.phone, person.user) == ("", "", "", None)
    assert person.category == "student"
    assert person.organization == tenant_a.organization
    profile = Profile.objects.get(person=person)
    assert (profile.interests, profile.request, profile.notes) == ("", "", "")
    user.refresh_from_db()
    assert not user.is_active
    assert old_name not in user.get_full_name()
    for entry in AuditEntry.objects.filter(person_id=person.pk):
        assert entry.message == ""
        assert old_name not in json.dumps(entry.data, ensure_ascii=False)
    assert not Consent.objects.filter(person=person, withdrawn_on__isnull=True).exists()
    assert Enrolment.objects.get(person=person).status == EnrolmentStatus.WITHDRAWN
    counts_after = (
        Person.objects.filter(organization=tenant_a.organization, category="student").count(),
        Enrolment.objects.filter(program=program).count(),
        AuditEntry.objects.filter(person_id=person.pk).count() - 2,  # withdraw + anonymize
    )
    assert counts_after == counts_before
    # Processing stops at once.
    assert not people_with_valid_consent([person.pk])
    assert person not in person_list(user=tenant_a.curator)
    assert "обезличены" in (processing_block_reason(person) or "")
    with pytest.raises(ValidationError):
        enrolment_upsert(actor=tenant_a.curator, program=program, person=person, role="mentee")


def test_withdrawing_the_photo_consent_does_not_anonymize(tenant_a: Any) -> None:
    consent = record(tenant_a, tenant_a.mentor_person, ConsentPurpose.PHOTO)
    consent_withdraw(actor=tenant_a.curator, consent=consent)
    tenant_a.mentor_person.refresh_from_db()
    assert tenant_a.mentor_person.anonymized_at is None
    assert not has_valid_consent(tenant_a.mentor_person, ConsentPurpose.PHOTO)


def test_the_person_page_records_a_consent(tenant_a: Any) -> None:
    client = login(tenant_a.curator)
    url = reverse("consents:person", kwargs={"person_id": tenant_a.student.pk})
    page = client.get(url).content.decode()
    assert "нет действующего согласия" in page
    response = client.post(
        url,
        {"purpose": "personal_data", "given_by": "person", "given_on": "01.09.2026"},
    )
    assert "несовершеннолетний" in response.content.decode()
    response = client.post(
        url,
        {
            "purpose": "personal_data",
            "given_by": "parent",
            "representative_name": "Секретова Мария Ивановна",
            "given_on": "01.09.2026",
        },
    )
    assert response.status_code == 302
    assert Consent.objects.filter(person=tenant_a.student).count() == 1
    assert login(tenant_a.mentor).get(url).status_code in (403, 404)
    person_page = client.get(reverse("people:detail", kwargs={"person_id": tenant_a.student.pk}))
    assert "Согласия и персональные данные" in person_page.content.decode()


def test_the_printable_form(tenant_a: Any) -> None:
    url = reverse("consents:form_pdf", kwargs={"person_id": tenant_a.student.pk})
    response = login(tenant_a.curator).get(url + "?purpose=participation")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert login(tenant_a.curator).get(url + "?purpose=nothing").status_code == 404


def test_the_subject_access_export(tenant_a: Any) -> None:
    person = tenant_a.mentee_person
    consents_grant(person)
    url = reverse("consents:person_data", kwargs={"person_id": person.pk})
    data = json.loads(login(tenant_a.curator).get(url).content)
    assert data["person"]["last_name"] == person.last_name
    assert data["person"]["snils"] == person.snils
    assert {c["purpose"] for c in data["consents"]} == {"personal_data", "participation"}
    own = login(tenant_a.mentee).get(url)
    assert own.status_code == 200, "a person downloads their own data"
    other = reverse("consents:person_data", kwargs={"person_id": tenant_a.student.pk})
    assert login(tenant_a.mentee).get(other).status_code == 404
    assert (
        AuditEntry.objects.filter(action="person.subject_access", person_id=person.pk).count() == 2
    )


def test_a_consent_lasts_until_the_end_of_the_academic_year_by_default(tenant_a: Any) -> None:
    consent = record(tenant_a, tenant_a.mentor_person, ConsentPurpose.PARTICIPATION)
    assert consent.valid_until == dt.date(2027, 8, 31)
    spring = record(
        tenant_a, tenant_a.mentor_person, ConsentPurpose.PHOTO, given_on=dt.date(2027, 3, 1)
    )
    assert spring.valid_until == dt.date(2027, 8, 31)


def test_the_consent_api(tenant_a: Any, tenant_b: Any) -> None:
    url = f"/api/v1/consents/people/{tenant_a.student.pk}"
    data = login(tenant_a.curator).get(url).json()
    assert data["may_be_processed"] is False
    assert data["missing"] == ["personal_data", "participation"]
    consents_grant(tenant_a.student)
    data = login(tenant_a.curator).get(url).json()
    assert data["may_be_processed"] is True
    assert len(data["consents"]) == 2
    assert login(tenant_b.curator).get(url).status_code == 404
    assert login(tenant_a.mentor).get(url).status_code in (403, 404)


def test_anonymization_deletes_the_persons_relatives_links(tenant_a: Any) -> None:
    person = tenant_a.mentee_person
    consents_grant(person)
    sister = PersonFactory(organization=tenant_a.organization)
    kinship(person, tenant_a.mentor_person, "parent_child")
    kinship(sister, person, "siblings")
    others = kinship(sister, tenant_a.student, "siblings")
    consent = Consent.objects.get(person=person, purpose=ConsentPurpose.PERSONAL_DATA)
    consent_withdraw(actor=tenant_a.curator, consent=consent)
    # Only the links of the anonymized person go; other people's links stay.
    assert list(Kinship.objects.all()) == [others]
