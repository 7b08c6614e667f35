"""Self-matching: a mentee asks a mentor from their suggestions; the mentor answers."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.accounts.access import access_for
from nastavnik.core.audit import audit
from nastavnik.matching.features import program_variant
from nastavnik.matching.models import (
    MentorRequest,
    RequestStatus,
)
from nastavnik.matching.selectors import request_expiry_days
from nastavnik.matching.services._common import (
    _pair_model,
)
from nastavnik.matching.suggestions import suggestion_for_pair
from nastavnik.mentorships.models import Mentorship
from nastavnik.mentorships.selectors import matched_mentee_ids
from nastavnik.mentorships.services import NewMentorship, mentorships_create
from nastavnik.programs.models import Enrolment, EnrolmentRole

logger = logging.getLogger(__name__)


# --- Self-matching ------------------------------------------------------------------------------


def _mentee_user_check(actor: Any, enrolment: Enrolment) -> None:
    access = access_for(actor)
    own = enrolment.person.user_id is not None and enrolment.person.user_id == access.user_id
    if not (own or access.is_curator_of(enrolment.organization_id)):
        raise PermissionDenied(_("Only the mentee or the curator may ask for a mentor."))


@transaction.atomic
def request_create(
    *, actor: Any, mentee: Enrolment, mentor: Enrolment, message: str = ""
) -> MentorRequest:
    """A mentee asks a mentor from their suggestions."""
    _mentee_user_check(actor, mentee)
    if mentee.role != EnrolmentRole.MENTEE or mentor.role != EnrolmentRole.MENTOR:
        raise ValidationError(_("Choose a mentor of the program."))
    if mentee.program_id != mentor.program_id:
        raise ValidationError(_("The mentor is in another program."))
    requests_expire(organization_id=mentee.organization_id)
    if mentee.pk in matched_mentee_ids(program=mentee.program):
        raise ValidationError(_("You already have a mentor in this program."))
    if MentorRequest.objects.filter(mentee=mentee, status=RequestStatus.PENDING).exists():
        raise ValidationError(
            _("You already have a request waiting for an answer; cancel it to ask another mentor.")
        )
    suggestion = suggestion_for_pair(enrolment=mentee, mentor=mentor)
    if suggestion is None:
        raise ValidationError(
            _("This mentor cannot take you: no free places, no consent or the pair is excluded.")
        )
    now = timezone.now()
    request = MentorRequest(
        organization_id=mentee.organization_id,
        program_id=mentee.program_id,
        mentee=mentee,
        mentor=mentor,
        message=message.strip(),
        score=round(suggestion.score, 6),
        factors=suggestion.factors,
        expires_at=now + dt.timedelta(days=request_expiry_days()),
    )
    request.full_clean()
    request.save()
    audit(actor=actor, action="matching.request_create", obj=request, person_id=mentee.person_id)
    return request


def requests_expire(*, now: dt.datetime | None = None, organization_id: int | None = None) -> int:
    """Mark pending requests past their date as expired; returns how many."""
    now = now or timezone.now()
    qs = MentorRequest.objects.filter(status=RequestStatus.PENDING, expires_at__lte=now)
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    return qs.update(status=RequestStatus.EXPIRED, decided_at=now)


def _mentor_check(actor: Any, request: MentorRequest) -> None:
    access = access_for(actor)
    if request.mentor.person.user_id is None or request.mentor.person.user_id != access.user_id:
        raise PermissionDenied(_("Only the mentor may answer the request."))


def _pending(request: MentorRequest) -> MentorRequest:
    requests_expire(organization_id=request.organization_id)
    fresh = MentorRequest.objects.select_for_update().get(pk=request.pk)
    if fresh.status != RequestStatus.PENDING:
        raise ValidationError(
            _("The request is no longer waiting for an answer: %(status)s.")
            % {"status": fresh.get_status_display()}
        )
    return fresh


@transaction.atomic
def request_accept(*, actor: Any, request: MentorRequest) -> Mentorship:
    """The mentor accepts: a pair is formed at once, within the mentor's capacity."""
    _mentor_check(actor, request)
    fresh = _pending(request)
    mentee = Enrolment.objects.select_related("program", "person").get(pk=fresh.mentee_id)
    if mentee.pk in matched_mentee_ids(program=mentee.program):
        raise ValidationError(_("The mentee already has a mentor in this program."))
    mentor = Enrolment.objects.select_related("person").get(pk=fresh.mentor_id)
    mentorship = mentorships_create(
        actor=actor,
        program=mentee.program,
        items=[
            NewMentorship(
                mentors=[mentor],
                mentees=[mentee],
                score=fresh.score,
                explanation=fresh.factors,
                source_request_id=fresh.pk,
                model=_pair_model(mentee.program),
                variant=mentee.variant or mentor.variant or program_variant(mentee.program),
            )
        ],
    )[0]
    fresh.status = RequestStatus.ACCEPTED
    fresh.decided_at = timezone.now()
    fresh.save(update_fields=["status", "decided_at", "updated_at"])
    request.status = fresh.status
    audit(actor=actor, action="matching.request_accept", obj=fresh, person_id=mentee.person_id)
    return mentorship


@transaction.atomic
def request_decline(*, actor: Any, request: MentorRequest, reason: str = "") -> MentorRequest:
    _mentor_check(actor, request)
    fresh = _pending(request)
    fresh.status = RequestStatus.DECLINED
    fresh.decline_reason = reason.strip()[:500]
    fresh.decided_at = timezone.now()
    fresh.save(update_fields=["status", "decline_reason", "decided_at", "updated_at"])
    audit(actor=actor, action="matching.request_decline", obj=fresh)
    return fresh


@transaction.atomic
def request_cancel(*, actor: Any, request: MentorRequest) -> MentorRequest:
    _mentee_user_check(actor, request.mentee)
    fresh = _pending(request)
    fresh.status = RequestStatus.CANCELLED
    fresh.decided_at = timezone.now()
    fresh.save(update_fields=["status", "decided_at", "updated_at"])
    audit(actor=actor, action="matching.request_cancel", obj=fresh)
    return fresh
