"""The year-long journey's harness: steps, screenshots, axe on every page, clicks and typing.

A ``Journey`` is handed to each step function. Drive the pages through it so that it can
count what a person does and check every page they see:

- ``j.goto(page, "/programs/")`` — opens a URL (counted as one click: a link or a bookmark);
- ``j.click(locator)`` — one click; ``j.fill(locator, "text")`` — one typed field;
  ``j.choose(locator, value)`` — a select or a radio (one click); ``j.upload(locator, path)``;
- every new page (a path not seen before, per viewport) is checked by axe-core
  (``tests.browser.axe``): a serious or critical violation fails the journey;
- ``j.shot(page, "label")`` saves ``test-artifacts/journey/<step>-<label>.png``;
- ``with j.step(3, "Наставник на телефоне"):`` times the step and counts its actions;
- ``j.state`` carries ids between steps (``j.state["program_id"]``);
- ``j.summary()`` — the table printed at the end: each step's time, clicks and typed fields.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page

from tests.browser.axe import check_accessible

ARTIFACTS = (
    Path(
        os.environ.get(
            "NASTAVNIK_TEST_ARTIFACTS", Path(__file__).resolve().parents[3] / "test-artifacts"
        )
    )
    / "journey"
)


@dataclass
class StepRecord:
    number: int
    title: str
    seconds: float = 0.0
    clicks: int = 0
    typed: int = 0


@dataclass
class Journey:
    artifacts: Path = ARTIFACTS
    started: float = field(default_factory=time.monotonic)
    steps: list[StepRecord] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)
    _current: StepRecord | None = None

    # --- steps -----------------------------------------------------------------------------

    @contextmanager
    def step(self, number: int, title: str) -> Iterator[StepRecord]:
        record = StepRecord(number, title)
        self.steps.append(record)
        previous, self._current = self._current, record
        began = time.monotonic()
        try:
            yield record
        finally:
            record.seconds = time.monotonic() - began
            self._current = previous

    def _count(self, *, clicks: int = 0, typed: int = 0) -> None:
        if self._current is not None:
            self._current.clicks += clicks
            self._current.typed += typed

    # --- actions ---------------------------------------------------------------------------

    def goto(self, page: Page, url: str) -> None:
        page.goto(url)
        self._count(clicks=1)
        self.check(page)

    def click(self, locator: Locator) -> None:
        page = locator.page
        before = page.url
        locator.click()
        self._count(clicks=1)
        page.wait_for_load_state()
        if page.url != before:
            self.check(page)

    def fill(self, locator: Locator, value: str) -> None:
        locator.fill(value)
        self._count(typed=1)

    def choose(self, locator: Locator, value: str | None = None) -> None:
        """A select (``value`` is the option's label) or a checkbox / radio (no value)."""
        if value is None:
            locator.check()
        else:
            locator.select_option(label=value)
        self._count(clicks=1)

    def upload(self, locator: Locator, path: Path | str) -> None:
        locator.set_input_files(str(path))
        self._count(clicks=1)

    # --- checks and pictures ---------------------------------------------------------------

    def check(self, page: Page, *, again: bool = False) -> None:
        """axe-core on a page not yet checked in this viewport (``again`` forces it)."""
        width = page.viewport_size["width"] if page.viewport_size else 0
        path = urlsplit(page.url).path
        key = f"{width}:" + re.sub(r"/\d+(?=/|$)", "/<id>", path)
        if key in self.checked and not again:
            return
        self.checked.add(key)
        page.wait_for_load_state()
        check_accessible(page, where=f"{page.url} ({width}px)")

    def shot(self, page: Page, label: str) -> Path:
        self.artifacts.mkdir(parents=True, exist_ok=True)
        number = self._current.number if self._current else 0
        name = re.sub(r"[^\w.-]+", "_", label)
        path = self.artifacts / f"{number:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    # --- the figures -----------------------------------------------------------------------

    @property
    def total_seconds(self) -> float:
        return time.monotonic() - self.started

    def summary(self) -> str:
        lines = ["Путь программы за год:", f"{'шаг':<4} {'сек':>7} {'клики':>6} {'поля':>5}  что"]
        for record in self.steps:
            lines.append(
                f"{record.number:<4} {record.seconds:7.1f} {record.clicks:6d} {record.typed:5d}"
                f"  {record.title}"
            )
        lines.append(
            f"всего: {self.total_seconds:.1f} с, страниц проверено axe: {len(self.checked)}"
        )
        return "\n".join(lines)
