"""A mentee of a dissolved pair goes back to the base with priority for the next matching run,
and the run's explanation says so («приоритет: пара распалась»)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from nastavnik.matching import services
from nastavnik.matching.explanations import render, summary
from nastavnik.matching.models import MatchingRun, RunStatus
from nastavnik.mentorships.models import Mentorship, MentorshipStatus
from nastavnik.mentorships.selectors import rematch_priority_ids
from nastavnik.mentorships.services import mentorship_create, mentorship_set_status
from nastavnik.programs.models import Enrolment, EnrolmentStatus, Program
from tests.conftest import login
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.django_db


def _base(tenant: Any, *, dissolve_first: bool) -> tuple[Program, Any, Any, Any]:
    """One mentor everybody wants (one place), one nobody much wants; mentee ``b`` suits the
    wanted mentor better than ``a``. With ``dissolve_first`` ``a`` first had a pair with a
    mentor who has since left the program, and it was dissolved."""
    program = matching_program(tenant.organization)
    best = mentor(
        program,
        capacity=1,
        interests="робототехника конструирование роботов",
        competencies={"physics": 3},
    )
    mentor(program, capacity=1, interests="вязание крючком")
    a = mentee(program, interests="робототехника", deficits=["physics"])
    b = mentee(program, interests="робототехника конструирование роботов", deficits=["physics"])
    if dissolve_first:
        gone = mentor(program, capacity=1, interests="вышивание")
        pair = mentorship_create(actor=tenant.curator, program=program, mentors=[gone], mentees=[a])
        mentorship_set_status(
            actor=tenant.curator, mentorship=pair, status="dissolved", reason="не сработались"
        )
        Enrolment.objects.filter(pk=gone.pk).update(status=EnrolmentStatus.WITHDRAWN)
    return program, best, a, b


@pytest.fixture
def run_now(django_capture_on_commit_callbacks: Any) -> Any:
    """Start a run and execute it as the worker would after the commit."""

    def start(tenant: Any, program: Program) -> MatchingRun:
        with django_capture_on_commit_callbacks(execute=True):
            run = services.run_start(actor=tenant.curator, program=program)
        run.refresh_from_db()
        assert run.status == RunStatus.DONE
        return run

    return start


def _mentor_of(run: Any) -> dict[int, int]:
    return {p.mentee_id: p.mentor_id for p in run.proposals.all()}


def test_without_priority_the_better_suited_mentee_gets_the_wanted_mentor(
    tenant_a: Any, run_now: Any
) -> None:
    program, best, a, b = _base(tenant_a, dissolve_first=False)
    run = run_now(tenant_a, program)
    assert _mentor_of(run).get(b.pk) == best.pk
    assert _mentor_of(run).get(a.pk) != best.pk
    assert rematch_priority_ids(program=program) == set()


def test_the_mentee_of_a_dissolved_pair_is_matched_first(tenant_a: Any, run_now: Any) -> None:
    program, best, a, b = _base(tenant_a, dissolve_first=True)
    assert rematch_priority_ids(program=program) == {a.pk}
    run = run_now(tenant_a, program)
    assert _mentor_of(run)[a.pk] == best.pk
    assert _mentor_of(run).get(b.pk) != best.pk
    proposal = run.proposals.get(mentee=a)
    lines = render(proposal.factors, {})
    assert any(line.text == "приоритет: пара распалась" for line in lines)
    assert summary(proposal.factors, {}).startswith("приоритет: пара распалась")
    others = run.proposals.exclude(mentee=a)
    assert all(f["code"] != "priority" for p in others for f in p.factors)
    page = login(tenant_a.curator).get(reverse("matching:run", kwargs={"run_id": run.pk}))
    assert "приоритет: пара распалась" in page.content.decode()


def test_the_priority_ends_with_the_next_pair(tenant_a: Any) -> None:
    program, best, a, _b = _base(tenant_a, dissolve_first=True)
    pair = mentorship_create(actor=tenant_a.curator, program=program, mentors=[best], mentees=[a])
    assert rematch_priority_ids(program=program) == set()
    mentorship_set_status(
        actor=tenant_a.curator, mentorship=pair, status="completed", reason="цели достигнуты"
    )
    assert rematch_priority_ids(program=program) == set()
    assert Mentorship.objects.filter(program=program, status=MentorshipStatus.COMPLETED).exists()


def test_a_completed_pair_gives_no_priority(tenant_a: Any) -> None:
    program = matching_program(tenant_a.organization)
    pupil = mentee(program)
    pair = mentorship_create(
        actor=tenant_a.curator, program=program, mentors=[mentor(program)], mentees=[pupil]
    )
    mentorship_set_status(
        actor=tenant_a.curator, mentorship=pair, status="completed", reason="переезд"
    )
    assert rematch_priority_ids(program=program) == set()
