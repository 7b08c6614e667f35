"""Object makers for the matching URLs (see tests/isolation.py).

The victim's pupil (``tenant.student``) is the mentee of every object, and the mentor is a
teacher other than ``tenant.mentor``: the victim's mentor does not work with the pupil.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from nastavnik.matching.models import (
    MatchExclusion,
    MatchingRun,
    MentorRequest,
    Proposal,
    ProposalGroup,
    ProposalGroupMentor,
    ProposalState,
    RunStatus,
)
from nastavnik.programs.models import Enrolment, EnrolmentStatus
from tests.conftest import Tenant
from tests.factories import ProgramFactory, TeacherFactory, consents_grant
from tests.isolation import Maker, PostBody


def _pair(tenant: Tenant) -> tuple[Enrolment, Enrolment]:
    program = ProgramFactory(organization=tenant.organization)
    mentee = Enrolment.objects.create(
        organization=tenant.organization, program=program, person=tenant.student, role="mentee"
    )
    mentor = Enrolment.objects.create(
        organization=tenant.organization,
        program=program,
        person=TeacherFactory.create(organization=tenant.organization),
        role="mentor",
    )
    return mentee, mentor


def _proposal(tenant: Tenant) -> Proposal:
    mentee, mentor = _pair(tenant)
    run = MatchingRun.objects.create(
        organization=tenant.organization, program=mentee.program, status=RunStatus.DONE
    )
    return Proposal.objects.create(
        organization=tenant.organization, run=run, mentee=mentee, mentor=mentor, score=0.5
    )


def _run_id(tenant: Tenant) -> object:
    return _proposal(tenant).run_id


def _proposal_id(tenant: Tenant) -> object:
    return _proposal(tenant).pk


def _group_id(tenant: Tenant) -> object:
    """A proposed group of a group run: the pupil is its member, the teacher leads it."""
    proposal = _proposal(tenant)
    run = proposal.run
    run.kind = "groups"
    run.save(update_fields=["kind"])
    group = ProposalGroup.objects.create(
        organization=tenant.organization, run=run, key=1, score=0.5
    )
    ProposalGroupMentor.objects.create(
        organization=tenant.organization, group=group, mentor=proposal.mentor, score=0.5
    )
    proposal.group = group
    proposal.group_key = 1
    proposal.save(update_fields=["group", "group_key"])
    return group.pk


def _request_id(tenant: Tenant) -> object:
    mentee, mentor = _pair(tenant)
    return MentorRequest.objects.create(
        organization=tenant.organization,
        program=mentee.program,
        mentee=mentee,
        mentor=mentor,
        expires_at=timezone.now() + dt.timedelta(days=7),
    ).pk


def _exclusion_id(tenant: Tenant) -> object:
    return MatchExclusion.objects.create(
        organization=tenant.organization,
        mentee=tenant.student,
        mentor=TeacherFactory.create(organization=tenant.organization),
    ).pk


OBJECT_MAKERS: dict[str, Maker] = {
    "exclusion_id": Maker(_exclusion_id),
    "run_id": Maker(_run_id),
    "proposal_id": Maker(_proposal_id),
    "group_id": Maker(_group_id),
    "request_id": Maker(_request_id),
}


# --- POST bodies: what the victim's curator would send (see tests/isolation.py) ----------------


def _consent_everyone(program_id: int) -> None:
    """Everyone of the program's bases approved and with valid consents (as a run needs)."""
    base = Enrolment.objects.filter(program_id=program_id)
    for enrolment in base.select_related("person"):
        consents_grant(enrolment.person)
    base.update(status=EnrolmentStatus.APPROVED)


def _group_move(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    """Move the group's member to a second group of the same run."""
    group = ProposalGroup.objects.get(pk=values["group_id"])
    member = Proposal.objects.filter(group=group).first()
    assert member is not None
    target = ProposalGroup.objects.create(
        organization=victim.organization, run=group.run, key=2, score=0.5
    )
    ProposalGroupMentor.objects.create(
        organization=victim.organization,
        group=target,
        mentor=Enrolment.objects.create(
            organization=victim.organization,
            program=group.run.program,
            person=TeacherFactory.create(organization=victim.organization),
            role="mentor",
        ),
        score=0.5,
    )
    # The group keeps a member after the move.
    Proposal.objects.create(
        organization=victim.organization,
        run=group.run,
        mentee=Enrolment.objects.create(
            organization=victim.organization,
            program=group.run.program,
            person=victim.mentee_person,
            role="mentee",
        ),
        mentor=member.mentor,
        score=0.5,
        group=group,
        group_key=1,
    )
    _consent_everyone(group.run.program_id)
    return {"member": member.pk, "to": target.pk}


def _swap(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    """Swap the mentors of the run's proposal and a second one."""
    first = Proposal.objects.filter(run_id=values["run_id"]).first()
    assert first is not None
    second = Proposal.objects.create(
        organization=victim.organization,
        run=first.run,
        mentee=Enrolment.objects.create(
            organization=victim.organization,
            program=first.run.program,
            person=victim.mentee_person,
            role="mentee",
        ),
        mentor=Enrolment.objects.create(
            organization=victim.organization,
            program=first.run.program,
            person=TeacherFactory.create(organization=victim.organization),
            role="mentor",
        ),
        score=0.4,
    )
    _consent_everyone(first.run.program_id)
    return {"proposal": [first.pk, second.pk]}


POST_BODIES: dict[str, PostBody] = {
    # A new run of pairs with the default parameters.
    "matching:program": lambda victim, values: {"kind": "pairs", "top_k": "50"},
    "matching:decide": lambda victim, values: {"state": ProposalState.ACCEPTED},
    "matching:group_decide": lambda victim, values: {"state": ProposalState.ACCEPTED},
    "matching:group_move": _group_move,
    "matching:swap": _swap,
    "matching:never": lambda victim, values: {"reason": "Родственники"},
}

# Pages, and actions whose POST carries no field.
NO_FORM: set[str] = {
    "matching:run",
    "matching:run_progress",
    "matching:compare",
    "matching:rerun",
    "matching:publish",
    "matching:accept_all",
    "matching:group_remove",
    "matching:exclusion_remove",
    "matching:request_accept",
    "matching:request_decline",
    "matching:request_cancel",
    "api:list_runs",
    "api:get_run",
    "api:list_proposals",
    "api:list_groups",
}
