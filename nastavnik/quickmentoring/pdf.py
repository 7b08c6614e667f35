"""The speed-mentoring schedule as a PDF (WeasyPrint, as the documents and the reports render
theirs: no fetching of URLs or local files, DejaVu fonts for Cyrillic).

Two layouts: a card per person (their rounds with times, tables and partners — cut and hand out)
and a sheet per table (who sits there in each round). A participant gets only their own card."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.template.loader import render_to_string

from nastavnik.documents.render import url_fetcher
from nastavnik.quickmentoring.models import SpeedSession
from nastavnik.quickmentoring.selectors import Schedule

BY_PERSON = "person"
BY_TABLE = "table"
FONT = "DejaVu Sans"


@dataclass(frozen=True)
class RoundTime:
    number: int
    start: dt.datetime
    end: dt.datetime

    @property
    def label(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


def round_times(session: SpeedSession) -> dict[int, RoundTime]:
    """Each round's start and end in the organization's time zone (rounds follow each other)."""
    zone = zoneinfo.ZoneInfo(session.organization.time_zone or "Europe/Moscow")
    start = session.starts_at.astimezone(zone)
    length = dt.timedelta(minutes=session.round_minutes)
    return {
        n: RoundTime(n, start + (n - 1) * length, start + n * length)
        for n in range(1, session.rounds + 1)
    }


def schedule_pdf(session: SpeedSession, schedule: Schedule, *, by: str) -> bytes:
    from weasyprint import HTML  # loaded when a PDF is asked for: it takes a second to import

    times = round_times(session)
    people = [
        (p, [(times[r], table, other) for r, table, other in rows])
        for p, rows in schedule.by_person
    ]
    tables = [
        (table, [(times[seat.round_number], seat) for seat in seats])
        for table, seats in schedule.by_table.items()
    ]
    html = render_to_string(
        "quickmentoring/schedule_pdf.html",
        {
            "session": session,
            "day": times[1].start if times else None,
            "by_table": by == BY_TABLE,
            "people": people,
            "tables": tables,
            "font": FONT,
        },
    )
    return bytes(HTML(string=html, url_fetcher=url_fetcher()).write_pdf())
