"""The API's organizations and territories, a pair's meeting log and plan, events, flash and
speed mentoring, the library and the bank of ideas: each answers what the pages show, 404 to
another organization's token (real JSON bodies, nothing of the victim changed) and 403 to a
read-only token on every write."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from nastavnik.events.models import Registration
from nastavnik.pairwork.models import Attendance, Meeting, MeetingStatus, Task
from nastavnik.quickmentoring.models import BookingStatus, FlashBooking
from tests.api.helpers import patch, post, token_client
from tests.conftest import Tenant, make_tenant
from tests.events.factories import event, registration
from tests.ideas.factories import idea
from tests.isolation import victim_fingerprint
from tests.pairwork.factories import goal, meeting, task, working_pair
from tests.quickmentoring.factories import session_with_people, slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def read_only(tenant_a: Tenant) -> Client:
    return token_client(tenant_a.curator, organization=tenant_a.organization, can_write=False)


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_organizations_and_territories_in_scope(
    tenant_a: Tenant, tenant_b: Tenant, mine: Client, admin_user: Any
) -> None:
    a, b = tenant_a.organization, tenant_b.organization
    assert ids(mine.get("/api/v1/organizations/")) == [a.pk]
    assert mine.get(f"/api/v1/organizations/{a.pk}").json()["code"] == a.code
    assert mine.get(f"/api/v1/organizations/{b.pk}").status_code == 404
    # A school's token reads no territory (its organization carries the territory's id).
    assert ids(mine.get("/api/v1/territories/")) == []
    assert mine.get(f"/api/v1/territories/{a.territory_id}").status_code == 404
    # A territory token reads the organizations of its territory and the territory itself.
    neighbour = make_tenant("c", territory=a.territory)
    regional = token_client(admin_user, territory=a.territory, can_write=False)
    assert sorted(ids(regional.get("/api/v1/organizations/"))) == sorted(
        [a.pk, neighbour.organization.pk]
    )
    page = regional.get(f"/api/v1/organizations/?territory_id={a.territory_id}&limit=1").json()
    assert page["count"] == 2
    assert len(page["items"]) == 1
    assert regional.get(f"/api/v1/organizations/{b.pk}").status_code == 404
    assert ids(regional.get("/api/v1/territories/")) == [a.territory_id]
    territory = regional.get(f"/api/v1/territories/{a.territory_id}").json()
    assert territory["name"] == a.territory.name
    assert regional.get(f"/api/v1/territories/{b.territory_id}").status_code == 404


def test_a_meeting_is_logged_and_marked_held(
    tenant_a: Tenant, mine: Client, outsider: Client, read_only: Client
) -> None:
    pair = working_pair(tenant_a)
    mentor, mentee = tenant_a.mentor_person.pk, tenant_a.mentee_person.pk
    # A meeting that was held, logged afterwards with its attendance.
    held_at = (timezone.now() - dt.timedelta(days=1)).replace(microsecond=0)
    body = {
        "mentorship_id": pair.pk,
        "starts_at": held_at.isoformat(),
        "topic": "Разбор контрольной",
        "held": True,
        "notes": "Разобрали ошибки",
        "private_notes": "Ученик устал",
        "present_person_ids": [mentor],
    }
    assert post(outsider, "/api/v1/pairwork/meetings", body).status_code == 404
    assert post(read_only, "/api/v1/pairwork/meetings", body).status_code == 403
    stranger = {**body, "present_person_ids": [tenant_a.student.pk]}
    assert post(mine, "/api/v1/pairwork/meetings", stranger).status_code == 422
    logged = post(mine, "/api/v1/pairwork/meetings", body)
    assert logged.status_code == 201, logged.content
    detail = mine.get(f"/api/v1/pairwork/meetings/{logged.json()['id']}").json()
    assert detail["status"] == "held"
    assert detail["notes"] == "Разобрали ошибки"
    assert detail["private_notes"] == "Ученик устал"
    assert detail["attendance"] == [
        {"person_id": p, "present": p == mentor} for p in sorted([mentor, mentee])
    ]
    # The mentee reads the meeting without the mentor's private notes and may not change it.
    pupil = token_client(tenant_a.mentee, organization=tenant_a.organization)
    seen = pupil.get(f"/api/v1/pairwork/meetings/{logged.json()['id']}").json()
    assert seen["private_notes"] is None
    # A planned meeting that has begun is marked held with notes and attendance.
    planned = meeting(
        pair, starts_at=timezone.now() - dt.timedelta(hours=1), status=MeetingStatus.PLANNED
    )
    url = f"/api/v1/pairwork/meetings/{planned.pk}"
    mark = {"status": "held", "notes": "Составили план", "present_person_ids": [mentor, mentee]}
    assert patch(pupil, url, mark).status_code == 403
    before = victim_fingerprint(tenant_a)
    assert outsider.get(url).status_code == 404
    assert patch(outsider, url, mark).status_code == 404
    assert patch(read_only, url, mark).status_code == 403
    assert victim_fingerprint(tenant_a) == before
    done = patch(mine, url, mark)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "held"
    assert done.json()["notes"] == "Составили план"
    assert set(
        Attendance.objects.filter(meeting=planned, present=True).values_list("person_id", flat=True)
    ) == {mentor, mentee}
    again = patch(mine, url, mark)
    assert again.status_code == 422
    assert "запланированн" in again.json()["detail"].lower()
    # A planned meeting in the future is cancelled.
    future = meeting(
        pair, starts_at=timezone.now() + dt.timedelta(days=3), status=MeetingStatus.PLANNED
    )
    cancelled = patch(mine, f"/api/v1/pairwork/meetings/{future.pk}", {"status": "cancelled"})
    assert cancelled.json()["status"] == "cancelled"
    assert Meeting.objects.get(pk=future.pk).status == MeetingStatus.CANCELLED
    assert patch(mine, url, {"status": "planned"}).status_code == 422


def test_a_task_of_the_plan_is_ticked_off(
    tenant_a: Tenant, mine: Client, outsider: Client, read_only: Client
) -> None:
    pair = working_pair(tenant_a)
    item = task(goal(pair))
    url = f"/api/v1/pairwork/tasks/{item.pk}"
    assert patch(outsider, url, {"done": True}).status_code == 404
    assert patch(read_only, url, {"done": True}).status_code == 403
    assert Task.objects.get(pk=item.pk).status == "open"
    response = patch(mine, url, {"done": True, "evidence_link": "https://example.org/work"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "done"
    assert response.json()["done_on"] == timezone.localdate().isoformat()
    plan = mine.get(f"/api/v1/pairwork/pairs/{pair.pk}").json()
    assert plan["goals"][0]["tasks"][0]["status"] == "done"
    assert patch(mine, url, {"done": False}).json()["status"] == "open"


def test_events_show_counts_and_register_once(
    tenant_a: Tenant, tenant_b: Tenant, mine: Client, outsider: Client, read_only: Client
) -> None:
    own = event(tenant_a.organization, seat_limit=2)
    registration(own, tenant_a.mentor)
    assert ids(mine.get("/api/v1/events/")) == [own.pk]
    shown = mine.get(f"/api/v1/events/{own.pk}").json()
    assert shown["registrations_count"] == 1
    assert shown["seats_left"] == 1
    assert shown["registered"] is False
    # Another organization's token: no event, no registration, nothing changed.
    assert ids(outsider.get("/api/v1/events/")) == []
    assert outsider.get(f"/api/v1/events/{own.pk}").status_code == 404
    before = victim_fingerprint(tenant_a)
    assert post(outsider, "/api/v1/events/registrations", {"event_id": own.pk}).status_code == 404
    assert victim_fingerprint(tenant_a) == before
    assert post(read_only, "/api/v1/events/registrations", {"event_id": own.pk}).status_code == 403
    # The caller registers; a retry with the same key is answered again, not registered twice.
    key = {"Idempotency-Key": "event-1"}
    first = post(mine, "/api/v1/events/registrations", {"event_id": own.pk}, **key)
    again = post(mine, "/api/v1/events/registrations", {"event_id": own.pk}, **key)
    assert first.status_code == again.status_code == 201, first.content
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Registration.objects.filter(event=own, user=tenant_a.curator).count() == 1
    shown = mine.get(f"/api/v1/events/{own.pk}").json()
    assert (shown["registrations_count"], shown["seats_left"], shown["registered"]) == (2, 0, True)
    # Without the key, a second registration is refused by the service (in Russian).
    refused = post(mine, "/api/v1/events/registrations", {"event_id": own.pk})
    assert refused.status_code == 422
    assert "уже" in refused.json()["detail"]
    # An event open to the municipality: a neighbour school sees it and its count, never who.
    open_event = event(tenant_a.organization, open_to_municipality=True, title="Открытый семинар")
    registration(open_event, tenant_a.mentor)
    neighbour = make_tenant("c", territory=tenant_a.organization.territory)
    theirs = token_client(neighbour.curator, organization=neighbour.organization)
    listing = theirs.get("/api/v1/events/")
    assert ids(listing) == [open_event.pk]
    assert listing.json()["items"][0]["registrations_count"] == 1
    assert tenant_a.mentor.last_name not in listing.content.decode()
    assert theirs.get(f"/api/v1/events/{own.pk}").status_code == 404
    made = post(theirs, "/api/v1/events/registrations", {"event_id": open_event.pk})
    assert made.status_code == 201, made.content
    assert (
        ids(
            token_client(tenant_b.curator, organization=tenant_b.organization).get(
                "/api/v1/events/"
            )
        )
        == []
    )


def test_flash_slots_are_read_and_booked(
    tenant_a: Tenant, tenant_b: Tenant, mine: Client, outsider: Client, read_only: Client
) -> None:
    offered = slot(tenant_a, seats=1)
    listing = mine.get("/api/v1/quick/slots")
    assert ids(listing) == [offered.pk]
    assert listing.json()["items"][0]["booked"] == 0
    assert ids(outsider.get("/api/v1/quick/slots")) == []
    assert outsider.get(f"/api/v1/quick/slots/{offered.pk}").status_code == 404
    body = {"slot_id": offered.pk, "person_id": tenant_a.student.pk}
    before = victim_fingerprint(tenant_a)
    assert post(outsider, "/api/v1/quick/bookings", body).status_code == 404
    assert post(outsider, "/api/v1/quick/bookings", {"slot_id": offered.pk}).status_code == 404
    assert victim_fingerprint(tenant_a) == before
    assert post(read_only, "/api/v1/quick/bookings", body).status_code == 403
    # Another organization's person on one's own slot: 404, as that person does not exist here.
    foreign = {"slot_id": offered.pk, "person_id": tenant_b.student.pk}
    assert post(mine, "/api/v1/quick/bookings", foreign).status_code == 404
    key = {"Idempotency-Key": "slot-1"}
    first = post(mine, "/api/v1/quick/bookings", body, **key)
    again = post(mine, "/api/v1/quick/bookings", body, **key)
    assert first.status_code == again.status_code == 201, first.content
    assert first.json() == again.json()
    assert first.json()["person_id"] == tenant_a.student.pk
    assert FlashBooking.objects.filter(slot=offered, status=BookingStatus.BOOKED).count() == 1
    assert mine.get(f"/api/v1/quick/slots/{offered.pk}").json()["booked"] == 1
    # The one seat is taken: the service refuses the next person, in Russian.
    full = post(mine, "/api/v1/quick/bookings", {**body, "person_id": tenant_a.mentee_person.pk})
    assert full.status_code == 422
    assert "занят" in full.json()["detail"].lower() or "мест" in full.json()["detail"].lower()


def test_speed_sessions_are_read_by_who_runs_them(
    tenant_a: Tenant, mine: Client, outsider: Client
) -> None:
    session = session_with_people(tenant_a, mentors=2, mentees=3)
    assert ids(mine.get("/api/v1/quick/sessions")) == [session.pk]
    detail = mine.get(f"/api/v1/quick/sessions/{session.pk}").json()
    assert detail["participants_count"] == 5
    assert detail["rotation_generated"] is False
    assert ids(outsider.get("/api/v1/quick/sessions")) == []
    assert outsider.get(f"/api/v1/quick/sessions/{session.pk}").status_code == 404
    # A mentor who does not take part does not see it.
    teacher = token_client(tenant_a.mentor, organization=tenant_a.organization)
    assert teacher.get(f"/api/v1/quick/sessions/{session.pk}").status_code == 404


def test_library_and_ideas_are_read_in_scope(
    tenant_a: Tenant, mine: Client, outsider: Client
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from nastavnik.library.services import resource_create

    resource = resource_create(
        actor=tenant_a.curator,
        organization_id=tenant_a.organization.pk,
        title="Памятка наставника школы",
        body="Как готовиться к первой встрече",
        upload=SimpleUploadedFile("pamyatka.txt", "Памятка".encode()),
    )
    found = mine.get("/api/v1/library/resources?query=встречи")
    assert resource.pk in ids(found)
    assert mine.get(f"/api/v1/library/resources/{resource.pk}").json()["has_attachment"] is True
    assert resource.pk not in ids(outsider.get("/api/v1/library/resources"))
    assert outsider.get(f"/api/v1/library/resources/{resource.pk}").status_code == 404

    posted = idea(tenant_a, tags=["Наставничество"])
    listing = mine.get("/api/v1/ideas/?tag=наставничество").json()
    assert [i["id"] for i in listing["items"]] == [posted.pk]
    assert listing["items"][0]["tags"] == ["наставничество"]
    assert ids(outsider.get("/api/v1/ideas/")) == []
    assert outsider.get(f"/api/v1/ideas/{posted.pk}").status_code == 404
    # A pupil is no colleague: the bank of ideas is not theirs.
    pupil = token_client(tenant_a.mentee, organization=tenant_a.organization)
    assert pupil.get(f"/api/v1/ideas/{posted.pk}").status_code == 404
