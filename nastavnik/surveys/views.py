"""Pages of surveys: the curator's builder and results, the respondent's form (signed in or by a
one-time link)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nastavnik.accounts.access import access_for
from nastavnik.people.models import PERSON_ORDER, Person
from nastavnik.programs.selectors import staff_program_get
from nastavnik.surveys import evaluation, services
from nastavnik.surveys.exports import survey_results_xlsx
from nastavnik.surveys.forms import FromTemplateForm, OutsideLinkForm, QuestionForm, SurveyForm
from nastavnik.surveys.models import Invitation, Survey, SurveyStatus
from nastavnik.surveys.selectors import (
    my_invitations,
    my_survey_get,
    question_get,
    survey_get,
    survey_list,
    survey_questions,
)


def _raw_answers(request: HttpRequest, survey: Survey) -> dict[int, list[str]]:
    return {q.pk: request.POST.getlist(f"q{q.pk}") for q in survey.questions.all()}


def _errors_by_question(exc: ValidationError) -> dict[int, str]:
    if hasattr(exc, "error_dict"):
        return {int(k): v[0].messages[0] for k, v in exc.error_dict.items() if str(k).isdigit()}
    return {}


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "surveys/index.html",
        {
            "surveys": survey_list(user=request.user)[:200],
            "invitations": my_invitations(user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_surveys(request: HttpRequest, program_id: int) -> HttpResponse:
    program = staff_program_get(user=request.user, program_id=program_id)
    template_form = FromTemplateForm(prefix="t")
    blank_form = SurveyForm(prefix="s")
    if request.method == "POST":
        services.require_survey_curator(request.user, program.organization_id)
        try:
            if "t-template" in request.POST:
                template_form = FromTemplateForm(request.POST, prefix="t")
                if template_form.is_valid():
                    survey = services.survey_from_template(
                        actor=request.user,
                        program=program,
                        code=template_form.cleaned_data["template"],
                        due_on=template_form.cleaned_data["due_on"],
                    )
                    messages.success(request, _("The survey is created: check its questions."))
                    return redirect("surveys:detail", survey_id=survey.pk)
            else:
                blank_form = SurveyForm(request.POST, prefix="s")
                if blank_form.is_valid():
                    survey = services.survey_create(
                        actor=request.user, program=program, **blank_form.cleaned_data
                    )
                    return redirect("surveys:detail", survey_id=survey.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return render(
        request,
        "surveys/program.html",
        {
            "program": program,
            "surveys": survey_list(user=request.user, program=program),
            "template_form": template_form,
            "blank_form": blank_form,
            "is_curator": access_for(request.user).is_curator_of(program.organization_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = survey_get(user=request.user, survey_id=survey_id)
    is_curator = access_for(request.user).is_curator_of(survey.organization_id)
    form = QuestionForm(questions=survey.questions.all())
    link_form = OutsideLinkForm()
    new_link = ""
    person_links: list[tuple[str, str]] = []
    if request.method == "POST":
        services.require_survey_curator(request.user, survey.organization_id)
        action = request.POST.get("action", "")
        try:
            if action == "question":
                form = QuestionForm(request.POST, questions=survey.questions.all())
                if form.is_valid():
                    data = form.cleaned_data
                    services.question_add(
                        actor=request.user,
                        survey=survey,
                        kind=data["kind"],
                        text=data["text"],
                        options=form.option_lines(),
                        required=data["required"],
                        section=data["section"],
                        show_if=data["show_if"],
                        show_if_value=data["show_if_value"],
                    )
                    messages.success(request, _("The question is added."))
                    return redirect("surveys:detail", survey_id=survey.pk)
            elif action == "open":
                if request.POST.get("confirm") != "yes":
                    raise ValidationError(_("Tick the box to confirm that the survey opens."))
                result = services.survey_open(actor=request.user, survey=survey)
                messages.success(
                    request,
                    _(
                        "The survey is open: %(invited)d invited, %(skipped)d without a valid consent."  # noqa: E501
                    )
                    % {"invited": result.invited, "skipped": result.without_consent},
                )
                # People without a login answer by their one-time link: shown now, once.
                without_login = Person.objects.filter(
                    pk__in=result.links, user__isnull=True
                ).order_by(*PERSON_ORDER)
                person_links = [
                    (
                        person.full_name,
                        request.build_absolute_uri(
                            reverse("surveys:answer", kwargs={"key": result.links[person.pk]})
                        ),
                    )
                    for person in without_login
                ]
                if not person_links:
                    return redirect("surveys:detail", survey_id=survey.pk)
            elif action == "close":
                services.survey_close(actor=request.user, survey=survey)
                return redirect("surveys:detail", survey_id=survey.pk)
            elif action == "outside":
                link_form = OutsideLinkForm(request.POST)
                if link_form.is_valid():
                    key = services.outside_invitation_create(
                        actor=request.user, survey=survey, name=link_form.cleaned_data["name"]
                    )
                    new_link = request.build_absolute_uri(
                        reverse("surveys:answer", kwargs={"key": key})
                    )
                    link_form = OutsideLinkForm()
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and action == "question":
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.error(request, " ".join(exc.messages))
    survey.refresh_from_db()
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "questions": survey_questions(survey),
            "problems": services.survey_problems(survey)
            if survey.status == SurveyStatus.DRAFT
            else [],
            "form": form,
            "link_form": link_form,
            "new_link": new_link,
            "person_links": person_links,
            "is_curator": is_curator,
            "invited": survey.invitations.count(),
            "answered": survey.invitations.filter(used=True).count(),
        },
    )


@login_required
@require_POST
def question_move(request: HttpRequest, question_id: int) -> HttpResponse:
    question = question_get(user=request.user, question_id=question_id)
    try:
        services.question_move(
            actor=request.user, question=question, up=request.POST.get("direction") == "up"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("surveys:detail", survey_id=question.survey_id)


@login_required
@require_POST
def question_delete(request: HttpRequest, question_id: int) -> HttpResponse:
    question = question_get(user=request.user, question_id=question_id)
    try:
        services.question_delete(actor=request.user, question=question)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("surveys:detail", survey_id=question.survey_id)


@login_required
@require_GET
def preview(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = survey_get(user=request.user, survey_id=survey_id)
    return render(
        request,
        "surveys/answer.html",
        {"survey": survey, "questions": survey_questions(survey), "preview": True},
    )


def _comparison_partner(survey: Survey) -> Survey | None:
    other_moment = {"start": "end", "end": "start"}.get(survey.moment)
    if other_moment is None:
        return None
    return (
        Survey.objects.filter(
            program_id=survey.program_id,
            kind=survey.kind,
            audience=survey.audience,
            moment=other_moment,
        )
        .exclude(pk=survey.pk)
        .order_by("-created_at")
        .first()
    )


@login_required
@require_GET
def results(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = survey_get(user=request.user, survey_id=survey_id)
    partner = _comparison_partner(survey)
    start, end = (survey, partner) if survey.moment == "start" else (partner, survey)
    comparisons = evaluation.compare_start_end(start, end) if start and end else []
    growth = evaluation.growth(start, end) if start and end else []
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "results": evaluation.survey_results(survey),
            "answered": survey.responses.exists(),
            "partner": partner,
            "comparisons": comparisons,
            "growth": growth,
            "threshold": evaluation.ANONYMITY_THRESHOLD,
        },
    )


@login_required
@require_GET
def export(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = survey_get(user=request.user, survey_id=survey_id)
    response = HttpResponse(
        survey_results_xlsx(survey),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.xlsx"'
    return response


def _answer_page(
    request: HttpRequest, invitation: Invitation, *, done_url: str = ""
) -> HttpResponse:
    survey = invitation.survey
    problem = services.invitation_problem(invitation)
    if problem:
        return render(request, "surveys/refused.html", {"message": problem}, status=404)
    errors: dict[int, str] = {}
    given: dict[int, list[str]] = {}
    if request.method == "POST":
        given = _raw_answers(request, survey)
        try:
            services.response_submit(invitation=invitation, raw=given)
        except services.AnswerRefused as exc:
            return render(request, "surveys/refused.html", {"message": exc.messages[0]}, status=404)
        except ValidationError as exc:
            errors = _errors_by_question(exc)
            messages.error(request, _("Some answers need attention: see the marked questions."))
        else:
            return render(request, "surveys/thanks.html", {"survey": survey, "done_url": done_url})
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "questions": survey_questions(survey),
            "errors": errors,
            "given": given,
            "preview": False,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, key: str) -> HttpResponse:
    """A respondent without a login answers by the one-time link (the key is the secret)."""
    invitation = services.invitation_for_key(key)
    if invitation is None:
        return render(
            request,
            "surveys/refused.html",
            {"message": services.invitation_problem(None)},
            status=404,
        )
    return _answer_page(request, invitation)


@login_required
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, survey_id: int) -> HttpResponse:
    """A signed-in respondent answers the survey addressed to them."""
    survey = my_survey_get(user=request.user, survey_id=survey_id)
    invitation = services.invitation_of_user(user=request.user, survey=survey)
    assert invitation is not None  # my_survey_get found it
    return _answer_page(request, invitation, done_url="/surveys/")
