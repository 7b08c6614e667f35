"""Writes of matching, by section: runs, the curator's review of pairs, changes to groups,
approval (pairs and groups become mentorships), mentees' requests.

``run_execute`` is the synchronous core (a test or a management command may call it directly);
``run_start`` queues it as a background task once the transaction commits.
"""

from nastavnik.matching.services._common import (
    MAX_GROUP_SIZE,
    MAX_TEAM_SIZE,
    MAX_TOP_K,
    SAME_CLASS_CHOICES,
)
from nastavnik.matching.services.groups import group_decide, group_member_move, group_member_remove
from nastavnik.matching.services.publishing import run_publish
from nastavnik.matching.services.requests import (
    request_accept,
    request_cancel,
    request_create,
    request_decline,
    requests_expire,
)
from nastavnik.matching.services.review import (
    exclusion_add,
    exclusion_remove,
    proposal_decide,
    proposal_never,
    proposal_swap,
    proposals_decide_all,
)
from nastavnik.matching.services.runs import (
    EmptyBase,
    program_has_group_model,
    run_execute,
    run_parameters_clean,
    run_start,
    runs_close_interrupted,
)

__all__ = [
    "MAX_GROUP_SIZE",
    "MAX_TEAM_SIZE",
    "MAX_TOP_K",
    "SAME_CLASS_CHOICES",
    "EmptyBase",
    "exclusion_add",
    "exclusion_remove",
    "group_decide",
    "group_member_move",
    "group_member_remove",
    "program_has_group_model",
    "proposal_decide",
    "proposal_never",
    "proposal_swap",
    "proposals_decide_all",
    "request_accept",
    "request_cancel",
    "request_create",
    "request_decline",
    "requests_expire",
    "run_execute",
    "run_parameters_clean",
    "run_publish",
    "run_start",
    "runs_close_interrupted",
]
