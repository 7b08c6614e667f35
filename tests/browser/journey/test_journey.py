"""A whole year of a mentoring program in the browser (issue 24), one test, step by step.

The curator of Лицей № 3 (the compact demo region) starts the program «учитель – ученик»,
imports its people, forms the pairs (steps 1–2, ``steps_start``); the pairs work through the year
and the year ends with the monitoring report (steps 3–6, ``steps_year``). Each step hands the ids
the next needs through ``j.state``; the figures (time, clicks, typed fields) are printed at the
end, and the screenshots are saved under ``test-artifacts/journey/``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from nastavnik.demo.registry import DemoContext
from tests.browser.journey.harness import Journey
from tests.browser.journey.steps_start import step_1, step_2
from tests.browser.journey.steps_year import step_3, step_4, step_5, step_6

pytestmark = pytest.mark.browser


def test_a_year_of_the_program_teacher_pupil(
    page: Page, demo: DemoContext, tmp_path: Path, new_page: Callable[..., Page]
) -> None:
    # The live server's first answer (URLs, templates, translations loaded) is not the journey's.
    page.goto("/accounts/login/", timeout=60_000)
    j = Journey()
    step_1(j, page, demo=demo, tmp_path=tmp_path)
    step_2(j, page, demo=demo)
    step_3(j, curator=page, new_page=new_page)
    step_4(j, curator=page, new_page=new_page)
    step_5(j, curator=page, new_page=new_page)
    step_6(j, curator=page, new_page=new_page)
    print()
    print(j.summary())
