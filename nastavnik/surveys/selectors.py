"""Reads of surveys, scoped to the acting user: staff see their organizations' surveys and the
results; a respondent sees only the invitations addressed to them."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from nastavnik.accounts.access import access_for
from nastavnik.core.selectors import get_visible
from nastavnik.programs.models import Program
from nastavnik.surveys.models import Invitation, Question, Survey, SurveyStatus


def survey_list(*, user: Any, program: Program | None = None) -> QuerySet[Survey]:
    qs = Survey.objects.staff_view(user).select_related("program")
    if program is not None:
        qs = qs.filter(program=program)
    return qs.annotate(
        invited=Count("invitations", distinct=True),
        answered=Count("invitations", filter=Q(invitations__used=True), distinct=True),
    )


def survey_get(*, user: Any, survey_id: int) -> Survey:
    return get_visible(Survey.objects.staff_view(user).select_related("program"), pk=survey_id)


def question_get(*, user: Any, question_id: int) -> Question:
    return get_visible(Question.objects.staff_view(user).select_related("survey"), pk=question_id)


def survey_questions(survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("position", "id").select_related("show_if"))


def my_invitations(*, user: Any) -> QuerySet[Invitation]:
    """Open surveys addressed to the signed-in person (in every organization they belong to)."""
    access = access_for(user)
    if not access.is_authenticated:
        return Invitation.objects.none()
    return (
        Invitation.objects.member_view(user)
        .filter(person__user=user, survey__status=SurveyStatus.OPEN)
        .select_related("survey", "survey__program")
        .order_by("used", "survey__due_on", "-survey_id")
    )


def my_survey_get(*, user: Any, survey_id: int) -> Survey:
    """A survey the signed-in person was invited to (404 otherwise)."""
    return get_visible(
        Survey.objects.member_view(user).filter(invitations__person__user=user).distinct(),
        pk=survey_id,
    )
