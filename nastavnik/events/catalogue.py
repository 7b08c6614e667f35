"""The forms of methodological and interactive events, shipped with the system.

The forms themselves (code stored on an event, Russian name, description, agenda template that
prefills a new event's agenda, usual duration) live in ``core.interactive_forms``, their one
source: the library's starter set is built from the same entries. ``festival`` is the festival or
competition of mentoring pairs: its events have nominations, a jury and scores.

``suggested_form`` answers which form suits the planning of an event for a shared deficit (see
``planning.py``).
"""

from __future__ import annotations

from nastavnik.core.interactive_forms import FORMS, InteractiveForm

# An event's form is one of the shared interactive forms.
EventForm = InteractiveForm


BY_CODE: dict[str, EventForm] = {form.code: form for form in FORMS}
FESTIVAL = "festival"


def form_choices() -> list[tuple[str, str]]:
    return [form.as_choice() for form in FORMS]


def get_form(code: str) -> EventForm:
    return BY_CODE[code]


def suggested_form(*, experts: int, confident: int) -> str:
    """The form to plan for a deficit many teachers share.

    An expert colleague who masters the competency shows it (a master class); colleagues who
    master it at a confident level work it through with the others (a seminar-practicum); nobody
    covers it yet: a workshop where the participants build the practice together."""
    if experts:
        return "master_class"
    if confident:
        return "seminar"
    return "workshop"
