"""The seven stages of the target model: what each must produce, and what is missing.

The checklists are product data kept here (titles through gettext, so the UI is Russian);
``StageTask`` rows reference them by code. Some items are checked against the data instead of
being ticked by hand (``auto``): a base with people in it, trained mentors, a roadmap, the
pairs formed (active mentorships), the orders in the register of documents. An order signed on
paper outside the system can still be ticked by hand (``hand``).

Other apps add warnings of their own (for example, mentees without a consent) through
``register_stage_guard``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from nastavnik.consents.selectors import people_with_valid_consent
from nastavnik.programs.models import (
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    OutputKind,
    Program,
    Stage,
    StageTask,
)


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    stage: int
    kind: str
    title: str | Promise
    # Checked against the data instead of by hand.
    auto: str = ""
    # With ``auto``: the curator may also tick it by hand when the data does not show it (an
    # order signed on paper, outside the system's register).
    hand: bool = False


CHECKLISTS: tuple[ChecklistItem, ...] = (
    # 1. Preparing the conditions.
    ChecklistItem(
        "regulation", 1, OutputKind.DOCUMENT, _("The regulation on mentoring is approved")
    ),
    ChecklistItem(
        "implementation-order",
        1,
        OutputKind.DOCUMENT,
        _("The order on implementing the target model of mentorship is signed"),
        auto="implementation_order",
        hand=True,
    ),
    ChecklistItem("curator", 1, OutputKind.DATA, _("The curator is appointed"), auto="curator"),
    ChecklistItem(
        "program-goals",
        1,
        OutputKind.DOCUMENT,
        _("The program's goals, tasks and expected results are set"),
        auto="goals",
    ),
    ChecklistItem("roadmap", 1, OutputKind.DOCUMENT, _("The roadmap is drawn up"), auto="roadmap"),
    ChecklistItem(
        "informing",
        1,
        OutputKind.EVENT,
        _("Teachers, pupils and parents are informed about the program"),
    ),
    # 2. The base of mentees.
    ChecklistItem(
        "mentee-survey",
        2,
        OutputKind.EVENT,
        _("Mentees' requests are surveyed"),
    ),
    ChecklistItem(
        "mentee-consents",
        2,
        OutputKind.DOCUMENT,
        _("Consents to the processing of personal data are collected from mentees"),
    ),
    ChecklistItem(
        "mentee-base", 2, OutputKind.DATA, _("The base of mentees is formed"), auto="mentees"
    ),
    # 3. The base of mentors.
    ChecklistItem(
        "mentor-informing",
        3,
        OutputKind.EVENT,
        _("Potential mentors are informed and invited"),
    ),
    ChecklistItem(
        "mentor-consents",
        3,
        OutputKind.DOCUMENT,
        _("Mentors' questionnaires and consents are collected"),
    ),
    ChecklistItem(
        "mentor-base", 3, OutputKind.DATA, _("The base of mentors is formed"), auto="mentors"
    ),
    # 4. Selecting and training mentors.
    ChecklistItem(
        "interviews",
        4,
        OutputKind.EVENT,
        _("Interviews with the mentors are held"),
        auto="interviews",
    ),
    ChecklistItem(
        "training-plan",
        4,
        OutputKind.DOCUMENT,
        _("The mentors' training plan is approved"),
        auto="training_plan",
    ),
    ChecklistItem(
        "mentors-trained", 4, OutputKind.DATA, _("The mentors are trained"), auto="trained"
    ),
    # 5. Forming pairs and groups.
    ChecklistItem(
        "matching-meeting",
        5,
        OutputKind.EVENT,
        _("A meeting of mentors and mentees is held"),
    ),
    ChecklistItem(
        "pairs-formed",
        5,
        OutputKind.DATA,
        _("Mentoring pairs and groups are formed"),
        auto="pairs_formed",
    ),
    ChecklistItem(
        "pairs-order",
        5,
        OutputKind.DOCUMENT,
        _("The order fixing the mentoring pairs and groups is signed"),
        auto="pairs_order",
        hand=True,
    ),
    # 6. The work of pairs and groups.
    ChecklistItem(
        "development-plans",
        6,
        OutputKind.DOCUMENT,
        _("Individual development plans are drawn up"),
    ),
    ChecklistItem("meetings", 6, OutputKind.EVENT, _("Pairs and groups meet regularly")),
    ChecklistItem(
        "interim-monitoring", 6, OutputKind.EVENT, _("Interim monitoring is carried out")
    ),
    # 7. Completion.
    ChecklistItem(
        "final-monitoring",
        7,
        OutputKind.EVENT,
        _("Final monitoring and surveys are carried out"),
    ),
    ChecklistItem(
        "final-event",
        7,
        OutputKind.EVENT,
        _("The final event (a festival of mentoring pairs) is held"),
    ),
    ChecklistItem("report", 7, OutputKind.DOCUMENT, _("The report on the program is prepared")),
    ChecklistItem(
        "best-practices",
        7,
        OutputKind.DATA,
        _("The best practices are added to the resource library"),
    ),
)

_BY_CODE = {item.code: item for item in CHECKLISTS}


def checklist_item(code: str) -> ChecklistItem | None:
    return _BY_CODE.get(code)


def checklist_for(stage: int) -> list[ChecklistItem]:
    return [item for item in CHECKLISTS if item.stage == stage]


# Inside ``reading_once()``: what was already read of a program, by (what, program id).
_ONCE: ContextVar[dict[tuple[str, int], Any] | None] = ContextVar("stages_once", default=None)


@contextmanager
def reading_once() -> Iterator[None]:
    """Within the block a program's data checks and mentors are read once (the block writes
    nothing: the stages page and the warnings before a stage ask for them several times)."""
    if _ONCE.get() is not None:
        yield
        return
    token = _ONCE.set({})
    try:
        yield
    finally:
        _ONCE.reset(token)


def _mentors(program: Program) -> list[Enrolment]:
    once = _ONCE.get()
    if once is not None and ("mentors", program.pk) in once:
        return list(once[("mentors", program.pk)])
    mentors = list(
        Enrolment.objects.filter(program=program, role=EnrolmentRole.MENTOR)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("person")
    )
    if once is not None:
        once[("mentors", program.pk)] = mentors
    return list(mentors)


AUTO_CHECKS = (
    "curator",
    "goals",
    "roadmap",
    "mentees",
    "mentors",
    "interviews",
    "training_plan",
    "trained",
    "implementation_order",
    "pairs_formed",
    "pairs_order",
)

# Mentorships that were formed (``mentorships.MentorshipStatus`` values; the programs app reads
# them through the reverse relation and does not import the mentorships app).
_FORMED_STATUSES = ("active", "paused", "completed")
# The register's kinds of orders (``documents.DocumentKind`` values).
_IMPLEMENTATION_ORDER = "implementation-order"
_PAIRS_ORDER = "pairs-order"


def auto_states(program: Program) -> dict[str, bool]:
    """Every data-checked item's state at once (a few queries, whatever the size of the bases;
    none the second time inside ``reading_once()``)."""
    once = _ONCE.get()
    if once is not None and ("states", program.pk) in once:
        return dict(once[("states", program.pk)])
    states = _auto_states(program)
    if once is not None:
        once[("states", program.pk)] = states
    return dict(states)


def _auto_states(program: Program) -> dict[str, bool]:
    roles = set(
        Enrolment.objects.filter(program=program)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .values_list("role", flat=True)
        .distinct()
    )
    mentors = _mentors(program)
    orders = set(
        program.issued_documents.filter(kind__in=[_IMPLEMENTATION_ORDER, _PAIRS_ORDER]).values_list(
            "kind", flat=True
        )
    )
    formed = program.mentorships.filter(status__in=_FORMED_STATUSES)
    return {
        "curator": program.curator_id is not None,
        "goals": bool(program.goals.strip() and program.tasks.strip()),
        "roadmap": program.roadmap.exists(),
        "mentees": EnrolmentRole.MENTEE in roles,
        "mentors": EnrolmentRole.MENTOR in roles,
        "interviews": bool(mentors) and all(m.interviewed_on for m in mentors),
        "training_plan": program.training_sessions.exists(),
        "trained": bool(mentors) and all(m.is_trained for m in mentors),
        "implementation_order": _IMPLEMENTATION_ORDER in orders,
        "pairs_formed": formed.exists(),
        # An order for pairs in the register, or its number recorded on the pairs.
        "pairs_order": _PAIRS_ORDER in orders or formed.exclude(order_number="").exists(),
    }


def item_state(task: StageTask, states: dict[str, bool]) -> tuple[bool, bool]:
    """(done, answered by the data) of a checklist row: a data-checked item is done when the data
    says so, or — for items that may be ticked by hand too — when the curator ticked it."""
    item = checklist_item(task.code) if task.code else None
    if item is None or not item.auto:
        return task.is_done, False
    if states[item.auto]:
        return True, True
    return (item.hand and task.is_done), not item.hand


def auto_check(program: Program, check: str) -> bool:
    """Whether a data-checked item is fulfilled now."""
    if check not in AUTO_CHECKS:
        raise ValueError(check)
    return auto_states(program)[check]


StageGuard = Callable[[Program, int], list[str]]
_GUARDS: list[StageGuard] = []


def register_stage_guard(guard: StageGuard) -> None:
    """Let another app warn before a program enters a stage: ``guard(program, stage)``."""
    if guard not in _GUARDS:
        _GUARDS.append(guard)


def _untrained_mentors(program: Program, stage: int) -> list[str]:
    if stage < Stage.MATCHING:
        return []
    untrained = [m.person.full_name for m in _mentors(program) if not m.is_trained]
    if not untrained:
        return []
    return [gettext("Mentors without training: %(names)s.") % {"names": ", ".join(untrained)}]


def _empty_bases(program: Program, stage: int) -> list[str]:
    if stage < Stage.MATCHING:
        return []
    problems = []
    states = auto_states(program)
    if not states["mentees"]:
        problems.append(gettext("The base of mentees is empty."))
    if not states["mentors"]:
        problems.append(gettext("The base of mentors is empty."))
    return problems


register_stage_guard(_empty_bases)
register_stage_guard(_untrained_mentors)


def missing_for(program: Program, stage: int, states: dict[str, bool] | None = None) -> list[str]:
    """What the program lacks of a stage's checklist (by hand and by data)."""
    states = auto_states(program) if states is None else states
    missing = []
    for task in StageTask.objects.filter(program=program, stage=stage).order_by("position", "id"):
        done, _by_data = item_state(task, states)
        if not done:
            missing.append(gettext("Not done: %(item)s.") % {"item": task.title})
    return missing


def warnings_for_entering(program: Program, stage: int) -> list[str]:
    """Everything missing before the program enters ``stage``: the unfinished checklists of the
    earlier stages, then the warnings of the guards."""
    warnings: list[str] = []
    with reading_once():
        states = auto_states(program)
        for earlier in range(Stage.PREPARATION, stage):
            warnings.extend(missing_for(program, earlier, states))
        for guard in _GUARDS:
            warnings.extend(guard(program, stage))
    return warnings


def _without_consent(program: Program, stage: int) -> list[str]:
    """Consents withdrawn or expired since enrolment: such people cannot be put in pairs."""
    if stage < Stage.MATCHING:
        return []
    enrolments = list(
        Enrolment.objects.filter(program=program)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("person")
    )
    allowed = people_with_valid_consent([e.person_id for e in enrolments])
    names = sorted({e.person.full_name for e in enrolments if e.person_id not in allowed})
    if not names:
        return []
    return [gettext("Without a valid consent: %(names)s.") % {"names": ", ".join(names)}]


register_stage_guard(_without_consent)
