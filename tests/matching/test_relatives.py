"""Relatives are a hard exclusion: a run never proposes them, a swap or a lock cannot make them a
pair, and self-matching never suggests them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from nastavnik.matching import services
from nastavnik.matching.models import Proposal, ProposalState
from nastavnik.matching.suggestions import suggestions_for
from nastavnik.people import services as people_services
from tests.matching.factories import matching_program, mentee, mentor
from tests.people.factories import kinship

pytestmark = pytest.mark.django_db


def test_a_run_never_proposes_a_relative_even_as_the_only_fitting_mentor(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    mother = mentor(
        program, capacity=3, interests="шахматы турниры", competencies={"mathematics": 3}
    )
    other = mentor(program, capacity=3, interests="вышивание")
    son = mentee(program, interests="шахматы турниры", deficits=["mathematics"])
    classmate = mentee(program, interests="шахматы турниры", deficits=["mathematics"])
    people_services.relative_add(
        actor=tenant_a.curator, person=son.person, relative=mother.person, kind="parent_child"
    )
    run = services.run_start(actor=tenant_a.curator, program=program)
    pairs = {(p.mentee_id, p.mentor_id) for p in run.proposals.all()}
    assert pairs == {(son.pk, other.pk), (classmate.pk, mother.pk)}


def test_the_only_mentor_being_a_relative_leaves_the_mentee_unmatched(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    father = mentor(program, capacity=2, interests="футбол")
    daughter = mentee(program, interests="футбол")
    kinship(father.person, daughter.person, "parent_child")
    run = services.run_start(actor=tenant_a.curator, program=program)
    assert (run.matched_count, run.unmatched_by_reason) == (0, {"no_candidate": 1})


def _two_pairs(tenant: Any) -> tuple[Any, ...]:
    program = matching_program(tenant.organization)
    chess = mentor(program, interests="шахматы турниры", competencies={"mathematics": 3})
    robots = mentor(program, interests="робототехника", competencies={"physics": 3})
    a = mentee(program, interests="шахматы", deficits=["mathematics"])
    b = mentee(program, interests="робототехника", deficits=["physics"])
    run = services.run_start(actor=tenant.curator, program=program)
    proposals = {p.mentee_id: p for p in run.proposals.all()}
    assert (proposals[a.pk].mentor_id, proposals[b.pk].mentor_id) == (chess.pk, robots.pk)
    return program, run, proposals, chess, robots, a, b


def test_a_swap_that_would_pair_relatives_is_refused_in_russian(tenant_a: Any) -> None:
    _program, _run, proposals, chess, robots, a, b = _two_pairs(tenant_a)
    kinship(a.person, robots.person, "siblings")
    with pytest.raises(ValidationError) as refused:
        services.proposal_swap(
            actor=tenant_a.curator, first=proposals[a.pk], second=proposals[b.pk]
        )
    message = " ".join(refused.value.messages)
    assert "Нельзя поменять наставников" in message
    assert "родственники" in message
    assert Proposal.objects.get(pk=proposals[a.pk].pk).mentor_id == chess.pk


def test_a_rerun_drops_a_locked_pair_of_relatives(tenant_a: Any) -> None:
    """The relatives were recorded after the pair was locked: the hard rule wins."""
    program, run, proposals, chess, _robots, a, _b = _two_pairs(tenant_a)
    services.proposal_decide(actor=tenant_a.curator, proposal=proposals[a.pk], state="locked")
    kinship(chess.person, a.person, "other")
    again = services.run_start(actor=tenant_a.curator, program=program, previous=run)
    assert not again.proposals.filter(mentee=a, mentor=chess).exists()
    assert not again.proposals.filter(state=ProposalState.LOCKED).exists()


def test_self_matching_never_suggests_a_relative(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    aunt = mentor(program, interests="шахматы", competencies={"mathematics": 3})
    other = mentor(program, interests="вышивание")
    nephew = mentee(program, interests="шахматы", deficits=["mathematics"])
    assert [s.mentor for s in suggestions_for(enrolment=nephew)] == [aunt, other]
    kinship(nephew.person, aunt.person, "other")
    assert [s.mentor for s in suggestions_for(enrolment=nephew)] == [other]
    # Nor can the nephew ask her directly.
    with pytest.raises(ValidationError):
        services.request_create(actor=tenant_a.curator, mentee=nephew, mentor=aunt)
