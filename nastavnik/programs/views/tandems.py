"""Tandems: partner mentoring among colleagues."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nastavnik.accounts.access import access_for
from nastavnik.people.models import PersonCategory
from nastavnik.people.selectors import person_queryset
from nastavnik.programs import services
from nastavnik.programs.forms import (
    TandemCreateForm,
    TandemNoteForm,
    TandemToolForm,
    TandemUpdateForm,
)
from nastavnik.programs.models import (
    TandemStep,
)
from nastavnik.programs.selectors import (
    staff_program_get,
    tandem_get,
    tandem_is_member,
)
from nastavnik.programs.views.common import curator_only, is_curator


@login_required
@require_http_methods(["GET", "POST"])
def tandems(request: HttpRequest, program_id: int) -> HttpResponse:
    program = staff_program_get(user=request.user, program_id=program_id)
    colleagues = person_queryset(user=request.user).filter(
        organization_id=program.organization_id,
        category__in=[PersonCategory.TEACHER, PersonCategory.STAFF],
    )
    form = TandemCreateForm(request.POST or None, colleagues=colleagues)
    if request.method == "POST" and form.is_valid():
        try:
            tandem = services.tandem_create(
                actor=request.user,
                program=program,
                name=form.cleaned_data["name"],
                interest=form.cleaned_data["interest"],
                members=list(form.cleaned_data["members"]),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The tandem has been formed."))
            return redirect("programs:tandem", tandem_id=tandem.pk)
    return render(
        request,
        "programs/tandems.html",
        {
            "program": program,
            "tandems": program.tandems.prefetch_related("members"),
            "form": form,
            "steps": TandemStep.choices,
            "is_curator": is_curator(request, program.organization_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def tandem_detail(request: HttpRequest, tandem_id: int) -> HttpResponse:
    tandem = tandem_get(user=request.user, tandem_id=tandem_id)
    which = request.POST.get("what")
    update_form = TandemUpdateForm(
        request.POST if which == "step" else None,
        initial={"step": tandem.step, "goals": tandem.goals, "interest": tandem.interest},
        prefix="step",
    )
    note_form = TandemNoteForm(request.POST if which == "note" else None, prefix="note")
    tool_form = TandemToolForm(request.POST if which == "tool" else None, prefix="tool")
    is_staff = access_for(request.user).is_staff_of(tandem.organization_id)
    may_record = is_staff or tandem_is_member(user=request.user, tandem=tandem)
    if request.method == "POST":
        # The members record their own exchange and toolkit; the step is the curator's.
        if which not in ("note", "tool"):
            curator_only(request, tandem.program.organization_id)
        elif not may_record:
            raise PermissionDenied
        try:
            if which == "step" and update_form.is_valid():
                services.tandem_update(
                    actor=request.user, tandem=tandem, **update_form.cleaned_data
                )
                return redirect("programs:tandem", tandem_id=tandem.pk)
            if which == "note" and note_form.is_valid():
                note = note_form.save(commit=False)
                note.tandem = tandem
                services.tandem_note_add(actor=request.user, note=note)
                return redirect("programs:tandem", tandem_id=tandem.pk)
            if which == "tool" and tool_form.is_valid():
                item = tool_form.save(commit=False)
                item.tandem = tandem
                services.tandem_tool_add(actor=request.user, item=item)
                return redirect("programs:tandem", tandem_id=tandem.pk)
        except ValidationError as exc:
            update_form.add_error(None, exc)
    return render(
        request,
        "programs/tandem.html",
        {
            "tandem": tandem,
            "program": tandem.program,
            "steps": TandemStep.choices,
            "update_form": update_form,
            "note_form": note_form,
            "tool_form": tool_form,
            "is_curator": is_curator(request, tandem.organization_id),
            "may_record": may_record,
            "is_staff": is_staff,
        },
    )
