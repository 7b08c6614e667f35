"""The report's tables in the words of the monitoring forms: one source for the page, the
spreadsheet and the PDF."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from nastavnik.organizations.models import academic_year_bounds
from nastavnik.programs.models import Variant
from nastavnik.reports.figures import Figures, MentorshipRow
from nastavnik.reports.models import YearTargets
from nastavnik.reports.selectors import YearOffer


@dataclass(frozen=True)
class Line:
    label: str
    key: str
    value: object


def no_data() -> str:
    return _("no data")


def percent(value: float | None) -> str:
    if value is None:
        return no_data()
    return f"{value:.1f}".replace(".", ",") + " %"


def period_title(start_year: int) -> str:
    start, end = academic_year_bounds(start_year)
    return _("%(first)s/%(second)s academic year (%(start)s – %(end)s)") % {
        "first": start_year,
        "second": start_year + 1,
        "start": start.strftime("%d.%m.%Y"),
        "end": end.strftime("%d.%m.%Y"),
    }


def base_lines(figures: Figures) -> list[Line]:
    """The bases of mentors and mentees, as seed 004's table lists them."""
    return [
        Line(_("Total number of pupils"), "students_total", figures.students_total),
        Line(
            _("Pupils entered in the bases of mentors and mentees"),
            "students_in_bases",
            figures.students_in_bases,
        ),
        Line(_("Pupils in the programs as mentees"), "students_mentees", figures.students_mentees),
        Line(_("Pupils in the programs as mentors"), "students_mentors", figures.students_mentors),
        Line(_("Total number of teachers"), "teachers_total", figures.teachers_total),
        Line(_("Teachers entered in the bases"), "teachers_in_bases", figures.teachers_in_bases),
        Line(_("Teachers as mentees"), "teachers_mentees", figures.teachers_mentees),
        Line(_("Teachers as mentors"), "teachers_mentors", figures.teachers_mentors),
    ]


def indicator_lines(figures: Figures) -> list[Line]:
    """The target model's indicators; «no data» until the system has a source for them."""
    target = percent(figures.coverage_target)
    return [
        Line(
            _("Coverage of pupils (target %(target)s)") % {"target": target},
            "coverage_students",
            percent(figures.coverage_students),
        ),
        Line(
            _("Coverage of teachers (target %(target)s)") % {"target": target},
            "coverage_teachers",
            percent(figures.coverage_teachers),
        ),
        Line(
            _("Mentors who completed training"),
            "mentors_trained_share",
            percent(figures.mentors_trained_share),
        ),
        Line(_("Partners involved"), "partners", figures.partners),
        Line(
            _("Pairs and groups completed"), "mentorships_completed", figures.mentorships_completed
        ),
        Line(
            _("Pairs and groups dissolved"), "mentorships_dissolved", figures.mentorships_dissolved
        ),
        Line(
            _("Satisfaction of mentors"),
            "satisfaction_mentors",
            percent(figures.satisfaction_mentors),
        ),
        Line(
            _("Satisfaction of mentees"),
            "satisfaction_mentees",
            percent(figures.satisfaction_mentees),
        ),
        Line(
            _("Mentees whose progress improved"),
            "mentees_improved_progress",
            percent(figures.mentees_improved_progress),
        ),
        Line(
            _("Young teachers with a mentor who stay in the profession"),
            "young_teachers_retained",
            percent(figures.young_teachers_retained),
        ),
    ]


def variant_title(row: MentorshipRow) -> str:
    return row.variant_name or _("variant not set")


def chart_data(figures: Figures) -> dict[str, object]:
    """What the page's charts draw (read by ``static/reports/report.js``)."""
    return {
        "variants": {
            "labels": [
                f"{r.form_name}: {variant_title(r)}" for r in figures.mentorships_by_variant
            ],
            "pairs": [r.pairs for r in figures.mentorships_by_variant],
            "groups": [r.groups for r in figures.mentorships_by_variant],
            "pairsLabel": _("pairs"),
            "groupsLabel": _("groups"),
        },
        "coverage": {
            "labels": [_("Pupils"), _("Teachers")],
            "values": [figures.coverage_students or 0, figures.coverage_teachers or 0],
            "target": figures.coverage_target,
            "label": _("in the bases, %"),
            "targetLabel": _("target, %"),
        },
    }


@dataclass(frozen=True)
class CompareLine:
    """A figure of this year beside the year before."""

    label: str
    key: str
    previous: object
    current: object
    change: str  # «+2», «−1,5 п. п.», «0»; empty when a side has no data
    delta: float | None  # the same as a number (the spreadsheet's cell)


def _delta(previous: float | None, current: float | None) -> float | None:
    if previous is None or current is None:
        return None
    return round(current - previous, 1)


def _change(previous: float | None, current: float | None, *, suffix: str = "") -> str:
    delta = _delta(previous, current)
    if delta is None:
        return ""
    text = f"{delta:+g}".replace(".", ",").replace("-", "−")
    return "0" if delta == 0 else text + suffix


def comparison_lines(current: Figures, previous: Figures) -> list[CompareLine]:
    """This year against the year before, side by side: the bases, coverage, pairs and groups."""
    lines = [
        CompareLine(
            line.label,
            line.key,
            previous_value,
            line.value,
            _change(previous_value, line.value),  # type: ignore[arg-type]
            _delta(previous_value, line.value),  # type: ignore[arg-type]
        )
        for line, previous_value in zip(
            base_lines(current), [p.value for p in base_lines(previous)], strict=True
        )
    ]
    for label, key in (
        (_("Coverage of pupils"), "coverage_students"),
        (_("Coverage of teachers"), "coverage_teachers"),
    ):
        before, now = getattr(previous, key), getattr(current, key)
        lines.append(
            CompareLine(
                label,
                key,
                percent(before),
                percent(now),
                _change(before, now, suffix=" " + pgettext("change", "pp")),
                _delta(before, now),
            )
        )
    for label, key in (
        (_("Programs"), "programs_total"),
        (_("Pairs"), "pairs_total"),
        (_("Groups"), "groups_total"),
    ):
        before, now = getattr(previous, key), getattr(current, key)
        lines.append(
            CompareLine(label, key, before, now, _change(before, now), _delta(before, now))
        )
    return lines


@dataclass(frozen=True)
class TargetLine:
    """A target set for the year and what the year reached."""

    label: str
    target: str
    actual: str
    met: bool


def target_lines(
    targets: YearTargets | None, figures: Figures, offer: YearOffer
) -> list[TargetLine]:
    """The targets set for the year against the year's figures and programs."""
    if targets is None:
        return []
    lines: list[TargetLine] = []
    for label, wanted, actual in (
        (_("Coverage of pupils"), targets.coverage_students, figures.coverage_students),
        (_("Coverage of teachers"), targets.coverage_teachers, figures.coverage_teachers),
    ):
        if wanted is not None:
            lines.append(
                TargetLine(label, percent(wanted), percent(actual), (actual or 0) >= wanted)
            )
    yes, no = _("taken up"), _("not yet")
    for label, items, have in (
        (_("New form"), targets.forms.all(), offer.forms),
        (_("New model"), targets.models_used.all(), offer.models),
        (_("New variant"), targets.variants.all(), offer.variants),
    ):
        for item in items:
            name = f"{item.form.name}: {item.name}" if isinstance(item, Variant) else str(item.name)
            met = item.pk in have
            lines.append(TargetLine(f"{label}: {name}", _("take up"), yes if met else no, met))
    return lines
