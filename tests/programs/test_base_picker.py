"""Choosing a person for a base: a search over the people who may join it, not a list of 570."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nastavnik.programs.services import enrolment_upsert
from tests.conftest import Tenant, login
from tests.factories import PersonFactory, ProgramFactory, consents_grant

pytestmark = pytest.mark.django_db


def test_the_search_finds_candidates_by_any_part_of_the_name_with_yo(tenant_a: Tenant) -> None:
    program = ProgramFactory.create(
        organization=tenant_a.organization, form__code="student-student"
    )
    org = tenant_a.organization
    found = PersonFactory.create(organization=org, last_name="Ёлкина", first_name="Дарья")
    in_base = PersonFactory.create(organization=org, last_name="Елкин", first_name="Иван")
    PersonFactory.create(organization=org, last_name="Смирнова", first_name="Дарья")
    consents_grant(in_base)
    enrolment_upsert(actor=tenant_a.curator, program=program, person=in_base, role="mentee")
    url = reverse("programs:base_choices", kwargs={"program_id": program.pk})
    body = login(tenant_a.curator).get(url, {"role": "mentee", "q": "елкин"}).content.decode()
    assert found.full_name in body
    assert "Смирнова" not in body
    assert in_base.full_name not in body  # already in the base of mentees
    # the bases page offers the search beside the list
    page = login(tenant_a.curator).get(reverse("programs:base", kwargs={"program_id": program.pk}))
    assert f"{url}?role=mentee" in page.content.decode()


def test_only_the_curator_searches_and_other_organizations_get_404(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    program = ProgramFactory.create(organization=tenant_a.organization)
    url = reverse("programs:base_choices", kwargs={"program_id": program.pk})
    assert login(tenant_b.curator).get(url, {"role": "mentee"}).status_code == 404
    assert login(tenant_a.head).get(url, {"role": "mentee"}).status_code == 403
    assert login(tenant_a.curator).get(url, {"role": "nobody"}).status_code == 404
