"""Speed and flash mentoring through their services: rotations stored, Russian refusals with
nothing saved, mutual wishes proposed as pairs of the program, bookings and their limits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from nastavnik.core.models import AuditEntry
from nastavnik.mentorships.models import Mentorship, MentorshipStatus
from nastavnik.quickmentoring import services
from nastavnik.quickmentoring.models import (
    BookingStatus,
    FlashBooking,
    FlashSlot,
    SessionMode,
    Side,
    SlotStatus,
    SpeedParticipant,
    SpeedSeat,
    SpeedWish,
)
from tests.conftest import Tenant
from tests.factories import PersonFactory, TeacherFactory
from tests.matching.factories import enrol, matching_program
from tests.quickmentoring.factories import booking, participant, session, session_with_people, slot

pytestmark = pytest.mark.django_db


def test_rotation_is_stored_by_round_and_table(tenant_a: Tenant) -> None:
    s = session_with_people(tenant_a, mentors=2, mentees=3, tables=2, rounds=3)
    seats = services.rotation_generate(actor=tenant_a.curator, session=s)
    assert len(seats) == 6  # 2 tables × 3 rounds, all six mentor–mentee pairs
    pairs = {(seat.first_id, seat.second_id) for seat in SpeedSeat.objects.filter(session=s)}
    assert len(pairs) == 6
    assert all(seat.first.side == Side.MENTOR for seat in SpeedSeat.objects.filter(session=s))
    s.refresh_from_db()
    assert s.generated_at is not None


def test_too_many_rounds_are_refused_in_russian_and_nothing_saved(tenant_a: Tenant) -> None:
    s = session_with_people(tenant_a, mentors=2, mentees=2, tables=2, rounds=3)
    with translation.override("ru"), pytest.raises(ValidationError) as caught:
        services.rotation_generate(actor=tenant_a.curator, session=s)
    assert "Туров больше, чем возможных встреч" in caught.value.messages[0]
    assert "2" in caught.value.messages[0]
    assert not SpeedSeat.objects.filter(session=s).exists()


def test_zero_tables_are_refused_in_russian(tenant_a: Tenant) -> None:
    with translation.override("ru"), pytest.raises(ValidationError) as caught:
        services.session_create(
            actor=tenant_a.curator,
            organization=tenant_a.organization,
            title="Встречи",
            mode=SessionMode.PEERS,
            tables=0,
            rounds=2,
            starts_at=timezone.now() + dt.timedelta(days=1),
        )
    assert "хотя бы один стол" in caught.value.messages[0]


def test_peer_rotation_with_more_people_than_seats(tenant_a: Tenant) -> None:
    s = session(tenant_a, mode=SessionMode.PEERS, tables=2, rounds=4)
    for _ in range(7):
        participant(s, TeacherFactory(organization=tenant_a.organization), Side.PEER)
    seats = services.rotation_generate(actor=tenant_a.curator, session=s)
    assert len(seats) == 8
    counts: dict[int, int] = {}
    for seat in seats:
        for p in (seat.first_id, seat.second_id):
            counts[p] = counts.get(p, 0) + 1
    assert len(counts) == 7
    assert max(counts.values()) - min(counts.values()) <= 1


def test_session_from_program_bases_and_mutual_wishes_become_proposed_pairs(
    tenant_a: Tenant,
) -> None:
    program = matching_program(tenant_a.organization)
    teacher = TeacherFactory.create(organization=tenant_a.organization)
    other_teacher = TeacherFactory.create(organization=tenant_a.organization)
    pupil = PersonFactory.create(organization=tenant_a.organization)
    enrol(program, teacher, "mentor", capacity=2)
    enrol(program, other_teacher, "mentor")
    enrol(program, pupil, "mentee")
    s = services.session_create(
        actor=tenant_a.curator,
        organization=tenant_a.organization,
        title="Быстрые встречи",
        mode=SessionMode.BIPARTITE,
        tables=1,
        rounds=2,
        starts_at=timezone.now() + dt.timedelta(days=1),
        program=program,
        with_bases=True,
    )
    people = {p.person_id: p for p in SpeedParticipant.objects.filter(session=s)}
    assert {p.side for p in people.values()} == {Side.MENTOR, Side.MENTEE}
    services.rotation_generate(actor=tenant_a.curator, session=s)
    mentor, mentee, other = people[teacher.pk], people[pupil.pk], people[other_teacher.pk]
    services.wishes_set(actor=tenant_a.curator, session=s, author=mentor, wanted=[mentee])
    services.wishes_set(actor=tenant_a.curator, session=s, author=mentee, wanted=[mentor, other])
    made, skipped = services.proposals_make(actor=tenant_a.curator, session=s)
    assert len(made) == 1
    assert skipped == []
    pair = Mentorship.objects.get(pk=made[0].pk)
    assert pair.status == MentorshipStatus.PROPOSED
    assert pair.program_id == program.pk
    assert {m.person_id for m in pair.members.all()} == {teacher.pk, pupil.pk}
    # Made once: a second click proposes nothing more.
    assert services.proposals_make(actor=tenant_a.curator, session=s)[0] == []
    assert SpeedWish.objects.filter(mentorship=pair).count() == 2


def test_a_wish_names_only_someone_met(tenant_a: Tenant) -> None:
    s = session_with_people(tenant_a, mentors=2, mentees=2, tables=1, rounds=1)
    services.rotation_generate(actor=tenant_a.curator, session=s)
    seat = SpeedSeat.objects.get(session=s)
    stranger = next(
        p
        for p in SpeedParticipant.objects.filter(session=s)
        if p.pk not in (seat.first_id, seat.second_id) and p.side == Side.MENTEE
    )
    with pytest.raises(ValidationError):
        services.wishes_set(actor=tenant_a.curator, session=s, author=seat.first, wanted=[stranger])
    assert not SpeedWish.objects.exists()


def test_a_mentor_cannot_record_another_persons_wishes(tenant_a: Tenant) -> None:
    s = session_with_people(tenant_a, tables=2, rounds=1)
    services.rotation_generate(actor=tenant_a.curator, session=s)
    seat = SpeedSeat.objects.filter(session=s).first()
    assert seat is not None
    with pytest.raises(PermissionDenied):
        services.wishes_set(
            actor=tenant_a.mentor, session=s, author=seat.first, wanted=[seat.second]
        )


def _future() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=1)


def test_an_expert_publishes_and_a_mentee_books_the_one_seat(tenant_a: Tenant) -> None:
    s = services.slot_publish(
        actor=tenant_a.mentor,
        organization=tenant_a.organization,
        topic="Проект по физике",
        starts_at=_future(),
    )
    assert s.expert_id == tenant_a.mentor_person.pk
    assert s.seats == 1
    b = services.slot_book(actor=tenant_a.mentee, slot=s)
    assert b.person_id == tenant_a.mentee_person.pk
    other = PersonFactory(organization=tenant_a.organization)
    with translation.override("ru"), pytest.raises(ValidationError) as caught:
        services.slot_book(actor=tenant_a.curator, slot=s, person=other)
    assert caught.value.messages == ["Все места заняты."]
    assert FlashBooking.objects.filter(slot=s).count() == 1


def test_a_slot_in_the_past_is_refused(tenant_a: Tenant) -> None:
    with translation.override("ru"), pytest.raises(ValidationError) as caught:
        services.slot_publish(
            actor=tenant_a.mentor,
            organization=tenant_a.organization,
            topic="Вчера",
            starts_at=timezone.now() - dt.timedelta(hours=1),
        )
    assert "прошлом" in caught.value.messages[0]
    assert not FlashSlot.objects.exists()


def test_a_cancelled_slot_cannot_be_booked(tenant_a: Tenant) -> None:
    s = slot(tenant_a)
    services.slot_cancel(actor=tenant_a.curator, slot=s)
    with translation.override("ru"), pytest.raises(ValidationError) as caught:
        services.slot_book(actor=tenant_a.mentee, slot=s)
    assert caught.value.messages == ["Слот отменён."]
    assert not FlashBooking.objects.exists()


def test_an_online_slot_needs_a_link(tenant_a: Tenant) -> None:
    with pytest.raises(ValidationError):
        services.slot_publish(
            actor=tenant_a.mentor,
            organization=tenant_a.organization,
            topic="Онлайн",
            starts_at=_future(),
            format="online",
        )


def test_held_slot_becomes_a_one_meeting_record_with_feedback(tenant_a: Tenant) -> None:
    s = slot(tenant_a, expert=tenant_a.mentor_person)
    b = booking(s, tenant_a.mentee_person)
    with pytest.raises(ValidationError):  # not begun yet
        services.slot_mark_held(actor=tenant_a.mentor, slot=s)
    FlashSlot.objects.filter(pk=s.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    s.refresh_from_db()
    assert services.slot_mark_held(actor=tenant_a.mentor, slot=s) == 1
    b.refresh_from_db()
    assert b.status == BookingStatus.HELD
    assert b.held_at is not None
    s.refresh_from_db()
    assert s.status == SlotStatus.HELD
    services.feedback_leave(actor=tenant_a.mentee, booking=b, rating=5, feedback="Очень полезно")
    b.refresh_from_db()
    assert (b.rating, b.feedback) == (5, "Очень полезно")


def test_only_the_booker_the_expert_or_a_curator_cancels(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    s = slot(tenant_a)
    b = booking(s, tenant_a.mentee_person)
    with pytest.raises(PermissionDenied):
        services.booking_cancel(actor=tenant_a.mentor, booking=b)
    with pytest.raises(PermissionDenied):
        services.slot_book(actor=tenant_b.mentee, slot=s)
    services.booking_cancel(actor=tenant_a.mentee, booking=b)
    b.refresh_from_db()
    assert b.status == BookingStatus.CANCELLED
    # The seat is free again.
    services.slot_book(actor=tenant_a.mentee, slot=s)
    assert AuditEntry.objects.filter(action="quickmentoring.book").count() == 1


def test_calendar_shows_sessions_to_staff_and_slots_to_members(tenant_a: Tenant) -> None:
    from nastavnik.core.calendar import calendar_items

    s = session(tenant_a)
    sl = slot(tenant_a)
    start, end = timezone.now(), timezone.now() + dt.timedelta(days=10)
    titles = [i.title for i in calendar_items(tenant_a.curator, start, end)]
    assert s.title in titles
    assert sl.topic in titles
    mentee_titles = [i.title for i in calendar_items(tenant_a.mentee, start, end)]
    assert sl.topic in mentee_titles
    assert s.title not in mentee_titles


def test_the_rotation_takes_the_rounds_the_curator_gives_it(tenant_a: Tenant) -> None:
    """A session planned with too many rounds gets its rotation with as many as bring a new
    meeting, given when it is generated; a refused number changes nothing."""
    s = session_with_people(tenant_a, mentors=2, mentees=2, tables=2, rounds=3)
    with translation.override("ru"), pytest.raises(ValidationError) as caught:
        services.rotation_generate(actor=tenant_a.curator, session=s, rounds=0)
    assert "хотя бы один тур" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        services.rotation_generate(actor=tenant_a.curator, session=s, rounds=201)
    s.refresh_from_db()
    assert s.rounds == 3
    seats = services.rotation_generate(actor=tenant_a.curator, session=s, rounds=2)
    assert len(seats) == 4  # every mentor meets every mentee once
    s.refresh_from_db()
    assert s.rounds == 2
    assert s.generated_at is not None
