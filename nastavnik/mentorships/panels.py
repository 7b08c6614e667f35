"""What other apps add to the mentorship pages. Matching sits above mentorships in the layers, so
it registers its parts from its ``ready()``: the mentees' requests on «My mentorships» and the
explanation of a pair's fit on the mentorship's page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from nastavnik.mentorships.models import Mentorship

_MY_PAGE: list[Callable[[HttpRequest], dict[str, Any]]] = []
_DETAIL_PAGE: list[Callable[[HttpRequest, Mentorship], dict[str, Any]]] = []


def register_my_page_context(builder: Callable[[HttpRequest], dict[str, Any]]) -> None:
    """``builder(request)`` returns context for «My mentorships» (e.g. ``incoming``)."""
    if builder not in _MY_PAGE:
        _MY_PAGE.append(builder)


def register_detail_context(builder: Callable[[HttpRequest, Mentorship], dict[str, Any]]) -> None:
    """``builder(request, mentorship)`` returns context for the mentorship's page (``lines``)."""
    if builder not in _DETAIL_PAGE:
        _DETAIL_PAGE.append(builder)


def my_page_context(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for builder in _MY_PAGE:
        context.update(builder(request))
    return context


def detail_context(request: HttpRequest, mentorship: Mentorship) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for builder in _DETAIL_PAGE:
        context.update(builder(request, mentorship))
    return context
