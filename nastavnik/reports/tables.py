"""The report's tables in the words of the monitoring forms: one source for the page, the
spreadsheet and the PDF."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from nastavnik.organizations.models import academic_year_bounds
from nastavnik.reports.figures import Figures, MentorshipRow


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
