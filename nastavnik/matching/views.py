"""Pages of matching: runs of a program, the curator's review, the comparison of a pair,
self-matching for mentees and requests for mentors. Thin: selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from nastavnik.accounts.access import Actor, access_for
from nastavnik.core.selectors import get_visible
from nastavnik.matching import services
from nastavnik.matching.engine.features import Weights
from nastavnik.matching.explanations import FACTOR_LABELS, reason_label, summary
from nastavnik.matching.explanations import render as render_lines
from nastavnik.matching.features import base_variants
from nastavnik.matching.group_selectors import group_counts, group_get, run_groups
from nastavnik.matching.models import MatchingRun, Prefer, ProposalGroup, ProposalState, RunKind
from nastavnik.matching.selectors import (
    exclusion_get,
    exclusion_list,
    incoming_requests,
    my_mentee_enrolments,
    names_for,
    outgoing_requests,
    program_requests,
    proposal_counts,
    proposal_get,
    request_get,
    run_get,
    run_list,
    run_proposals,
    run_unmatched,
    staff_program_get,
)
from nastavnik.matching.suggestions import suggestions_for
from nastavnik.people.selectors import profile_detail
from nastavnik.programs.models import Enrolment, EnrolmentRole


def _errors(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


REVIEW_PAGE_SIZE = 100

SAME_CLASS_LABELS = {
    "indifferent": gettext_lazy("does not matter"),
    "prefer_same": gettext_lazy("prefer the same class"),
    "prefer_different": gettext_lazy("prefer different classes"),
}


def _parameters_from(post: Any) -> dict[str, Any]:
    weights = {}
    for code in Weights().as_dict():
        raw = post.get(f"w_{code}", "").replace(",", ".").strip()
        if raw:
            try:
                weights[code] = float(raw)
            except ValueError:
                weights[code] = -1.0
    return {
        "kind": post.get("kind", "pairs"),
        "min_size": post.get("min_size"),
        "max_size": post.get("max_size"),
        "team_size": post.get("team_size"),
        "grouping": post.get("grouping"),
        # Not given: the kind's default (``run_parameters_clean``), coverage for groups.
        "prefer": post.get("prefer", ""),
        "top_k": post.get("top_k") or 50,
        "same_class": post.get("same_class", "indifferent"),
        "variant_id": post.get("variant_id") or None,
        "require_format_match": post.get("require_format_match") == "on",
        "weights": weights,
    }


@login_required
def program_runs(request: HttpRequest, program_id: int) -> HttpResponse:
    """The program's runs, and the form that starts a new one."""
    program = staff_program_get(user=request.user, program_id=program_id)
    can_run = access_for(request.user).is_curator_of(program.organization_id)
    error = ""
    if request.method == "POST":
        if not can_run:
            raise PermissionDenied
        try:
            run = services.run_start(
                actor=request.user, program=program, parameters=_parameters_from(request.POST)
            )
        except ValidationError as exc:
            error = _errors(exc)
        else:
            return redirect("matching:run", run_id=run.pk)
    runs = list(run_list(user=request.user, program=program))
    # The form starts from the last pairs run's parameters: the curator tunes, not retypes.
    last: dict[str, Any] = next((r.parameters for r in runs if r.kind == RunKind.PAIRS), {})
    defaults = {**Weights().as_dict(), **last.get("weights", {})}
    last_groups: dict[str, Any] = next((r.parameters for r in runs if r.kind == RunKind.GROUPS), {})
    return render(
        request,
        "matching/program_runs.html",
        {
            "program": program,
            "runs": runs,
            "last": last,
            "can_run": can_run,
            "error": error,
            "weights": [(code, FACTOR_LABELS[code], value) for code, value in defaults.items()],
            # «As in the base» first, then only the variants the bases' enrolments have.
            "variants": base_variants(program) or list(program.variants.all()),
            "groups_allowed": services.program_has_group_model(program),
            "last_groups": {"team_size": 1, **last_groups},
            "team_sizes": range(1, services.MAX_TEAM_SIZE + 1),
            "requests": program_requests(user=request.user, program=program),
            "exclusions": exclusion_list(
                user=request.user, organization_id=program.organization_id
            ),
            "prefer_choices": Prefer.choices,
            "same_class_choices": list(SAME_CLASS_LABELS.items()),
        },
    )


def _rows(proposals: list[Any], names: dict[int, str]) -> list[dict[str, Any]]:
    return [{"p": p, "summary": summary(p.factors, names)} for p in proposals]


def _group_cards(groups: list[ProposalGroup], *, run: MatchingRun) -> list[dict[str, Any]]:
    """Each group with its members, its team, the names of what it shares and the groups a
    member may be moved to; ``team_wanted`` is the run's team size when the team is smaller
    (``team_size`` is a maximum: no other mentor had the competency and a free place), else 0."""
    names = names_for([g.factors for g in groups])
    team_size = int(run.parameters.get("team_size", 1))
    teams = {g.pk: list(g.team.all()) for g in groups}
    return [
        {
            "g": g,
            "members": list(g.members.all()),
            "team": teams[g.pk],
            **_collective_card(g, teams[g.pk], names),
            "team_wanted": team_size if len(teams[g.pk]) < team_size else 0,
            "shared": [names.get(int(c), "?") for c in g.shared],
            "summary": summary(g.factors, names),
            "targets": [t for t in groups if t.pk != g.pk and t.state != ProposalState.LOCKED],
        }
        for g in groups
    ]


def _collective_card(
    group: ProposalGroup, team: list[Any], names: dict[int, str]
) -> dict[str, Any]:
    """Each mentor of the team with the deficits they cover; the group's deficits covered and not
    covered. A group on a shared deficit: the team with nothing to say each."""
    details = next(
        (f.get("details", {}) for f in group.factors or [] if f.get("code") == "group_collective"),
        None,
    )
    if details is None:
        return {"collective": False, "team_lines": [(m, []) for m in team]}
    covers = {int(c["mentor"]): c.get("competencies", []) for c in details.get("covers", [])}
    return {
        "collective": True,
        "team_lines": [
            (m, [names.get(int(c), "?") for c in covers.get(m.mentor_id, [])]) for m in team
        ],
        "deficits": [names.get(int(c), "?") for c in details.get("deficits", [])],
        "uncovered": [names.get(int(c), "?") for c in details.get("uncovered", [])],
    }


def _counts(run: MatchingRun, user: Actor) -> dict[str, int]:
    """A group run counts decisions by group, a pair run by pair."""
    if run.kind == RunKind.GROUPS:
        return group_counts(run=run, user=user)
    return proposal_counts(run=run, user=user)


def _stats_oob(request: HttpRequest, run: MatchingRun, groups: list[Any] | None = None) -> str:
    """The run's figures, out of band: an htmx decision changes «accepted / locked»."""
    return render_to_string(
        "matching/_run_stats.html",
        {"run": run, "counts": _counts(run, request.user), "groups": groups or [], "oob": True},
        request=request,
    )


def _can_edit(request: HttpRequest, run: MatchingRun) -> bool:
    return run.is_open and access_for(request.user).is_curator_of(run.organization_id)


@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """The curator's review: figures, proposals by score with their reasons, the unmatched."""
    run = run_get(user=request.user, run_id=run_id)
    state = request.GET.get("state", "")
    if state not in ProposalState.values:
        state = ""
    page = None
    proposals: list[Any] = []
    groups: list[dict[str, Any]] = []
    if run.kind == RunKind.GROUPS:
        groups = _group_cards(run_groups(run=run, user=request.user), run=run)
    else:
        page = Paginator(
            run_proposals(run=run, state=state, user=request.user), REVIEW_PAGE_SIZE
        ).get_page(request.GET.get("page"))
        proposals = list(page.object_list)
    names = names_for([p.factors for p in proposals])
    return render(
        request,
        "matching/run.html",
        {
            "run": run,
            "program": run.program,
            "page": page,
            "state": state,
            "states": ProposalState.choices,
            "rows": _rows(proposals, names),
            "groups": groups,
            "unmatched": [
                {"u": u, "reason": reason_label(u.reason)}
                for u in run_unmatched(run=run, user=request.user)
            ],
            "reasons": [
                (reason_label(code), count) for code, count in run.unmatched_by_reason.items()
            ],
            "counts": _counts(run, request.user),
            "can_edit": _can_edit(request, run),
        },
    )


@login_required
def run_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    run = run_get(user=request.user, run_id=run_id)
    response = render(request, "matching/_progress.html", {"run": run})
    if (run.is_finished or run.is_interrupted) and getattr(request, "htmx", False):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def run_rerun(request: HttpRequest, run_id: int) -> HttpResponse:
    run = run_get(user=request.user, run_id=run_id)
    try:
        new = services.run_start(actor=request.user, program=run.program, previous=run)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("matching:run", run_id=run.pk)
    if new.kind == RunKind.GROUPS:
        messages.success(
            request, _("A new run has started; accepted and locked groups are kept whole.")
        )
    else:
        messages.success(request, _("A new run has started; accepted and locked pairs are kept."))
    return redirect("matching:run", run_id=new.pk)


@login_required
@require_POST
def run_publish(request: HttpRequest, run_id: int) -> HttpResponse:
    run = run_get(user=request.user, run_id=run_id)
    if request.POST.get("confirm") != "on":
        # Approval cannot be undone in this run: the curator confirms it first.
        messages.error(request, _("Tick the confirmation to approve."))
        return redirect("matching:run", run_id=run.pk)
    try:
        created = services.run_publish(actor=request.user, run=run)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("matching:run", run_id=run.pk)
    if run.kind == RunKind.GROUPS:
        text = ngettext(
            "%(count)s group has been formed. Print the order that fixes it.",
            "%(count)s groups have been formed. Print the order that fixes them.",
            len(created),
        )
    else:
        text = ngettext(
            "%(count)s pair has been formed. Print the order that fixes it.",
            "%(count)s pairs have been formed. Print the order that fixes them.",
            len(created),
        )
    messages.success(request, text % {"count": len(created)})
    return redirect("mentorships:program", program_id=run.program_id)


@login_required
@require_POST
def run_accept_all(request: HttpRequest, run_id: int) -> HttpResponse:
    run = run_get(user=request.user, run_id=run_id)
    try:
        services.proposals_decide_all(
            actor=request.user,
            run=run,
            state=ProposalState.ACCEPTED,
            from_state=ProposalState.PROPOSED,
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("matching:run", run_id=run.pk)


@login_required
@require_POST
def proposal_decide(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = proposal_get(user=request.user, proposal_id=proposal_id)
    try:
        services.proposal_decide(
            actor=request.user, proposal=proposal, state=request.POST.get("state", "")
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    if getattr(request, "htmx", False):
        names = names_for([proposal.factors])
        row = render_to_string(
            "matching/_proposal_row.html",
            {"row": _rows([proposal], names)[0], "can_edit": True, "run": proposal.run},
            request=request,
        )
        return HttpResponse(row + _stats_oob(request, proposal.run))
    return redirect("matching:run", run_id=proposal.run_id)


def _to_group(run_id: int, group_id: int | None) -> HttpResponse:
    """Back to the review, at the group's card."""
    url = reverse("matching:run", kwargs={"run_id": run_id})
    return redirect(f"{url}#group-{group_id}" if group_id else url)


@login_required
@require_POST
def group_decide(request: HttpRequest, group_id: int) -> HttpResponse:
    """Accept, reject, lock or unlock a group as a whole; htmx gets the group's card back."""
    group = group_get(user=request.user, group_id=group_id)
    try:
        services.group_decide(actor=request.user, group=group, state=request.POST.get("state", ""))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    if getattr(request, "htmx", False):
        # The other cards come along out of band: their «move to» lists change with this
        # group's state (a locked group takes nobody); so do the run's figures.
        cards = _group_cards(run_groups(run=group.run, user=request.user), run=group.run)
        can_edit = _can_edit(request, group.run)
        cards.sort(key=lambda c: c["g"].pk != group.pk)
        return HttpResponse(
            "".join(
                render_to_string(
                    "matching/_group_card.html",
                    {"card": card, "can_edit": can_edit, "run": group.run, "oob": index > 0},
                    request=request,
                )
                for index, card in enumerate(cards)
            )
            + _stats_oob(request, group.run, cards)
        )
    return _to_group(group.run_id, group.pk)


@login_required
@require_POST
def group_member_move(request: HttpRequest, group_id: int) -> HttpResponse:
    """Move a mentee of this group (``member``: their proposal) to another group of the same
    run (``to``)."""
    group = group_get(user=request.user, group_id=group_id)
    try:
        proposal = proposal_get(user=request.user, proposal_id=int(request.POST.get("member", "")))
        target = group_get(user=request.user, group_id=int(request.POST.get("to", "")))
    except ValueError as exc:
        raise Http404 from exc
    if proposal.group_id != group.pk or target.run_id != group.run_id:
        raise Http404
    try:
        services.group_member_move(actor=request.user, proposal=proposal, target=target)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return _to_group(group.run_id, group.pk)
    messages.success(
        request,
        _("%(name)s has been moved to group № %(number)s.")
        % {"name": proposal.mentee.person.full_name, "number": target.key},
    )
    return _to_group(group.run_id, target.pk)


@login_required
@require_POST
def group_member_remove(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Take a mentee out of their group: they stay without a mentor in this run."""
    proposal = proposal_get(user=request.user, proposal_id=proposal_id)
    group_id = proposal.group_id
    try:
        services.group_member_remove(actor=request.user, proposal=proposal)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request,
            _("%(name)s has been removed from the group.")
            % {"name": proposal.mentee.person.full_name},
        )
    return _to_group(proposal.run_id, group_id)


@login_required
@require_POST
def proposal_swap(request: HttpRequest, run_id: int) -> HttpResponse:
    run = run_get(user=request.user, run_id=run_id)
    ids = request.POST.getlist("proposal")
    if len(ids) != 2:
        messages.error(request, _("Tick exactly two pairs to exchange their mentors."))
        return redirect("matching:run", run_id=run.pk)
    try:
        first = proposal_get(user=request.user, proposal_id=int(ids[0]))
        second = proposal_get(user=request.user, proposal_id=int(ids[1]))
        if first.run_id != run.pk or second.run_id != run.pk:
            raise Http404
        services.proposal_swap(actor=request.user, first=first, second=second)
    except ValueError as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request, _("The mentors have been exchanged; both new pairs are accepted.")
        )
    return redirect("matching:run", run_id=run.pk)


@login_required
@require_POST
def proposal_never(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """«Never this pair»: an exclusion for every future run, and the proposal is rejected."""
    proposal = proposal_get(user=request.user, proposal_id=proposal_id)
    try:
        services.proposal_never(
            actor=request.user, proposal=proposal, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("This pair will never be proposed again."))
    return redirect("matching:run", run_id=proposal.run_id)


@login_required
def proposal_compare(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Side by side: the mentor and the mentee, their profiles and the reasons of the score."""
    proposal = proposal_get(user=request.user, proposal_id=proposal_id)
    names = names_for([proposal.factors])
    return render(
        request,
        "matching/compare.html",
        {
            "proposal": proposal,
            "run": proposal.run,
            "lines": render_lines(proposal.factors, names),
            "mentee_profile": profile_detail(
                user=request.user, person_id=proposal.mentee.person_id
            ),
            "mentor_profile": profile_detail(
                user=request.user, person_id=proposal.mentor.person_id
            ),
        },
    )


# --- Self-matching ------------------------------------------------------------------------------


@login_required
def suggestions(request: HttpRequest) -> HttpResponse:
    """A mentee's best mentors in each of their programs, with the reasons, and their requests."""
    blocks = []
    for enrolment in my_mentee_enrolments(user=request.user):
        found = suggestions_for(enrolment=enrolment)
        names = names_for([s.factors for s in found])
        blocks.append(
            {
                "enrolment": enrolment,
                "items": [{"s": s, "lines": render_lines(s.factors, names)[:3]} for s in found],
            }
        )
    return render(
        request,
        "matching/suggestions.html",
        {"blocks": blocks, "requests": outgoing_requests(user=request.user)},
    )


@login_required
def requests_view(request: HttpRequest) -> HttpResponse:
    """GET: requests waiting for the mentor. POST: a mentee asks a mentor."""
    if request.method == "POST":
        mine = {e.pk: e for e in my_mentee_enrolments(user=request.user)}
        try:
            mentee = mine[int(request.POST.get("mentee", ""))]
            mentor = get_visible(
                Enrolment.objects.select_related("person").filter(
                    program_id=mentee.program_id, role=EnrolmentRole.MENTOR
                ),
                pk=int(request.POST.get("mentor", "")),
            )
        except (KeyError, ValueError) as exc:
            raise Http404 from exc
        try:
            services.request_create(
                actor=request.user,
                mentee=mentee,
                mentor=mentor,
                message=request.POST.get("message", ""),
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Your request has been sent to the mentor."))
        return redirect("matching:suggestions")
    incoming = incoming_requests(user=request.user)
    names = names_for([r.factors for r in incoming])
    return render(
        request,
        "matching/requests.html",
        {"items": [{"r": r, "lines": render_lines(r.factors, names)[:3]} for r in incoming]},
    )


@login_required
@require_POST
def request_answer(request: HttpRequest, request_id: int, answer: str) -> HttpResponse:
    mentor_request = request_get(user=request.user, request_id=request_id)
    try:
        if answer == "accept":
            mentorship = services.request_accept(actor=request.user, request=mentor_request)
            messages.success(request, _("The pair has been formed."))
            return redirect("mentorships:detail", mentorship_id=mentorship.pk)
        if answer == "decline":
            services.request_decline(
                actor=request.user, request=mentor_request, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The request has been declined."))
        else:
            services.request_cancel(actor=request.user, request=mentor_request)
            messages.success(request, _("The request has been cancelled."))
            return redirect("matching:suggestions")
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("matching:requests")


@login_required
@require_POST
def exclusion_remove(request: HttpRequest, exclusion_id: int) -> HttpResponse:
    exclusion = exclusion_get(user=request.user, exclusion_id=exclusion_id)
    services.exclusion_remove(actor=request.user, exclusion=exclusion)
    messages.success(request, _("The pair may be proposed again."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("core:home")
    return redirect(target)
