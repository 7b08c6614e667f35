"""The demo's matching: programs at «forming pairs» get a run to review; programs already at
«the work of pairs» get their pairs published, so mentors and mentees see each other — unless
their pairs are formed already (the demo school's, formed by hand to give seed 004's figures).

One program at «forming pairs» that works in groups too (the school's pupils' program, the demo
curator's) also gets a group run to review: small groups of younger pupils with a common deficit,
each led by a team of two senior pupils.

A step of the demo (``nastavnik.demo.steps`` runs ``step`` at ``POSITION``); the app never imports
the demo: ``DemoContext`` below says what the step reads of it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Protocol

from django.core.exceptions import ValidationError

from nastavnik.accounts.models import User
from nastavnik.matching.models import ProposalState, RunKind, RunStatus
from nastavnik.matching.services import (
    program_has_group_model,
    proposals_decide_all,
    run_execute,
    run_publish,
    run_start,
)
from nastavnik.programs.models import Program, Stage

logger = logging.getLogger(__name__)

# (organization code, form code) of the program that gets a group run, and its parameters:
# groups of three, a team of two mentors for each (a group takes one place of each mentor of
# its team, the program's default).
GROUP_RUN_PROGRAM = ("demo-school-1", "student-student")
GROUP_RUN_PARAMETERS = {"kind": RunKind.GROUPS, "min_size": 3, "max_size": 3, "team_size": 2}

# After programs (150), consents (200) and relatives (250): the bases are complete and the runs
# keep relatives apart.
POSITION = 300


class DemoContext(Protocol):
    """What the step reads of the demo's context."""

    @property
    def curators(self) -> Mapping[str, User]: ...
    @property
    def programs(self) -> Mapping[tuple[str, str], Program]: ...


def seed_demo_matching(context: DemoContext) -> None:
    for (org_code, _form_code), program in sorted(context.programs.items()):
        if program.stage not in (Stage.MATCHING, Stage.WORK):
            continue
        if program.stage == Stage.WORK and program.mentorships.exists():
            continue
        curator = context.curators.get(org_code)
        if curator is None:
            continue
        run = run_start(actor=curator, program=program)
        # The demo has no worker running yet: do the queued run here (the task then finds it
        # done and leaves it alone).
        run = run_execute(run_id=run.pk) or run
        if run.status != RunStatus.DONE or program.stage != Stage.WORK:
            continue
        proposals_decide_all(
            actor=curator, run=run, state=ProposalState.ACCEPTED, from_state=ProposalState.PROPOSED
        )
        try:
            run_publish(actor=curator, run=run)
        except ValidationError as exc:
            logger.warning("demo: pairs of %s not published: %s", program, exc.messages)
    _group_run(context)


def _group_run(context: DemoContext) -> None:
    """A group run left unpublished, for the curator to review beside the run of pairs."""
    program: Program | None = context.programs.get(GROUP_RUN_PROGRAM)
    curator = context.curators.get(GROUP_RUN_PROGRAM[0])
    if (
        program is None
        or curator is None
        or program.stage != Stage.MATCHING
        or not program_has_group_model(program)
    ):
        return
    run = run_start(actor=curator, program=program, parameters=GROUP_RUN_PARAMETERS)
    run = run_execute(run_id=run.pk) or run
    if run.status != RunStatus.DONE:
        logger.warning("demo: the group run of %s failed: %s", program, run.error_message)


step = seed_demo_matching
