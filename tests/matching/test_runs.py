"""The curator's review flow: run → proposals → accept/reject/lock/swap → re-run → publish."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from nastavnik.matching import services
from nastavnik.matching.models import (
    MatchExclusion,
    MatchingRun,
    Proposal,
    ProposalState,
    RunStatus,
)
from nastavnik.mentorships.models import Mentorship, MentorshipStatus
from nastavnik.mentorships.selectors import mentor_load
from nastavnik.mentorships.services import mentorship_create, mentorship_set_status
from tests.factories import PersonFactory
from tests.matching.factories import enrol, matching_program, mentee, mentor, profile

pytestmark = pytest.mark.django_db


def _base(tenant: Any) -> Any:
    program = matching_program(tenant.organization)
    chess = mentor(
        program, capacity=1, interests="шахматы турниры", competencies={"mathematics": 3}
    )
    robots = mentor(
        program, capacity=2, interests="робототехника конструирование", competencies={"physics": 3}
    )
    a = mentee(program, interests="шахматы", deficits=["mathematics"])
    b = mentee(program, interests="робототехника", deficits=["physics"])
    c = mentee(program, interests="конструирование роботов", deficits=["physics"])
    return program, chess, robots, a, b, c


def test_a_run_proposes_the_best_pairs(tenant_a: Any) -> None:
    program, chess, robots, a, b, c = _base(tenant_a)
    run = services.run_start(actor=tenant_a.curator, program=program)
    assert run.status == RunStatus.DONE
    pairs = {(p.mentee_id, p.mentor_id) for p in run.proposals.all()}
    assert pairs == {(a.pk, chess.pk), (b.pk, robots.pk), (c.pk, robots.pk)}


def _run(tenant: Any) -> tuple[Any, ...]:
    program, chess, robots, a, b, c = _base(tenant)
    run = services.run_start(actor=tenant.curator, program=program)
    proposals = {p.mentee_id: p for p in run.proposals.all()}
    return program, run, proposals, chess, robots, a, b, c


def test_the_run_keeps_its_quality_figures(tenant_a: Any) -> None:
    _program, run, *_ = _run(tenant_a)
    assert (run.matched_count, run.unmatched_count, run.progress) == (3, 0, 100)


def test_explanations_are_stored_with_the_proposal(tenant_a: Any) -> None:
    _program, _, proposals, _chess, _robots, a, *_ = _run(tenant_a)
    codes = [f["code"] for f in proposals[a.pk].factors]
    assert "deficit_coverage" in codes


def test_a_mentee_without_consent_is_unmatched_with_the_reason(tenant_a: Any) -> None:
    program, *_ = _base(tenant_a)
    mentee(program, consent=False, interests="шахматы")
    run = services.run_start(actor=tenant_a.curator, program=program)
    assert run.unmatched_by_reason == {"no_consent": 1}


def test_a_mentor_of_another_category_is_never_proposed(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)

    pupil = PersonFactory(organization=tenant_a.organization)
    profile(pupil, interests="шахматы")
    enrol(program, pupil, "mentor", capacity=3)
    mentee(program, interests="шахматы")
    run = services.run_start(actor=tenant_a.curator, program=program)
    assert (run.matched_count, run.unmatched_by_reason) == (0, {"no_candidate": 1})


def test_only_a_curator_starts_a_run(tenant_a: Any) -> None:
    program, *_ = _base(tenant_a)
    with pytest.raises(PermissionDenied):
        services.run_start(actor=tenant_a.mentor, program=program)


def test_an_empty_base_fails_with_a_russian_message(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    run = services.run_start(actor=tenant_a.curator, program=program)
    assert run.status == RunStatus.FAILED
    assert run.error_message.startswith("Подбирать некого")


def test_publish_creates_active_mentorships_from_accepted_and_locked(tenant_a: Any) -> None:
    _program, run, proposals, chess, robots, a, b, c = _run(tenant_a)
    services.proposal_decide(actor=tenant_a.curator, proposal=proposals[a.pk], state="accepted")
    services.proposal_decide(actor=tenant_a.curator, proposal=proposals[b.pk], state="locked")
    services.proposal_decide(actor=tenant_a.curator, proposal=proposals[c.pk], state="rejected")
    created = services.run_publish(actor=tenant_a.curator, run=run)
    pairs = {
        (m.members.get(role="mentee").enrolment_id, m.members.get(role="mentor").enrolment_id)
        for m in created
    }
    assert pairs == {(a.pk, chess.pk), (b.pk, robots.pk)}
    assert {m.status for m in created} == {MentorshipStatus.ACTIVE}


def test_a_published_run_cannot_change(tenant_a: Any) -> None:
    _program, run, proposals, _chess, _robots, a, *_ = _run(tenant_a)
    services.proposal_decide(actor=tenant_a.curator, proposal=proposals[a.pk], state="accepted")
    services.run_publish(actor=tenant_a.curator, run=run)
    with pytest.raises(ValidationError):
        services.proposal_decide(actor=tenant_a.curator, proposal=proposals[a.pk], state="rejected")


def test_publish_never_exceeds_a_mentors_capacity(tenant_a: Any) -> None:
    """A pair formed elsewhere meanwhile (a request accepted) takes the mentor's only place."""
    program, run, proposals, chess, _robots, a, *_ = _run(tenant_a)

    other = mentee(program)
    mentorship_create(actor=tenant_a.curator, program=program, mentors=[chess], mentees=[other])
    services.proposal_decide(actor=tenant_a.curator, proposal=proposals[a.pk], state="accepted")
    with pytest.raises(ValidationError, match="нет свободных мест"):
        services.run_publish(actor=tenant_a.curator, run=run)
    assert mentor_load([chess.pk]) == {chess.pk: 1}


def test_publish_is_all_or_nothing(tenant_a: Any) -> None:
    program, run, proposals, chess, _robots, _a, _b, _c = _run(tenant_a)

    mentorship_create(
        actor=tenant_a.curator, program=program, mentors=[chess], mentees=[mentee(program)]
    )
    for p in proposals.values():
        services.proposal_decide(actor=tenant_a.curator, proposal=p, state="accepted")
    with pytest.raises(ValidationError):
        services.run_publish(actor=tenant_a.curator, run=run)
    assert Mentorship.objects.filter(source_proposal__run=run).count() == 0


def test_swap_exchanges_mentors_and_rescores(tenant_a: Any) -> None:
    _program, _, proposals, chess, robots, a, b, _c = _run(tenant_a)
    first, second = services.proposal_swap(
        actor=tenant_a.curator, first=proposals[a.pk], second=proposals[b.pk]
    )
    assert (first.mentor_id, second.mentor_id) == (robots.pk, chess.pk)
    assert Proposal.objects.get(pk=first.pk).score < 0.5


def test_a_swap_is_a_decision_that_a_rerun_keeps(tenant_a: Any) -> None:
    """Both pairs of a swap were undecided: «Подобрать для остальных» must not lose them."""
    program, run, proposals, chess, robots, a, b, _c = _run(tenant_a)
    first, second = services.proposal_swap(
        actor=tenant_a.curator, first=proposals[a.pk], second=proposals[b.pk]
    )
    assert {first.state, second.state} == {ProposalState.ACCEPTED}
    again = services.run_start(actor=tenant_a.curator, program=program, previous=run)
    kept = {p.mentee_id: (p.mentor_id, p.state) for p in again.proposals.all()}
    assert kept[a.pk] == (robots.pk, ProposalState.ACCEPTED)
    assert kept[b.pk] == (chess.pk, ProposalState.ACCEPTED)


def test_swap_refuses_an_excluded_pair_with_a_russian_message(tenant_a: Any) -> None:
    _program, _, proposals, chess, robots, a, b, _c = _run(tenant_a)
    services.exclusion_add(actor=tenant_a.curator, mentee=a.person, mentor=robots.person)
    with pytest.raises(ValidationError, match="Нельзя поменять наставников"):
        services.proposal_swap(
            actor=tenant_a.curator, first=proposals[a.pk], second=proposals[b.pk]
        )
    assert Proposal.objects.get(pk=proposals[a.pk].pk).mentor_id == chess.pk


def test_swap_refuses_a_locked_pair(tenant_a: Any) -> None:
    _program, _, proposals, _chess, _robots, a, b, _c = _run(tenant_a)
    services.proposal_decide(actor=tenant_a.curator, proposal=proposals[a.pk], state="locked")
    with pytest.raises(ValidationError):
        services.proposal_swap(
            actor=tenant_a.curator, first=proposals[a.pk], second=proposals[b.pk]
        )


def test_rerun_keeps_locked_pairs_even_against_the_score(tenant_a: Any) -> None:
    """Lock a pair the engine would not choose (after a swap); the re-run keeps it."""
    program, run, proposals, _chess, robots, a, b, _c = _run(tenant_a)
    first, _second = services.proposal_swap(
        actor=tenant_a.curator, first=proposals[a.pk], second=proposals[b.pk]
    )
    services.proposal_decide(actor=tenant_a.curator, proposal=first, state="locked")
    again = services.run_start(actor=tenant_a.curator, program=program, previous=run)
    kept = again.proposals.get(mentee=a)
    assert (kept.mentor_id, kept.state) == (robots.pk, ProposalState.LOCKED)


def test_rerun_does_not_repeat_rejected_pairs(tenant_a: Any) -> None:
    program, run, proposals, chess, _robots, a, *_ = _run(tenant_a)
    services.proposal_decide(actor=tenant_a.curator, proposal=proposals[a.pk], state="rejected")
    again = services.run_start(actor=tenant_a.curator, program=program, previous=run)
    assert not again.proposals.filter(mentee=a, mentor=chess).exists()


def test_every_run_is_kept(tenant_a: Any) -> None:
    program, run, *_ = _run(tenant_a)
    services.run_start(actor=tenant_a.curator, program=program, previous=run)
    assert MatchingRun.objects.filter(program=program).count() == 2


def test_matched_mentees_are_left_out_of_the_next_run(tenant_a: Any) -> None:
    program, run, proposals, _chess, _robots, a, *_ = _run(tenant_a)
    services.proposal_decide(actor=tenant_a.curator, proposal=proposals[a.pk], state="accepted")
    services.run_publish(actor=tenant_a.curator, run=run)
    again = services.run_start(actor=tenant_a.curator, program=program)
    assert not again.proposals.filter(mentee=a).exists()


def test_a_dissolved_pair_is_never_proposed_again(tenant_a: Any) -> None:
    program, run, proposals, chess, _robots, a, *_ = _run(tenant_a)
    services.proposal_decide(actor=tenant_a.curator, proposal=proposals[a.pk], state="accepted")
    (mentorship,) = services.run_publish(actor=tenant_a.curator, run=run)

    mentorship_set_status(
        actor=tenant_a.curator, mentorship=mentorship, status="dissolved", reason="не сработались"
    )
    again = services.run_start(actor=tenant_a.curator, program=program)
    assert not again.proposals.filter(mentee=a, mentor=chess).exists()


def test_a_run_the_engine_refuses_fails_with_a_russian_message(tenant_a: Any) -> None:
    program, *_ = _base(tenant_a)
    run = MatchingRun.objects.create(
        organization=tenant_a.organization, program=program, parameters={"top_k": 0}
    )
    services.run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.error_message.startswith("Подбор не удался")) == (
        RunStatus.FAILED,
        True,
    )


def test_a_run_is_executed_once(tenant_a: Any) -> None:
    program, *_ = _base(tenant_a)
    run = services.run_start(actor=tenant_a.curator, program=program)
    assert services.run_execute(run_id=run.pk) is None


def test_the_run_is_enqueued_when_the_transaction_commits(
    tenant_a: Any, deferred_on_commit: None, django_capture_on_commit_callbacks: Any
) -> None:
    program, *_ = _base(tenant_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = services.run_start(actor=tenant_a.curator, program=program)
        # Still inside the transaction: nothing has been enqueued or run.
        assert run.status == RunStatus.QUEUED
    assert len(callbacks) == 1
    callbacks[0]()
    run.refresh_from_db()
    assert run.status == RunStatus.DONE


def test_never_this_pair_excludes_and_rejects_or_does_neither(tenant_a: Any) -> None:
    _program, run, proposals, _chess, _robots, a, *_ = _run(tenant_a)
    services.proposal_never(actor=tenant_a.curator, proposal=proposals[a.pk], reason="родня")
    proposals[a.pk].refresh_from_db()
    assert proposals[a.pk].state == ProposalState.REJECTED
    assert MatchExclusion.objects.get().reason == "родня"

    MatchExclusion.objects.all().delete()
    MatchingRun.objects.filter(pk=run.pk).update(published_at=timezone.now())
    with pytest.raises(ValidationError):
        services.proposal_never(actor=tenant_a.curator, proposal=proposals[a.pk])
    assert not MatchExclusion.objects.exists()
