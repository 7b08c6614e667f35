"""The pages: a curator plans a session, generates its rotation and prints it; a participant sees
only their own rounds; the flash list books in one tap and «my slots» shows the booking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from nastavnik.quickmentoring.models import FlashBooking, SpeedSeat, SpeedSession
from tests.conftest import Tenant, login
from tests.quickmentoring.factories import participant, session_with_people, slot

pytestmark = pytest.mark.django_db


def test_a_curator_plans_generates_and_prints(tenant_a: Tenant) -> None:
    client = login(tenant_a.curator)
    starts = timezone.localtime(timezone.now() + dt.timedelta(days=5))
    response = client.post(
        reverse("quickmentoring:sessions"),
        {
            "organization": str(tenant_a.organization.pk),
            "title": "Встречи за чаем",
            "program": "",
            "mode": "peers",
            "tables": "0",
            "rounds": "2",
            "round_minutes": "7",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "place": "",
        },
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 200
    assert "хотя бы один стол" in response.content.decode()
    assert not SpeedSession.objects.exists()

    s = session_with_people(tenant_a, mentors=2, mentees=3, tables=2, rounds=3)
    response = client.post(reverse("quickmentoring:rotation", kwargs={"session_id": s.pk}))
    assert response.status_code == 302
    assert SpeedSeat.objects.filter(session=s).count() == 6
    page = client.get(reverse("quickmentoring:session_print", kwargs={"session_id": s.pk}))
    text = page.content.decode()
    assert page.status_code == 200
    first = SpeedSeat.objects.filter(session=s).first()
    assert first is not None
    assert first.first.person.full_name in text
    assert first.second.person.full_name in text


def test_a_participant_sees_only_their_rounds(tenant_a: Tenant) -> None:
    s = session_with_people(tenant_a, mentors=1, mentees=2, tables=1, rounds=2)
    me = participant(s, tenant_a.mentor_person, "mentor")
    from nastavnik.quickmentoring.services import rotation_generate

    rotation_generate(actor=tenant_a.curator, session=s)
    response = login(tenant_a.mentor).get(
        reverse("quickmentoring:session", kwargs={"session_id": s.pk})
    )
    assert response.status_code == 200
    assert me.person.full_name in response.content.decode()
    # An outsider of the session (the mentee without a seat in it) gets 404.
    assert (
        login(tenant_a.mentee)
        .get(reverse("quickmentoring:session", kwargs={"session_id": s.pk}))
        .status_code
        == 404
    )


def test_book_in_one_tap_and_the_expert_sees_it(tenant_a: Tenant) -> None:
    offered = slot(tenant_a, expert=tenant_a.mentor_person)
    mentee = login(tenant_a.mentee)
    assert mentee.get(reverse("quickmentoring:flash")).status_code == 200
    response = mentee.post(reverse("quickmentoring:flash_book", kwargs={"slot_id": offered.pk}))
    assert response.status_code == 302
    assert FlashBooking.objects.get(slot=offered).person_id == tenant_a.mentee_person.pk
    mine = login(tenant_a.mentor).get(reverse("quickmentoring:flash_mine")).content.decode()
    assert tenant_a.mentee_person.full_name in mine
