"""Peer review inside groups (взаимоконтроль): a mentee hands in their work on a peer-review task
and reviews the works of the others by the task's rubric; the mentor sees every review on the
group's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nastavnik.mentorships.models import Mentorship
from nastavnik.pairwork import selectors, services
from nastavnik.pairwork.forms import PeerReviewForm, PeerWorkForm
from nastavnik.pairwork.selectors import PeerTask, Role


def peer_tasks_for_page(request: HttpRequest, mentorship: Mentorship, role: Role) -> list[PeerTask]:
    """The group's peer-review tasks with a review form on each work the user may review."""
    found = selectors.peer_tasks(user=request.user, mentorship=mentorship, role=role)
    if not role.is_mentee:
        return found
    for item in found:
        for view in item.works:
            if item.my_work is not None and view.work.pk == item.my_work.pk:
                continue
            initial = {}
            if view.mine is not None:
                initial = {f"c{i}": p for i, p in enumerate(view.mine.scores)}
                initial["comment"] = view.mine.comment
            view.form = PeerReviewForm(
                criteria=item.criteria, initial=initial, auto_id=f"w{view.work.pk}_%s"
            )
    return found


def _back(task_mentorship_id: int, task_id: int) -> HttpResponse:
    return redirect(reverse("pairwork:pair", args=[task_mentorship_id]) + f"#peer-{task_id}")


@login_required
@require_POST
def peer_work(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.task_get(user=request.user, task_id=task_id)
    form = PeerWorkForm(request.POST)
    if form.is_valid():
        try:
            services.peer_work_submit(
                actor=request.user,
                task=task,
                text=form.cleaned_data["text"],
                link=form.cleaned_data["link"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your work has been handed in for peer review."))
    else:
        messages.error(request, _("Describe your work; a link must be a web address."))
    return _back(task.mentorship_id, task.pk)


@login_required
@require_POST
def peer_review(request: HttpRequest, work_id: int) -> HttpResponse:
    work = selectors.peer_work_get(user=request.user, work_id=work_id)
    form = PeerReviewForm(request.POST, criteria=work.task.criteria)
    if form.is_valid():
        try:
            services.peer_review_write(
                actor=request.user,
                work=work,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your review has been saved."))
    else:
        messages.error(request, _("Give points for every criterion of the rubric: 0, 1 or 2."))
    return _back(work.task.mentorship_id, work.task_id)
