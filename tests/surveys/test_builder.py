"""The questionnaire builder refuses what cannot be answered, with a Russian message."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nastavnik.surveys import services
from nastavnik.surveys.models import Survey, SurveyStatus
from tests.conftest import Tenant
from tests.surveys.helpers import program_with_people, scale_survey

pytestmark = pytest.mark.django_db


def _empty(tenant: Tenant) -> Survey:
    setup = program_with_people(tenant, mentees=2, mentors=1)
    return services.survey_create(
        actor=tenant.curator,
        program=setup.program,
        title="Пустая",
        kind="other",
        moment="any",
        audience="mentees",
    )


def test_a_survey_without_questions_does_not_open(tenant_a: Tenant) -> None:
    survey = _empty(tenant_a)
    with pytest.raises(ValidationError) as exc:
        services.survey_open(actor=tenant_a.curator, survey=survey)
    assert exc.value.messages == ["В анкете нет ни одного вопроса."]
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.DRAFT


def test_a_choice_question_needs_options(tenant_a: Tenant) -> None:
    survey = _empty(tenant_a)
    with pytest.raises(ValidationError) as exc:
        services.question_add(
            actor=tenant_a.curator, survey=survey, kind="single", text="Что?", options=["один"]
        )
    assert "хотя бы два варианта" in str(exc.value.message_dict["options"])


def test_a_condition_must_point_to_an_earlier_question(tenant_a: Tenant) -> None:
    survey = _empty(tenant_a)
    first = services.question_add(
        actor=tenant_a.curator, survey=survey, kind="yes_no", text="Был опыт?"
    )
    second = services.question_add(
        actor=tenant_a.curator,
        survey=survey,
        kind="short_text",
        text="Какой?",
        show_if=first,
        show_if_value="yes",
    )
    assert second.show_if == first
    # a condition on an answer the question cannot have
    with pytest.raises(ValidationError) as exc:
        services.question_add(
            actor=tenant_a.curator,
            survey=survey,
            kind="short_text",
            text="Почему?",
            show_if=first,
            show_if_value="может быть",
        )
    assert "show_if_value" in exc.value.message_dict
    # a condition on a text question
    with pytest.raises(ValidationError):
        services.question_add(
            actor=tenant_a.curator,
            survey=survey,
            kind="short_text",
            text="И ещё?",
            show_if=second,
            show_if_value="да",
        )
    # a question cannot move above the one it depends on
    with pytest.raises(ValidationError) as moved:
        services.question_move(actor=tenant_a.curator, question=second, up=True)
    assert "выше вопроса" in moved.value.messages[0]


def test_a_condition_on_itself_or_a_later_question_is_refused(tenant_a: Tenant) -> None:
    survey = _empty(tenant_a)
    first = services.question_add(actor=tenant_a.curator, survey=survey, kind="yes_no", text="A?")
    second = services.question_add(actor=tenant_a.curator, survey=survey, kind="yes_no", text="B?")
    # point the first question at the second (a later one) — what a crafted form would send
    with pytest.raises(ValidationError) as exc:
        services._check_condition(survey, second, "yes", first.position)
    assert "заданного раньше" in str(exc.value)
    with pytest.raises(ValidationError):
        services._check_condition(survey, first, "yes", first.position)


def test_reordering_swaps_neighbours(tenant_a: Tenant) -> None:
    survey = _empty(tenant_a)
    a = services.question_add(actor=tenant_a.curator, survey=survey, kind="yes_no", text="A?")
    b = services.question_add(actor=tenant_a.curator, survey=survey, kind="yes_no", text="B?")
    services.question_move(actor=tenant_a.curator, question=b, up=True)
    assert list(survey.questions.order_by("position").values_list("text", flat=True)) == [
        "B?",
        "A?",
    ]
    a.refresh_from_db()
    assert a.position == 2


def test_open_survey_questions_are_frozen(tenant_a: Tenant) -> None:
    setup = program_with_people(tenant_a, mentees=2, mentors=1)
    survey = scale_survey(tenant_a, setup.program, anonymous=False)
    services.survey_open(actor=tenant_a.curator, survey=survey)
    with pytest.raises(ValidationError):
        services.question_add(actor=tenant_a.curator, survey=survey, kind="yes_no", text="Ещё?")


def test_only_the_curator_builds_surveys(tenant_a: Tenant) -> None:
    setup = program_with_people(tenant_a, mentees=2, mentors=1)
    for actor in (tenant_a.head, tenant_a.mentor):
        with pytest.raises(PermissionDenied):
            services.survey_create(
                actor=actor,
                program=setup.program,
                title="X",
                kind="other",
                moment="any",
                audience="mentees",
            )


def test_a_shipped_template_becomes_a_survey_with_its_condition(tenant_a: Tenant) -> None:
    setup = program_with_people(tenant_a, mentees=2, mentors=1)
    survey = services.survey_from_template(
        actor=tenant_a.curator, program=setup.program, code="entry_mentor"
    )
    questions = list(survey.questions.order_by("position"))
    assert len(questions) == 5
    dependent = next(q for q in questions if q.show_if_id)
    assert dependent.show_if is not None
    assert dependent.show_if.text == "Был ли у вас опыт наставничества?"
    assert services.survey_problems(survey) == []
