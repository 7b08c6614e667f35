"""Two requests with one Idempotency-Key at the same moment, on two real PostgreSQL
connections: one person is created and both get the same answer."""

from __future__ import annotations

from typing import Any

import pytest

from nastavnik.people.models import Person
from tests.api.helpers import token_client
from tests.concurrency import ON_POSTGRES, at_once
from tests.conftest import make_tenant
from tests.shipped import ensure_shipped_data


@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_key_at_once_create_once() -> None:
    ensure_shipped_data()
    tenant = make_tenant("idem")
    client = token_client(tenant.curator, organization=tenant.organization)
    for round_ in range(3):
        body = {
            "organization_id": tenant.organization.pk,
            "last_name": f"Гонкин{'а' * round_}",
            "first_name": "Иван",
            "category": "teacher",
        }
        key = f"race-{round_}"

        def create(body: dict[str, Any] = body, key: str = key) -> Any:
            return client.post(
                "/api/v1/people/",
                body,
                content_type="application/json",
                headers={"Idempotency-Key": key},
            )

        answers = at_once(create, create)
        assert [a.status_code for a in answers] == [201, 201], [a.content for a in answers]
        assert answers[0].json() == answers[1].json()
        assert Person.objects.filter(last_name=body["last_name"]).count() == 1


@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_two_tokens_taking_the_last_seat_at_once_get_one_booking() -> None:
    """The API's booking and registration go through the services' row locks: two curators'
    tokens booking the last seat of a flash slot (and of an event) at once — one gets it, the
    other a Russian 422."""
    from nastavnik.accounts.models import Membership, Role
    from nastavnik.events.models import Registration
    from nastavnik.quickmentoring.models import BookingStatus, FlashBooking
    from tests.events.factories import event
    from tests.factories import UserFactory
    from tests.quickmentoring.factories import slot

    ensure_shipped_data()
    tenant = make_tenant("seat")
    second = UserFactory(username="curator-seat-2")
    Membership.objects.create(user=second, role=Role.CURATOR, organization=tenant.organization)
    clients = [
        token_client(user, organization=tenant.organization) for user in (tenant.curator, second)
    ]
    offered = slot(tenant, seats=1)
    seminar = event(tenant.organization, seat_limit=1)
    pupils = [tenant.student.pk, tenant.mentee_person.pk]
    requests = [
        ("/api/v1/quick/bookings", lambda i: {"slot_id": offered.pk, "person_id": pupils[i]}),
        ("/api/v1/events/registrations", lambda i: {"event_id": seminar.pk}),
    ]
    for url, body in requests:

        def take(index: int, url: str = url, body: Any = body) -> Any:
            return clients[index].post(url, body(index), content_type="application/json")

        answers = at_once(lambda: take(0), lambda: take(1))
        assert sorted(a.status_code for a in answers) == [201, 422], [a.content for a in answers]
    assert FlashBooking.objects.filter(slot=offered, status=BookingStatus.BOOKED).count() == 1
    assert Registration.objects.filter(event=seminar, cancelled_at__isnull=True).count() == 1
