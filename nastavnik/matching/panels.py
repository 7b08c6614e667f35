"""Matching's parts of other apps' pages, registered from ``MatchingConfig.ready()``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from nastavnik.matching.explanations import render as render_lines
from nastavnik.matching.selectors import incoming_requests, names_for
from nastavnik.mentorships.models import Mentorship


def my_incoming_requests(request: HttpRequest) -> dict[str, Any]:
    """«My mentorships»: the mentees' requests waiting for the user as a mentor."""
    incoming = incoming_requests(user=request.user)
    names = names_for([r.factors for r in incoming])
    return {"incoming": [{"r": r, "lines": render_lines(r.factors, names)[:3]} for r in incoming]}


def mentorship_explanation(request: HttpRequest, mentorship: Mentorship) -> dict[str, Any]:
    """A mentorship's page: why the pair was proposed (the run's explanation, if any)."""
    names = names_for([mentorship.explanation])
    return {"lines": render_lines(mentorship.explanation or [], names)}
