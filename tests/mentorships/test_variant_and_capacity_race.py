"""A run over several variants publishes each pair with the variant of its mentee's enrolment;
a mentor's capacity holds when two curators form pairs at the same moment, whatever the path
(publishing a run, pairing by hand) — proven with two real connections on PostgreSQL."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from nastavnik.matching import services
from nastavnik.matching.models import RunStatus
from nastavnik.mentorships.models import Mentorship, MentorshipMember
from nastavnik.mentorships.selectors import mentor_load
from nastavnik.mentorships.services import mentorship_create
from nastavnik.programs.models import Enrolment, Program, Variant
from tests.conftest import make_tenant
from tests.matching.factories import matching_program, mentee, mentor
from tests.shipped import ensure_shipped_data

ON_POSTGRES = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs two real concurrent connections with row locks: PostgreSQL only",
)


def _variants(program: Program) -> tuple[Variant, Variant]:
    gifted = Variant.objects.get(form=program.form, code="teacher-gifted", organization=None)
    under = Variant.objects.get(form=program.form, code="teacher-underachiever", organization=None)
    program.variants.set([gifted, under])
    return gifted, under


@pytest.mark.django_db
def test_a_run_over_several_variants_gives_each_pair_its_mentees_variant(
    tenant_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    program = matching_program(tenant_a.organization)
    gifted, under = _variants(program)
    mentor(program, capacity=2, interests="шахматы", competencies={"mathematics": 3})
    mentor(program, capacity=2, interests="робототехника", competencies={"physics": 3})
    strong = mentee(program, interests="шахматы олимпиады", deficits=["mathematics"])
    weak = mentee(program, interests="робототехника", deficits=["physics"])
    plain = mentee(program, interests="шахматы", deficits=["mathematics"])
    Enrolment.objects.filter(pk=strong.pk).update(variant=gifted)
    Enrolment.objects.filter(pk=weak.pk).update(variant=under)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(actor=tenant_a.curator, program=program)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert run.parameters.get("variant_id") is None  # «как в базе»: two variants, no one rule
    for proposal in run.proposals.all():
        services.proposal_decide(actor=tenant_a.curator, proposal=proposal, state="accepted")
    published = services.run_publish(actor=tenant_a.curator, run=run)
    assert len(published) == 3
    variant_of = {
        m.enrolment_id: m.mentorship.variant_id
        for m in MentorshipMember.objects.filter(
            mentorship__in=published, role="mentee"
        ).select_related("mentorship")
    }
    # A mentee without a variant: the program offers two, so the pair has none.
    assert variant_of == {strong.pk: gifted.pk, weak.pk: under.pk, plain.pk: None}


def _race(targets: list[Any]) -> list[BaseException | None]:
    """Each target in its own thread (its own database connection), released together."""
    barrier = threading.Barrier(len(targets))
    outcomes: list[BaseException | None] = [None] * len(targets)

    def run(index: int, target: Any) -> None:
        try:
            barrier.wait(timeout=10)
            target()
        except BaseException as exc:  # reported to the test
            outcomes[index] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_publishing_a_run_and_pairing_by_hand_at_once_never_overfill_a_mentor() -> None:
    ensure_shipped_data()
    tenant = make_tenant("capacity")
    for round_ in range(3):
        program = matching_program(tenant.organization)
        teacher = mentor(program, capacity=1, interests="шахматы", competencies={"mathematics": 3})
        first = mentee(program, interests="шахматы", deficits=["mathematics"])
        run = services.run_start(actor=tenant.curator, program=program)
        run.refresh_from_db()
        assert run.status == RunStatus.DONE, round_
        proposal = run.proposals.get(mentee=first, mentor=teacher)
        services.proposal_decide(actor=tenant.curator, proposal=proposal, state="accepted")
        second = mentee(program)  # enrolled after the run: the other curator pairs them by hand
        outcomes = _race(
            [
                lambda run=run: services.run_publish(actor=tenant.curator, run=run),
                lambda p=program, t=teacher, s=second: mentorship_create(
                    actor=tenant.curator, program=p, mentors=[t], mentees=[s]
                ),
            ]
        )
        refused = [o for o in outcomes if o is not None]
        assert len(refused) == 1, outcomes
        assert isinstance(refused[0], ValidationError)
        assert "нет свободных мест" in str(refused[0])
        assert mentor_load([teacher.pk]) == {teacher.pk: 1}
        assert Mentorship.objects.filter(program=program).count() == 1


@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_two_curators_pairing_one_mentor_at_once_never_overfill_them() -> None:
    ensure_shipped_data()
    tenant = make_tenant("capacity2")
    program = matching_program(tenant.organization)
    teacher = mentor(program, capacity=2)
    for _round in range(3):
        before = mentor_load([teacher.pk])[teacher.pk]
        pupils = [mentee(program) for _ in range(3)]
        outcomes = _race(
            [
                lambda p=p: mentorship_create(
                    actor=tenant.curator, program=program, mentors=[teacher], mentees=[p]
                )
                for p in pupils
            ]
        )
        done = [o for o in outcomes if o is None]
        assert len(done) == max(0, 2 - before), outcomes
        assert all(isinstance(o, ValidationError) for o in outcomes if o is not None)
        assert mentor_load([teacher.pk]) == {teacher.pk: 2}
