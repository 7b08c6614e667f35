"""Writes of surveys: building a questionnaire, opening it to respondents, accepting answers."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.accounts.access import require_curator
from nastavnik.consents.selectors import people_with_valid_consent
from nastavnik.core.audit import audit
from nastavnik.people.models import Person
from nastavnik.programs.models import Enrolment, EnrolmentRole, Program
from nastavnik.surveys.catalogue import BY_CODE, template_question_rows
from nastavnik.surveys.models import (
    CHOICE_KINDS,
    Answer,
    Audience,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyStatus,
)

YES, NO = "yes", "no"


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def require_survey_curator(actor: Any, organization_id: int) -> None:
    require_curator(
        actor, organization_id, _("Only the curator of the program manages its surveys.")
    )


def _require_draft(survey: Survey) -> None:
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError(_("The survey is already open: its questions cannot change."))


# --- building -------------------------------------------------------------------------------


@transaction.atomic
def survey_create(
    *,
    actor: Any,
    program: Program,
    title: str,
    kind: str,
    moment: str,
    audience: str,
    anonymous: bool = False,
    due_on: dt.date | None = None,
    description: str = "",
) -> Survey:
    require_survey_curator(actor, program.organization_id)
    survey = Survey(
        organization_id=program.organization_id,
        program=program,
        title=title.strip(),
        kind=kind,
        moment=moment,
        audience=audience,
        anonymous=anonymous,
        due_on=due_on,
        description=description,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    survey.full_clean()
    survey.save()
    audit(actor=actor, action="survey.create", obj=survey, message=survey.title)
    return survey


@transaction.atomic
def survey_from_template(
    *, actor: Any, program: Program, code: str, due_on: dt.date | None = None
) -> Survey:
    template = BY_CODE.get(code)
    if template is None:
        raise ValidationError(_("There is no such questionnaire template."))
    survey = survey_create(
        actor=actor,
        program=program,
        title=template.title,
        kind=template.kind,
        moment=template.moment,
        audience=template.audience,
        anonymous=template.anonymous,
        due_on=due_on,
    )
    created: list[Question] = []
    for row in template_question_rows(template):
        show_if_index = row.pop("show_if")
        created.append(
            question_add(
                actor=actor,
                survey=survey,
                show_if=created[show_if_index] if show_if_index is not None else None,
                **row,
            )
        )
    return survey


def _clean_options(kind: str, options: Iterable[str]) -> list[str]:
    cleaned = [o.strip() for o in options if o and o.strip()]
    if kind in CHOICE_KINDS:
        if len(cleaned) < 2:
            raise ValidationError(
                {"options": _("A choice question needs at least two options, one per line.")}
            )
        if len(set(cleaned)) != len(cleaned):
            raise ValidationError({"options": _("The options repeat.")})
        return cleaned
    return []


def _check_condition(survey: Survey, show_if: Question | None, value: str, position: int) -> None:
    if show_if is None:
        return
    if show_if.survey_id != survey.pk:
        raise ValidationError({"show_if": _("The condition must point to this survey's question.")})
    if show_if.position >= position:
        raise ValidationError(
            {"show_if": _("A question may depend only on a question asked before it.")}
        )
    allowed: list[str]
    if show_if.kind == QuestionKind.YES_NO:
        allowed = [YES, NO]
    elif show_if.kind in CHOICE_KINDS:
        allowed = list(show_if.options)
    elif show_if.kind == QuestionKind.SCALE:
        allowed = [str(n) for n in range(1, 11)]
    else:
        raise ValidationError(
            {"show_if": _("A condition can follow only a scale, a choice or a yes/no question.")}
        )
    if value not in allowed:
        raise ValidationError(
            {
                "show_if_value": _("The condition's answer must be one of: %(values)s.")
                % {"values": ", ".join(allowed)}
            }
        )


@transaction.atomic
def question_add(
    *,
    actor: Any,
    survey: Survey,
    kind: str,
    text: str,
    options: Iterable[str] = (),
    required: bool = True,
    section: str = "",
    help_text: str = "",
    show_if: Question | None = None,
    show_if_value: str = "",
    profile_field: str = "",
) -> Question:
    require_survey_curator(actor, survey.organization_id)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _require_draft(survey)
    last = survey.questions.order_by("-position").values_list("position", flat=True).first()
    position = (last or 0) + 1
    question = Question(
        organization_id=survey.organization_id,
        survey=survey,
        position=position,
        kind=kind,
        text=text.strip(),
        required=required,
        section=section.strip(),
        help_text=help_text.strip(),
        options=_clean_options(kind, options),
        show_if=show_if,
        show_if_value=show_if_value.strip() if show_if else "",
        profile_field=profile_field,
    )
    question.full_clean()
    _check_condition(survey, show_if, question.show_if_value, position)
    question.save()
    return question


@transaction.atomic
def question_move(*, actor: Any, question: Question, up: bool) -> None:
    """Swap a question with its neighbour; a question never moves above the one it depends on."""
    require_survey_curator(actor, question.organization_id)
    survey = Survey.objects.select_for_update().get(pk=question.survey_id)
    _require_draft(survey)
    ordered = list(survey.questions.order_by("position", "id"))
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(ordered):
        return
    first, second = sorted((ordered[index], ordered[other_index]), key=lambda q: q.position)
    if second.show_if_id == first.pk:
        raise ValidationError(_("A question cannot move above the question it depends on."))
    first.position, second.position = second.position, first.position
    for q in (first, second):
        q.save(update_fields=["position"])


@transaction.atomic
def question_delete(*, actor: Any, question: Question) -> None:
    require_survey_curator(actor, question.organization_id)
    survey = Survey.objects.select_for_update().get(pk=question.survey_id)
    _require_draft(survey)
    if question.dependants.exists():
        raise ValidationError(_("Other questions depend on this one: change them first."))
    question.delete()


def survey_problems(survey: Survey) -> list[str]:
    """What keeps a survey from being opened, in Russian; empty when it may open."""
    problems = []
    questions = list(survey.questions.all())
    if not questions:
        problems.append(_("The survey has no question."))
    for q in questions:
        if q.kind in CHOICE_KINDS and len(q.options) < 2:
            problems.append(
                _("The question «%(text)s» offers no options to choose from.") % {"text": q.text}
            )
    return problems


# --- distribution ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenResult:
    invited: int
    without_consent: int
    links: dict[int, str]  # person id → one-time key (shown once, to hand out)


def _audience_people(survey: Survey) -> list[tuple[Person, str]]:
    roles: list[str]
    if survey.audience == Audience.MENTORS:
        roles = [EnrolmentRole.MENTOR]
    elif survey.audience == Audience.MENTEES:
        roles = [EnrolmentRole.MENTEE]
    elif survey.audience == Audience.EVERYONE:
        roles = [EnrolmentRole.MENTOR, EnrolmentRole.MENTEE]
    else:
        return []
    enrolments = (
        Enrolment.objects.filter(program_id=survey.program_id, role__in=roles)
        .select_related("person")
        .order_by("person__search_name", "person_id")
    )
    seen: dict[int, tuple[Person, str]] = {}
    for enrolment in enrolments:
        seen.setdefault(enrolment.person_id, (enrolment.person, enrolment.role))
    return list(seen.values())


def _new_invitation(survey: Survey, **fields: Any) -> tuple[Invitation, str]:
    key = secrets.token_urlsafe(24)
    invitation = Invitation.objects.create(
        organization_id=survey.organization_id,
        survey=survey,
        key_hash=key_hash(key),
        expires_on=timezone.localdate() + dt.timedelta(days=survey.link_days),
        **fields,
    )
    return invitation, key


@transaction.atomic
def survey_open(*, actor: Any, survey: Survey) -> OpenResult:
    """Open the survey: every person of the audience with a valid consent gets an invitation."""
    require_survey_curator(actor, survey.organization_id)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _require_draft(survey)
    problems = survey_problems(survey)
    if problems:
        raise ValidationError(problems)
    people = _audience_people(survey)
    allowed = people_with_valid_consent(p.pk for p, _role in people)
    links: dict[int, str] = {}
    for person, role in people:
        if person.pk in allowed:
            _invitation, key = _new_invitation(survey, person=person, role=role)
            links[person.pk] = key
    survey.status = SurveyStatus.OPEN
    survey.opened_at = timezone.now()
    survey.save(update_fields=["status", "opened_at", "updated_at"])
    audit(
        actor=actor,
        action="survey.open",
        obj=survey,
        data={"invited": len(links), "without_consent": len(people) - len(links)},
    )
    return OpenResult(len(links), len(people) - len(links), links)


@transaction.atomic
def outside_invitation_create(*, actor: Any, survey: Survey, name: str, role: str = "") -> str:
    """A one-time link for a respondent without a login (a parent, a partner, an outside expert)."""
    require_survey_curator(actor, survey.organization_id)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError(_("Open the survey first."))
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Enter who the link is for.")})
    _invitation, key = _new_invitation(survey, outside_name=name[:300], role=role[:16])
    audit(actor=actor, action="survey.invite_outside", obj=survey)
    return key


@transaction.atomic
def survey_close(*, actor: Any, survey: Survey) -> None:
    require_survey_curator(actor, survey.organization_id)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError(_("Only an open survey can be closed."))
    survey.status = SurveyStatus.CLOSED
    survey.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action="survey.close", obj=survey)


# --- answering ------------------------------------------------------------------------------


def visible_questions(questions: list[Question], values: Mapping[int, Any]) -> list[Question]:
    """The questions the respondent is asked, given the answers so far (conditions applied)."""
    shown: list[Question] = []
    shown_ids: set[int] = set()
    for q in questions:
        if q.show_if_id is not None:
            if q.show_if_id not in shown_ids:
                continue
            given = values.get(q.show_if_id)
            if isinstance(given, list):
                if q.show_if_value not in given:
                    continue
            elif _as_text(given) != q.show_if_value:
                continue
        shown.append(q)
        shown_ids.add(q.pk)
    return shown


def _as_text(value: Any) -> str:
    if value is True:
        return YES
    if value is False:
        return NO
    return "" if value is None else str(value)


def parse_answer(question: Question, raw: list[str]) -> Any:
    """The answer typed in a form → its stored value; None when empty. Raises ValidationError."""
    values = [v.strip() for v in raw if v is not None and v.strip()]
    if not values:
        return None
    if question.kind == QuestionKind.SCALE:
        try:
            number = int(values[0])
        except ValueError:
            number = 0
        if not 1 <= number <= 10:
            raise ValidationError(_("Choose a number from 1 to 10."))
        return number
    if question.kind == QuestionKind.YES_NO:
        if values[0] not in (YES, NO):
            raise ValidationError(_("Answer yes or no."))
        return values[0] == YES
    if question.kind == QuestionKind.SINGLE:
        if values[0] not in question.options:
            raise ValidationError(_("Choose one of the options."))
        return values[0]
    if question.kind == QuestionKind.MULTIPLE:
        unknown = [v for v in values if v not in question.options]
        if unknown:
            raise ValidationError(_("Choose among the options."))
        return [o for o in question.options if o in values]
    limit = 300 if question.kind == QuestionKind.SHORT_TEXT else 5000
    text = values[0]
    if len(text) > limit:
        raise ValidationError(
            _("The answer is too long: at most %(limit)d characters.") % {"limit": limit}
        )
    return text


def clean_answers(
    questions: list[Question], raw: Mapping[int, list[str]]
) -> tuple[dict[int, Any], dict[int, str]]:
    """Parse every visible question's answer; returns the values and the errors by question id."""
    values: dict[int, Any] = {}
    errors: dict[int, str] = {}
    for q in questions:
        try:
            value = parse_answer(q, raw.get(q.pk, []))
        except ValidationError as exc:
            errors[q.pk] = exc.messages[0]
            continue
        if value is not None:
            values[q.pk] = value
    shown = visible_questions(questions, values)
    shown_ids = {q.pk for q in shown}
    for q in shown:
        if q.required and q.pk not in values and q.pk not in errors:
            errors[q.pk] = _("Answer this question.")
    # Answers to questions that stayed hidden are not kept.
    values = {k: v for k, v in values.items() if k in shown_ids}
    errors = {k: v for k, v in errors.items() if k in shown_ids}
    return values, errors


class AnswerRefused(ValidationError):
    """A link or an answer that cannot be accepted; the message says why, in Russian."""


def invitation_for_key(key: str) -> Invitation | None:
    if not key or len(key) > 100:
        return None
    return (
        Invitation.objects.select_related("survey", "survey__program", "person")
        .filter(key_hash=key_hash(key))
        .first()
    )


def invitation_problem(invitation: Invitation | None, *, today: dt.date | None = None) -> str:
    """Why this link or invitation cannot be answered now; empty when it can."""
    today = today or timezone.localdate()
    if invitation is None:
        return _("The link is not valid. Ask the curator for a new one.")
    if invitation.used:
        return _("This survey has already been answered by this link: a link works once.")
    survey = invitation.survey
    if survey.status == SurveyStatus.DRAFT:
        return _("The survey is not open yet.")
    if survey.status == SurveyStatus.CLOSED:
        return _("The survey is closed: answers are no longer accepted.")
    if survey.due_on is not None and today > survey.due_on:
        return _("Answers were accepted until %(date)s.") % {
            "date": survey.due_on.strftime("%d.%m.%Y")
        }
    if today > invitation.expires_on:
        return _("The link expired on %(date)s. Ask the curator for a new one.") % {
            "date": invitation.expires_on.strftime("%d.%m.%Y")
        }
    return ""


@transaction.atomic
def response_submit(*, invitation: Invitation, raw: Mapping[int, list[str]]) -> Response:
    """Accept the answers given through an invitation (a link or the respondent's own page).

    The invitation row is locked, so two tabs sending at once make one response; it is marked used
    in the same transaction. For an anonymous survey the response keeps no person and no date.
    """
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("survey")
        .get(pk=invitation.pk)
    )
    problem = invitation_problem(locked)
    if problem:
        raise AnswerRefused(problem)
    survey = locked.survey
    if locked.person_id is not None and not people_with_valid_consent([locked.person_id]):
        raise AnswerRefused(_("There is no valid consent to process your data: ask the curator."))
    questions = list(survey.questions.order_by("position", "id"))
    values, errors = clean_answers(questions, raw)
    if errors:
        raise ValidationError({str(k): v for k, v in errors.items()})
    response = Response.objects.create(
        organization_id=survey.organization_id,
        survey=survey,
        person_id=None if survey.anonymous else locked.person_id,
        role=locked.role,
        submitted_on=None if survey.anonymous else timezone.localdate(),
    )
    Answer.objects.bulk_create(
        [
            Answer(
                organization_id=survey.organization_id,
                response=response,
                question_id=question_id,
                value=value,
            )
            for question_id, value in values.items()
        ]
    )
    locked.used = True
    locked.save(update_fields=["used"])
    if not survey.anonymous:
        audit(
            actor=None,
            action="survey.answer",
            obj=survey,
            person_id=locked.person_id,
        )
    return response


def invitation_of_user(*, user: Any, survey: Survey) -> Invitation | None:
    """The signed-in respondent's own invitation to a survey."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Invitation.objects.select_related("survey").filter(survey=survey, person__user=user).first()
    )


def _respond_link(invitation: Invitation) -> str:
    base = settings.NASTAVNIK_BASE_URL.rstrip("/")
    if invitation.person is not None and invitation.person.user_id is not None:
        return f"{base}{reverse('surveys:respond', kwargs={'survey_id': invitation.survey_id})}"
    # No login: a fresh one-time key replaces the old one (which was handed out once, unseen by us).
    key = secrets.token_urlsafe(24)
    invitation.key_hash = key_hash(key)
    invitation.expires_on = max(
        invitation.expires_on, timezone.localdate() + dt.timedelta(days=invitation.survey.link_days)
    )
    invitation.save(update_fields=["key_hash", "expires_on"])
    return f"{base}{reverse('surveys:answer', kwargs={'key': key})}"


def reminders_send(*, today: dt.date | None = None) -> int:
    """Remind by e-mail whoever has not answered an open survey yet (at most every 3 days).

    A person with a login gets the link to their survey page; one without a login gets a new
    one-time link (the old one stops working). People without an e-mail address are left to the
    curator's list. Each invitation is decided under its row lock, so two workers never send the
    same reminder twice. Returns how many were sent.
    """
    today = today or timezone.localdate()
    candidates = list(
        Invitation.objects.filter(
            used=False,
            person__isnull=False,
            survey__status=SurveyStatus.OPEN,
            expires_on__gte=today,
        )
        .exclude(person__email="")
        .exclude(reminded_on__gt=today - dt.timedelta(days=3))
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in candidates:
        with transaction.atomic():
            invitation = (
                Invitation.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("survey", "person")
                .filter(pk=pk, used=False)
                .exclude(reminded_on__gt=today - dt.timedelta(days=3))
                .first()
            )
            if invitation is None or invitation.person is None:
                continue
            link = _respond_link(invitation)
            survey, person = invitation.survey, invitation.person
            due = (
                _("Please answer by %(date)s.") % {"date": survey.due_on.strftime("%d.%m.%Y")}
                if survey.due_on
                else ""
            )
            send_mail(
                subject=_("Survey: %(title)s") % {"title": survey.title},
                message=_(
                    "Hello, %(name)s!\n\nYou have not answered the survey «%(title)s» yet. "
                    "%(due)s\n\n%(link)s\n"
                )
                % {
                    "name": f"{person.first_name} {person.middle_name}".strip(),
                    "title": survey.title,
                    "due": due,
                    "link": link,
                },
                from_email=None,
                recipient_list=[person.email],
            )
            invitation.reminded_on = today
            invitation.save(update_fields=["reminded_on"])
            sent += 1
    return sent
