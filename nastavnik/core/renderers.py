"""The form renderer: Django's, with the select box written in Python.

Django renders a ``<select>`` by including a template for every ``<option>`` (and another for
its attributes): a person picker of an organization's 700 people costs half a second of CPU
that way. ``FastSelectRenderer`` writes the same markup, byte for byte, directly (the test
``tests/core/test_renderers.py`` compares the two); every other widget, and a select whose
options use another template, is rendered by Django's templates as before.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _formatted(value: Any, context: Context) -> str:
    """``{{ value|stringformat:'s' }}`` as the template engine renders it."""
    out = stringformat(value, "s")
    if isinstance(value, SafeData):  # stringformat is_safe=True: safe in, safe out
        out = mark_safe(out)  # noqa: S308 (the input was safe already)
    return str(render_value_in_context(out, context))


def _attrs(attrs: dict[str, Any], context: Context) -> str:
    """django/forms/widgets/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is not False:
            out.append(" " + str(render_value_in_context(name, context)))
            if value is not True:
                out.append(f'="{_formatted(value, context)}"')
    return "".join(out)


class FastSelectRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget") if template_name == SELECT else None
        if widget is None or any(
            option.get("template_name") != OPTION
            for _name, options, _index in widget["optgroups"]
            for option in options
        ):
            return super().render(template_name, context, request)
        ctx = Context(autoescape=True)
        out = [f'<select name="{render_value_in_context(widget["name"], ctx)}"']
        out.append(_attrs(widget["attrs"], ctx) + ">")
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{render_value_in_context(group_name, ctx)}">')
            for option in options:
                out.append(
                    f'\n  <option value="{_formatted(option["value"], ctx)}"'
                    f"{_attrs(option['attrs'], ctx)}>"
                    f"{render_value_in_context(option['label'], ctx)}</option>\n"
                )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return "".join(out).strip()
