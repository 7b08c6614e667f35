"""The demo's matching: programs at «forming pairs» get a run to review; programs already at
«the work of pairs» get their pairs published, so mentors and mentees see each other."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError

from nastavnik.demo.registry import DemoContext
from nastavnik.matching.models import ProposalState, RunStatus
from nastavnik.matching.services import proposals_decide_all, run_execute, run_publish, run_start
from nastavnik.programs.models import Stage

logger = logging.getLogger(__name__)


def seed_demo_matching(context: DemoContext) -> None:
    for (org_code, _form_code), program in sorted(context.programs.items()):
        if program.stage not in (Stage.MATCHING, Stage.WORK):
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
