"""The public pages for the school website's section «Наставничество»."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nastavnik.programs.selectors import (
    public_program_get,
    public_program_list,
    public_program_summary,
)


def public_index(request: HttpRequest, organization_id: int) -> HttpResponse:
    """The organization's section «Наставничество»: its public programs (404 when none)."""
    programs = public_program_list(organization_id=organization_id)
    return render(
        request,
        "programs/public_index.html",
        {
            "organization": programs[0].organization,
            "rows": [(p, public_program_summary(program=p)) for p in programs],
        },
    )


def public_page(request: HttpRequest, program_id: int) -> HttpResponse:
    """For the school website's section «Наставничество»: aggregates only; 404 unless opted in."""
    program = public_program_get(program_id=program_id)
    return render(
        request,
        "programs/public.html",
        {"program": program, "summary": public_program_summary(program=program)},
    )
