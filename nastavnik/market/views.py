from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from nastavnik.accounts.access import access_for
from nastavnik.market.forms import MarketSearchForm, TeamForm
from nastavnik.market.selectors import MarketCard, market_search, team_assemble
from nastavnik.people.selectors import person_queryset


@login_required
@require_GET
def market(request: HttpRequest) -> HttpResponse:
    form = MarketSearchForm(request.GET or None)
    cards: list[MarketCard] = []
    read_as: list[str] = []
    searched = False
    if form.is_valid() and (form.cleaned_data["q"] or form.competency_ids()):
        searched = True
        cards, read_as = market_search(
            user=request.user, query=form.cleaned_data["q"], competency_ids=form.competency_ids()
        )
    user_id = access_for(request.user).user_id or 0
    own = person_queryset(user=request.user).filter(user_id=user_id).first()
    context = {
        "form": form,
        "cards": cards,
        "read_as": read_as,
        "searched": searched,
        "own_person": own,
    }
    template = "market/_results.html" if request.htmx else "market/market.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
@require_GET
def team(request: HttpRequest) -> HttpResponse:
    form = TeamForm(request.GET or None)
    proposal = None
    if form.is_valid():
        proposal = team_assemble(user=request.user, competency_ids=form.competency_ids())
    return render(request, "market/team.html", {"form": form, "proposal": proposal})
