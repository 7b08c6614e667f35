"""The two stages of evaluation on known answers, the anonymity threshold, the export."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from nastavnik.reports.figures import figures_by_organization
from nastavnik.surveys import evaluation, services
from nastavnik.surveys.models import Invitation, Response, Survey
from tests.conftest import Tenant, login
from tests.surveys.helpers import program_with_people, scale_survey

pytestmark = pytest.mark.django_db


def _answer_all(survey: Survey, scores: list[int], texts: list[str] | None = None) -> None:
    questions = list(survey.questions.order_by("position"))
    invitations = list(Invitation.objects.filter(survey=survey).order_by("person__last_name", "pk"))
    for index, (invitation, score) in enumerate(zip(invitations, scores, strict=False)):
        raw = {questions[0].pk: [str(score)]}
        if texts:
            raw[questions[1].pk] = [texts[index]]
        services.response_submit(invitation=invitation, raw=raw)


def test_before_and_after_on_known_answers(tenant_a: Tenant) -> None:
    setup = program_with_people(tenant_a, mentees=6, mentors=1)
    start = scale_survey(tenant_a, setup.program, anonymous=False, moment="start")
    end = scale_survey(tenant_a, setup.program, anonymous=False, moment="end")
    services.survey_open(actor=tenant_a.curator, survey=start)
    services.survey_open(actor=tenant_a.curator, survey=end)
    _answer_all(start, [4, 5, 6, 5, 5, 5])  # mean 5
    _answer_all(end, [7, 8, 6, 9, 5, 7])  # mean 7
    [comparison] = evaluation.compare_start_end(start, end)
    assert comparison.start.mean == 5
    assert comparison.end.mean == 7
    assert comparison.delta == 2
    assert comparison.end.distribution["7"] == 2
    [grown] = evaluation.growth(start, end)
    assert grown.pairs == 6
    assert grown.mean_delta == 2
    assert grown.improved == 4  # two stayed where they were (6 → 6, 5 → 5)


def test_anonymous_figures_hide_below_five_answers_per_cell(tenant_a: Tenant) -> None:
    setup = program_with_people(tenant_a, mentees=6, mentors=4)
    survey = scale_survey(tenant_a, setup.program, anonymous=True, audience="everyone")
    services.survey_open(actor=tenant_a.curator, survey=survey)
    questions = list(survey.questions.order_by("position"))
    for invitation in Invitation.objects.filter(survey=survey):
        services.response_submit(
            invitation=invitation, raw={questions[0].pk: ["8"], questions[1].pk: ["Мне нравится"]}
        )
    [scale, text] = evaluation.survey_results(survey)
    assert scale.total.count == 10
    assert not scale.total.withheld
    assert scale.by_role["mentee"].mean == 8
    assert scale.by_role["mentor"].withheld  # four mentors: too few to show
    assert scale.by_role["mentor"].mean is None
    assert text.texts == ["Мне нравится"] * 10
    # Growth cannot pair anonymous answers, by design.
    assert evaluation.growth(survey, survey) == []


def test_an_anonymous_survey_with_four_answers_shows_nothing(tenant_a: Tenant) -> None:
    setup = program_with_people(tenant_a, mentees=4, mentors=1)
    survey = scale_survey(tenant_a, setup.program, anonymous=True)
    services.survey_open(actor=tenant_a.curator, survey=survey)
    _answer_all(survey, [1, 2, 3, 10], texts=["а", "б", "в", "г"])
    page = login(tenant_a.curator).get(reverse("surveys:results", kwargs={"survey_id": survey.pk}))
    body = page.content.decode()
    assert page.status_code == 200
    assert "слишком мало, чтобы показать" in body
    assert "среднее" not in body
    workbook = load_workbook(io.BytesIO(evaluation_export(tenant_a, survey)))
    assert workbook.worksheets[0]["D3"].value == "меньше 5 ответов: скрыто"
    assert workbook.worksheets[1].max_row == 1  # no free text leaks


def evaluation_export(tenant: Tenant, survey: Survey) -> bytes:
    response = login(tenant.curator).get(reverse("surveys:export", kwargs={"survey_id": survey.pk}))
    assert response.status_code == 200
    return response.content


def test_the_export_reads_back_with_figures_and_no_formulas(tenant_a: Tenant) -> None:
    setup = program_with_people(tenant_a, mentees=5, mentors=1)
    survey = scale_survey(tenant_a, setup.program, anonymous=False)
    services.survey_open(actor=tenant_a.curator, survey=survey)
    _answer_all(survey, [6, 7, 8, 9, 10], texts=['=HYPERLINK("x")', "хорошо", "", "", ""])
    workbook = load_workbook(io.BytesIO(evaluation_export(tenant_a, survey)))
    figures, texts = workbook.worksheets
    assert figures["A3"].value == "Насколько вы довольны?"
    assert figures["B3"].value == 5
    assert figures["C3"].value == 8
    values = [row[1] for row in texts.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("x")' in values
    assert all(cell.data_type != "f" for row in texts.iter_rows() for cell in row)


def test_the_satisfaction_figure_for_the_monitoring_report(tenant_a: Tenant) -> None:
    setup = program_with_people(tenant_a, mentees=5, mentors=1)
    survey = scale_survey(tenant_a, setup.program, anonymous=True)
    services.survey_open(actor=tenant_a.curator, survey=survey)
    _answer_all(survey, [6, 7, 8, 9, 10])
    year = setup.program.academic_year.start_year
    figures = figures_by_organization([tenant_a.organization.pk], year)[tenant_a.organization.pk]
    assert figures.satisfaction_mentees == 80.0  # the mean 8 of 10


def test_pages_of_the_builder_and_the_respondent(tenant_a: Tenant) -> None:
    setup = program_with_people(tenant_a, mentees=2, mentors=1)
    curator = login(tenant_a.curator)
    created = curator.post(
        reverse("surveys:program", kwargs={"program_id": setup.program.pk}),
        {"t-template": "check_in", "t-due_on": ""},
    )
    assert created.status_code == 302
    survey = Survey.objects.get(program=setup.program)
    detail = reverse("surveys:detail", kwargs={"survey_id": survey.pk})
    refused = curator.post(detail, {"action": "open"}, follow=True)
    assert "Отметьте флажок" in refused.content.decode()
    opened = curator.post(detail, {"action": "open", "confirm": "yes"}, follow=True)
    body = opened.content.decode()
    assert "Анкета открыта. Приглашено: 3" in body
    # the pupil without a login gets a one-time link, shown to the curator once
    assert "Одноразовые ссылки" in body
    assert setup.mentees[1].full_name in body
    assert tenant_a.mentee_person.full_name not in body  # has a login: answers on their page
    assert "/surveys/answer/" in body
    # the mentee finds it under «Мои анкеты» and answers from the page
    mentee = login(tenant_a.mentee)
    listing = mentee.get(reverse("surveys:index")).content.decode()
    assert "Короткая анкета после встречи" in listing
    form = mentee.get(reverse("surveys:respond", kwargs={"survey_id": survey.pk}))
    assert form.status_code == 200
    # but the mentee never opens the builder or the results
    assert mentee.get(detail).status_code == 404
    results = reverse("surveys:results", kwargs={"survey_id": survey.pk})
    assert mentee.get(results).status_code == 404


def test_the_demo_has_answered_surveys_at_the_start_and_the_end(db: object) -> None:
    from nastavnik.demo.services import demo_seed

    context = demo_seed(compact=True)
    ends = Survey.objects.filter(title__contains="завершение программы")
    assert ends.exists()
    end = ends.first()
    assert end is not None
    start = Survey.objects.get(program=end.program, title__contains="(начало программы)")
    comparisons = evaluation.compare_start_end(start, end)
    assert comparisons
    # The anonymous figures show where five answers or more stand behind them (the compact demo
    # has small programs too); the change is then a real number.
    for c in comparisons:
        assert (c.delta is not None) == (c.start.count >= 5 and c.end.count >= 5)
    assert Response.objects.filter(survey__in=[start, end]).count() == 2 * start.invitations.count()
    assert context.timings.get("surveys") is not None
