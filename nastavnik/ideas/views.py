"""Pages of the bank of ideas: the list (filter by tag, order by votes or newest), an idea's
page with its comments, posting, voting, commenting and the curator's adoption."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nastavnik.accounts.access import access_for
from nastavnik.ideas import selectors, services
from nastavnik.ideas.forms import AdoptForm, CommentForm, IdeaFilterForm, IdeaForm
from nastavnik.ideas.models import Idea


def _errors_to_form(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def idea_list(request: HttpRequest) -> HttpResponse:
    filters = IdeaFilterForm(request.GET or None)
    tag, sort = "", "votes"
    if filters.is_valid():
        tag = filters.cleaned_data["tag"] or ""
        sort = filters.cleaned_data["sort"] or "votes"
    ideas = selectors.idea_list(user=request.user, tag=tag, sort=sort)
    can_post = bool(selectors.colleague_org_ids(request.user))
    return render(
        request,
        "ideas/list.html",
        {
            "ideas": ideas,
            "filters": filters,
            "tag": tag,
            "sort": sort,
            "tags": selectors.tag_counts(user=request.user),
            "can_post": can_post,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def idea_new(request: HttpRequest) -> HttpResponse:
    organizations = selectors.posting_organizations(user=request.user)
    if not organizations.exists():
        messages.error(
            request, _("Only the organization's teachers and staff take part in its bank of ideas.")
        )
        return redirect("ideas:list")
    form = IdeaForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            idea = services.idea_create(
                actor=request.user,
                organization_id=data["organization"].pk,
                title=data["title"],
                text=data["text"],
                kind=data["kind"],
                tags=services.parse_tags(data["tags"]),
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The idea is posted."))
            return redirect("ideas:detail", idea_id=idea.pk)
    return render(request, "ideas/new.html", {"form": form})


def _detail(
    request: HttpRequest,
    idea: Idea,
    *,
    comment_form: CommentForm | None = None,
    adopt_form: AdoptForm | None = None,
    status: int = 200,
) -> HttpResponse:
    access = access_for(request.user)
    is_curator = access.is_curator_of(idea.organization_id)
    programs = selectors.adoptable_programs(user=request.user, idea=idea)
    return render(
        request,
        "ideas/detail.html",
        {
            "idea": idea,
            "tags": list(idea.tags.order_by("name")),
            "comments": selectors.idea_comments(user=request.user, idea=idea),
            "comment_form": comment_form or CommentForm(),
            "adopt_form": adopt_form
            or (
                AdoptForm(programs=programs, initial={"program": idea.program_id})
                if is_curator
                else None
            ),
            "may_take_part": idea.organization_id in selectors.colleague_org_ids(request.user),
        },
        status=status,
    )


@login_required
def idea_detail(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = selectors.idea_get(user=request.user, idea_id=idea_id)
    return _detail(request, idea)


@login_required
@require_POST
def idea_vote(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = selectors.idea_get(user=request.user, idea_id=idea_id)
    try:
        services.idea_vote(actor=request.user, idea=idea)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your vote is counted."))
    return redirect("ideas:detail", idea_id=idea.pk)


@login_required
@require_POST
def idea_comment(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = selectors.idea_get(user=request.user, idea_id=idea_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.idea_comment(actor=request.user, idea=idea, text=form.cleaned_data["text"])
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The comment is added."))
            return redirect("ideas:detail", idea_id=idea.pk)
    return _detail(request, idea, comment_form=form, status=400)


@login_required
@require_POST
def idea_adopt(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = selectors.idea_get(user=request.user, idea_id=idea_id)
    programs = selectors.adoptable_programs(user=request.user, idea=idea)
    form = AdoptForm(request.POST, programs=programs)
    if form.is_valid():
        try:
            services.idea_adopt(actor=request.user, idea=idea, program=form.cleaned_data["program"])
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The idea is marked adopted."))
            return redirect("ideas:detail", idea_id=idea.pk)
    return _detail(request, idea, adopt_form=form, status=400)
