"""Partner mentoring: tandem members record their own exchange and shared toolkit, the head sees
the tandems and supports them, and at the fifth step the order fixes a tandem like a pair."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from nastavnik.programs import services
from nastavnik.programs.models import (
    Program,
    Tandem,
    TandemMember,
    TandemNote,
    TandemStep,
    TandemToolItem,
)
from tests.conftest import Tenant, login
from tests.factories import TeacherFactory
from tests.mentorships.orders import order_print

pytestmark = pytest.mark.django_db


def _tandem(tenant: Tenant, program: Program, *, step: int = TandemStep.EXCHANGE) -> Tandem:
    """The tenant's mentor (who has a login) and a colleague."""
    tandem = Tandem.objects.create(
        organization=tenant.organization,
        program=program,
        name="Формирующее оценивание",
        step=step,
        goals="Общий банк заданий" if step == TandemStep.TEAM else "",
    )
    colleague = TeacherFactory.create(organization=tenant.organization, last_name="Коллегова")
    for person in (tenant.mentor_person, colleague):
        TandemMember.objects.create(organization=tenant.organization, tandem=tandem, person=person)
    return tandem


def test_a_member_records_the_exchange_and_the_toolkit_on_the_page(
    tenant_a: Tenant, program: Program
) -> None:
    tandem = _tandem(tenant_a, program)
    client = login(tenant_a.mentor)
    url = reverse("programs:tandem", args=[tandem.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="what" value="note"' in page.content.decode()
    client.post(
        url,
        {
            "what": "note",
            "note-kind": "meeting",
            "note-held_on": "10.10.2026",
            "note-text": "Взаимопосещение уроков",
        },
    )
    client.post(url, {"what": "tool", "tool-title": "Метод кейсов", "tool-tried_on": "20.10.2026"})
    assert TandemNote.objects.get(tandem=tandem).text == "Взаимопосещение уроков"
    assert TandemToolItem.objects.get(tandem=tandem).title == "Метод кейсов"
    # The step stays the curator's.
    response = client.post(
        url,
        {"what": "step", "step-step": TandemStep.TEAM, "step-goals": "x", "step-interest": ""},
    )
    assert response.status_code == 403
    tandem.refresh_from_db()
    assert tandem.step == TandemStep.EXCHANGE
    # The member finds the tandem on their home page.
    home = client.get(reverse("pairwork:home")).content.decode()
    assert "Мои тандемы" in home
    assert reverse("programs:tandem", args=[tandem.pk]) in home


def test_a_teacher_who_is_no_member_gets_404_and_cannot_record(
    tenant_a: Tenant, program: Program
) -> None:
    tandem = _tandem(tenant_a, program)
    TandemMember.objects.filter(tandem=tandem, person=tenant_a.mentor_person).delete()
    client = login(tenant_a.mentor)
    url = reverse("programs:tandem", args=[tandem.pk])
    assert client.get(url).status_code == 404
    response = client.post(
        url, {"what": "note", "note-kind": "note", "note-held_on": "10.10.2026", "note-text": "x"}
    )
    assert response.status_code == 404
    note = TandemNote(tandem=tandem, kind="note", held_on="2026-10-10", text="x")
    with pytest.raises(PermissionDenied):
        services.tandem_note_add(actor=tenant_a.mentor, note=note)
    assert not TandemNote.objects.exists()


def test_the_head_sees_the_tandems_and_supports_them(tenant_a: Tenant, program: Program) -> None:
    tandem = _tandem(tenant_a, program)
    client = login(tenant_a.head)
    listing = client.get(reverse("programs:tandems", args=[program.pk]))
    assert listing.status_code == 200
    assert "Формирующее оценивание" in listing.content.decode()
    url = reverse("programs:tandem", args=[tandem.pk])
    assert client.get(url).status_code == 200
    client.post(
        url,
        {
            "what": "note",
            "note-kind": "event",
            "note-held_on": "12.10.2026",
            "note-text": "Открытый урок тандема на педсовете",
        },
    )
    assert TandemNote.objects.get(tandem=tandem).kind == "event"


def test_the_order_fixes_a_tandem_at_the_fifth_step_like_a_pair(
    tenant_a: Tenant, program: Program
) -> None:
    team = _tandem(tenant_a, program, step=TandemStep.TEAM)
    early = Tandem.objects.create(
        organization=tenant_a.organization, program=program, name="Ещё ищут", step=2
    )
    client = login(tenant_a.curator)
    url = reverse("mentorships:order", kwargs={"program_id": program.pk})
    page = client.get(url).content.decode()
    assert "Формирующее оценивание" in page
    assert "Ещё ищут" not in page
    job, response = order_print(
        client,
        program.pk,
        {"number": "21-н", "signed_on": "01.11.2026", "fmt": "docx", "only_new": "on"},
    )
    assert job.tandems == [team.pk]
    assert response["Content-Disposition"].endswith('.docx"')
    team.refresh_from_db()
    early.refresh_from_db()
    assert (team.order_number, str(team.order_date)) == ("21-н", "2026-11-01")
    assert early.order_number == ""
    detail = client.get(reverse("programs:tandem", args=[team.pk])).content.decode()
    assert "закреплён приказом № 21-н от 01.11.2026" in detail
