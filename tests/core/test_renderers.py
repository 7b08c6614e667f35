"""The fast select renderer writes exactly what Django's templates write."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from nastavnik.core.renderers import FastSelectRenderer
from nastavnik.people.forms import RelativeForm
from nastavnik.people.models import Person
from tests.factories import PersonFactory

CHOICES: list[Any] = [
    ("", "—"),
    (1, "Иванов & сыновья <script>"),
    ("a\"b'c", gettext_lazy("Russian")),
    (2, mark_safe("<b>safe</b>")),
    (dt.date(2026, 9, 1), dt.date(2026, 9, 1)),
    (3.5, 1234567),
    ("Группа «А»", [("x", "икс"), ("y", "игрек")]),
    ("", [("z", "зет")]),
]


def _widgets() -> list[forms.Widget]:
    return [
        forms.Select(choices=CHOICES),
        forms.Select(choices=CHOICES, attrs={"class": 'a"b', "required": True, "disabled": False}),
        forms.SelectMultiple(choices=CHOICES, attrs={"hx-get": "/x/?a=1&b=2"}),
        forms.NullBooleanSelect(),
        forms.Select(choices=[]),
    ]


@pytest.mark.parametrize("index", range(5))
@pytest.mark.parametrize("value", [None, "", 1, "1", ["x", 2], "a\"b'c", dt.date(2026, 9, 1)])
def test_same_markup_as_the_templates(index: int, value: Any) -> None:
    widget = _widgets()[index]
    if isinstance(widget, forms.NullBooleanSelect) and isinstance(value, list):
        return  # one value only
    fast = widget.render("f<name>", value, attrs={"id": "id_f"}, renderer=FastSelectRenderer())
    slow = widget.render("f<name>", value, attrs={"id": "id_f"}, renderer=DjangoTemplates())
    assert fast == slow
    assert fast.startswith("<select")
    assert fast.endswith("</select>")


def test_other_widgets_use_the_templates() -> None:
    radio = forms.RadioSelect(choices=[(1, "один"), (2, "два")])
    assert radio.render("r", 1, renderer=FastSelectRenderer()) == radio.render(
        "r", 1, renderer=DjangoTemplates()
    )


@pytest.mark.django_db
def test_a_model_choice_field_the_same(tenant_a: Any) -> None:
    organization = tenant_a.organization
    PersonFactory.create_batch(3, organization=organization, class_name="7 «Б»")
    form = RelativeForm(choices=Person.objects.filter(organization=organization))
    fast = form["relative"].as_widget()
    form.renderer = DjangoTemplates()
    assert form["relative"].as_widget() == fast
    assert fast.count("<option") == Person.objects.filter(organization=organization).count() + 1


def test_the_project_uses_it() -> None:
    assert settings.FORM_RENDERER == "nastavnik.core.renderers.FastSelectRenderer"
