"""The speed-mentoring schedule as a PDF: parsed back with pypdf, it carries every participant's
name with their partners and the rounds' times (in the organization's time zone), by person and by
table; a participant downloads only their own card."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest
from django.urls import reverse
from pypdf import PdfReader

from nastavnik.quickmentoring.models import SpeedSeat
from nastavnik.quickmentoring.services import rotation_generate
from tests.conftest import Tenant, login
from tests.quickmentoring.factories import participant, session_with_people

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    # pypdf may break a line anywhere; compare without the whitespace.
    return "".join("".join(page.extract_text() for page in reader.pages).split())


def _squeeze(value: str) -> str:
    return "".join(value.split())


def test_the_pdf_by_person_and_by_table(tenant_a: Tenant) -> None:
    tenant_a.organization.time_zone = "Asia/Yekaterinburg"
    tenant_a.organization.save()
    zone = zoneinfo.ZoneInfo("Asia/Yekaterinburg")
    starts = dt.datetime(2030, 3, 14, 15, 0, tzinfo=zone)
    s = session_with_people(
        tenant_a, mentors=2, mentees=3, tables=2, rounds=3, round_minutes=8, starts_at=starts
    )
    rotation_generate(actor=tenant_a.curator, session=s)
    url = reverse("quickmentoring:session_pdf", kwargs={"session_id": s.pk})
    curator = login(tenant_a.curator)

    response = curator.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _text(response.content)
    assert _squeeze("14.03.2030") in text
    for label in ("15:00–15:08", "15:08–15:16", "15:16–15:24"):
        assert label in text
    for p in s.participants.select_related("person"):
        assert _squeeze(p.person.full_name) in text
    # Every meeting is on the card of both: «table N» and the partner's name in that round.
    seat = SpeedSeat.objects.filter(session=s, round_number=2).select_related(
        "first__person", "second__person"
    )[0]
    assert _squeeze(f"215:08–15:16{seat.table_number}{seat.second.person.full_name}") in text

    by_table = _text(curator.get(url, {"by": "table"}).content)
    assert _squeeze("Стол 1") in by_table
    assert _squeeze("Стол 2") in by_table
    for seat in SpeedSeat.objects.filter(session=s).select_related(
        "first__person", "second__person"
    ):
        assert _squeeze(f"{seat.first.person.full_name}—{seat.second.person.full_name}") in (
            by_table
        )
    assert "15:16–15:24" in by_table


def test_a_participant_downloads_only_their_card(tenant_a: Tenant) -> None:
    s = session_with_people(tenant_a, mentors=1, mentees=3, tables=1, rounds=2)
    me = participant(s, tenant_a.mentor_person, "mentor")
    rotation_generate(actor=tenant_a.curator, session=s)
    url = reverse("quickmentoring:session_pdf", kwargs={"session_id": s.pk})
    mentor = login(tenant_a.mentor)
    text = _text(mentor.get(url).content)
    assert _squeeze(me.person.full_name) in text
    met = {
        (seat.second if seat.first_id == me.pk else seat.first).person.full_name
        for seat in SpeedSeat.objects.filter(session=s).select_related(
            "first__person", "second__person"
        )
        if me.pk in (seat.first_id, seat.second_id)
    }
    others = {p.person.full_name for p in s.participants.select_related("person") if p.pk != me.pk}
    for name in met:
        assert _squeeze(name) in text
    for name in others - met:
        assert _squeeze(name) not in text
    # «By table» is the staff's: a participant still gets only their card.
    assert _text(mentor.get(url, {"by": "table"}).content) == text
    assert login(tenant_a.mentee).get(url).status_code == 404
