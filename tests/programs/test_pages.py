"""Every page of a program with data in it renders for its curator, and for its head read-only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from nastavnik.programs.models import (
    ContourArea,
    ContourTask,
    Partner,
    Program,
    RoadmapItem,
    Tandem,
    TandemMember,
    TrainingSession,
)
from nastavnik.programs.services import enrolment_upsert
from tests.conftest import Tenant, login
from tests.factories import TeacherFactory
from tests.programs.conftest import give_consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(tenant_a: Tenant, program: Program) -> dict[str, int]:
    organization = tenant_a.organization
    mentor = TeacherFactory.create(organization=organization)
    for person, role in ((mentor, "mentor"), (tenant_a.student, "mentee")):
        give_consent(tenant_a.curator, person)
        enrolment_upsert(actor=tenant_a.curator, program=program, person=person, role=role)
    item = RoadmapItem.objects.create(
        organization=organization, program=program, title="Совещание", due_on=dt.date(2020, 9, 1)
    )
    task = ContourTask.objects.create(
        organization=organization, program=program, area=ContourArea.PARTNERS, title="Договор"
    )
    partner = Partner.objects.create(organization=organization, program=program, name="Вуз")
    session = TrainingSession.objects.create(
        organization=organization, program=program, title="Занятие", held_on=dt.date(2026, 10, 1)
    )
    tandem = Tandem.objects.create(organization=organization, program=program, name="Тандем")
    for person in (mentor, tenant_a.mentor_person):
        TandemMember.objects.create(organization=organization, tandem=tandem, person=person)
    return {
        "program_id": program.pk,
        "enrolment_id": program.enrolments.get(role="mentor").pk,
        "roadmap_item_id": item.pk,
        "contour_task_id": task.pk,
        "partner_id": partner.pk,
        "training_session_id": session.pk,
        "tandem_id": tandem.pk,
        "organization_id": organization.pk,
    }


PAGES = [
    ("programs:list", ()),
    ("programs:create", ()),
    ("programs:catalogue", ()),
    ("programs:detail", ("program_id",)),
    ("programs:edit", ("program_id",)),
    ("programs:stages", ("program_id",)),
    ("programs:base", ("program_id",)),
    ("programs:enrolment_edit", ("enrolment_id",)),
    ("programs:roadmap", ("program_id",)),
    ("programs:roadmap_item", ("roadmap_item_id",)),
    ("programs:contours", ("program_id",)),
    ("programs:contour_task", ("contour_task_id",)),
    ("programs:partner", ("partner_id",)),
    ("programs:training", ("program_id",)),
    ("programs:training_session", ("training_session_id",)),
    ("programs:tandems", ("program_id",)),
    ("programs:tandem", ("tandem_id",)),
    ("documents:program", ("program_id",)),
    ("documents:templates", ("organization_id",)),
]


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_the_curator_opens_every_page(
    tenant_a: Tenant, filled: dict[str, int], name: str, kwargs: tuple[str, ...]
) -> None:
    url = reverse(name, kwargs={k: filled[k] for k in kwargs})
    assert login(tenant_a.curator).get(url).status_code == 200


def test_the_pairs_order_form_lists_the_mentees(tenant_a: Tenant, filled: dict[str, int]) -> None:
    url = reverse("documents:generate", args=[filled["program_id"], "pairs-order"])
    body = login(tenant_a.curator).get(url).content.decode()
    assert tenant_a.student.full_name in body


@pytest.mark.parametrize(
    "name",
    [
        "programs:stages",
        "programs:base",
        "programs:roadmap",
        "programs:training",
        "programs:tandems",
        "programs:contours",
    ],
)
def test_the_head_reads_without_forms(tenant_a: Tenant, filled: dict[str, int], name: str) -> None:
    response = login(tenant_a.head).get(reverse(name, args=[filled["program_id"]]))
    assert response.status_code == 200
    assert 'type="submit"' not in response.content.decode().split("<main", 1)[1]


def test_the_base_page_takes_a_fixed_number_of_queries(
    tenant_a: Tenant, filled: dict[str, int], django_assert_max_num_queries: object
) -> None:
    client = login(tenant_a.curator)
    url = reverse("programs:base", args=[filled["program_id"]])
    client.get(url)
    with django_assert_max_num_queries(30):  # type: ignore[operator]
        client.get(url)


def test_the_stages_page_takes_a_fixed_number_of_queries(
    tenant_a: Tenant, filled: dict[str, int], django_assert_max_num_queries: object
) -> None:
    client = login(tenant_a.curator)
    url = reverse("programs:stages", args=[filled["program_id"]])
    client.get(url)
    with django_assert_max_num_queries(25):  # type: ignore[operator]
        client.get(url)
