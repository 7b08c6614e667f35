"""Object makers for the matching URLs (see tests/isolation.py).

The victim's pupil (``tenant.student``) is the mentee of every object, and the mentor is a
teacher other than ``tenant.mentor``: the victim's mentor does not work with the pupil.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from nastavnik.matching.models import (
    MatchExclusion,
    MatchingRun,
    MentorRequest,
    Proposal,
    ProposalGroup,
    ProposalGroupMentor,
    RunStatus,
)
from nastavnik.programs.models import Enrolment
from tests.conftest import Tenant
from tests.factories import ProgramFactory, TeacherFactory
from tests.isolation import Maker


def _pair(tenant: Tenant) -> tuple[Enrolment, Enrolment]:
    program = ProgramFactory(organization=tenant.organization)
    mentee = Enrolment.objects.create(
        organization=tenant.organization, program=program, person=tenant.student, role="mentee"
    )
    mentor = Enrolment.objects.create(
        organization=tenant.organization,
        program=program,
        person=TeacherFactory(organization=tenant.organization),
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
        mentor=TeacherFactory(organization=tenant.organization),
    ).pk


OBJECT_MAKERS: dict[str, Maker] = {
    "exclusion_id": Maker(_exclusion_id),
    "run_id": Maker(_run_id),
    "proposal_id": Maker(_proposal_id),
    "group_id": Maker(_group_id),
    "request_id": Maker(_request_id),
}
