"""Reads of programs and their bases, scoped to the acting user."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from nastavnik.accounts.access import Actor, access_for
from nastavnik.core.selectors import get_visible
from nastavnik.core.text import search_key
from nastavnik.people.models import PERSON_ORDER, Person
from nastavnik.people.selectors import name_matching, person_queryset
from nastavnik.programs.models import (
    OPEN_STATUSES,
    ContourTask,
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    MentoringForm,
    Partner,
    Program,
    RoadmapItem,
    Stage,
    StageTask,
    Tandem,
    TandemMember,
    TandemStep,
    TaskStatus,
    TrainingSession,
    Variant,
)
from nastavnik.programs.stages import auto_states, item_state


def program_list(*, user: Actor, organization_id: int | None = None) -> QuerySet[Program]:
    """Programs of the organizations the user belongs to (any role)."""
    qs = Program.objects.member_view(user).select_related("organization", "academic_year", "form")
    if organization_id:
        qs = qs.filter(organization_id=organization_id)
    return qs


def program_get(*, user: Actor, program_id: int) -> Program:
    return get_visible(program_list(user=user), pk=program_id)


def enrolment_list(*, user: Actor, program: Program) -> QuerySet[Enrolment]:
    """The base of a program: everyone for its staff, one's own enrolments for others."""
    access = access_for(user)
    qs = Enrolment.objects.member_view(access).filter(program=program)
    qs = qs.select_related("person", "variant")
    if access.is_staff_of(program.organization_id):
        return qs
    if access.user_id is None:
        return qs.none()
    return qs.filter(person__user_id=access.user_id)


def form_find(name: str) -> MentoringForm | None:
    """A form by its name or code, tolerant of case, ё and the kind of dash («учитель-ученик»)."""
    key = _dashless(name)
    for form in MentoringForm.objects.all():
        if key in {_dashless(form.name), _dashless(form.code)}:
            return form
    return None


def variant_find(*, form: MentoringForm, organization_id: int, name: str) -> Variant | None:
    key = _dashless(name)
    for variant in Variant.objects.filter(form=form).filter(
        Q(organization__isnull=True) | Q(organization_id=organization_id)
    ):
        if key in {_dashless(variant.name), _dashless(variant.code)}:
            return variant
    return None


def _dashless(text: str) -> str:
    return "".join(ch for ch in search_key(text) if ch.isalnum())


# --- Lifecycle: stages, roadmap, contours, training, tandems -----------------------------------
# Everything below is the curator's and the head's working material: visible to the staff of the
# program's organization only (a mentor of the same organization gets 404).


def staff_program_list(*, user: Actor) -> QuerySet[Program]:
    """Programs of the organizations where the user is curator or head."""
    return Program.objects.staff_view(user).select_related("organization", "academic_year", "form")


def staff_program_get(*, user: Actor, program_id: int) -> Program:
    """A program of an organization where the user is curator or head (404 otherwise)."""
    return get_visible(staff_program_list(user=user), pk=program_id)


def stage_task_get(*, user: Actor, stage_task_id: int) -> StageTask:
    return get_visible(
        StageTask.objects.staff_view(user).select_related("program"), pk=stage_task_id
    )


def stage_overview(*, program: Program, user: Actor | None = None) -> list[dict[str, Any]]:
    """The seven stages with their checklists: each item done (by hand or by the data), by whom
    and when. With ``user`` the items come from the user's staff view (a program of another
    organization shows none); without it the caller vouches for the program (services)."""
    scope = StageTask.objects.all() if user is None else StageTask.objects.staff_view(user)
    tasks = list(
        scope.filter(program=program).select_related("done_by").order_by("stage", "position", "id")
    )
    states = auto_states(program)
    stages = []
    for value, label in Stage.choices:
        items = []
        for task in (t for t in tasks if t.stage == value):
            done, auto = item_state(task, states)
            items.append({"task": task, "auto": auto, "done": done})
        stages.append(
            {
                "value": value,
                "label": label,
                "items": items,
                "done": sum(1 for i in items if i["done"]),
                "current": value == program.stage,
                "passed": value < program.stage,
            }
        )
    return stages


def enrolment_get(*, user: Actor, enrolment_id: int) -> Enrolment:
    return get_visible(
        Enrolment.objects.staff_view(user).select_related("person", "program", "program__form"),
        pk=enrolment_id,
    )


def enrolment_base(*, user: Actor, program: Program, role: str) -> QuerySet[Enrolment]:
    """One base of a program (mentors or mentees) for its staff."""
    return (
        Enrolment.objects.staff_view(user)
        .filter(program=program, role=role)
        .select_related("person", "variant")
        .order_by("person__search_name", "id")
    )


def enrolment_candidates(
    *, user: Actor, program: Program, role: str, query: str = ""
) -> QuerySet[Person]:
    """People of the program's organization who may join a base in this role (the form's rules)
    and are not in it yet; ``query`` narrows them by any part of the name (ё as е)."""
    form = program.form
    categories = form.mentor_categories if role == EnrolmentRole.MENTOR else form.mentee_categories
    qs = (
        person_queryset(user=user)
        .filter(organization_id=program.organization_id, category__in=categories)
        .exclude(pk__in=Enrolment.objects.filter(program=program, role=role).values("person_id"))
    )
    return name_matching(qs, query).order_by(*PERSON_ORDER)


def roadmap_list(*, program: Program, user: Actor | None = None) -> QuerySet[RoadmapItem]:
    """The program's roadmap from the user's staff view (without ``user``: the caller vouches)."""
    scope = RoadmapItem.objects.all() if user is None else RoadmapItem.objects.staff_view(user)
    return scope.filter(program=program).order_by("due_on", "id")


def roadmap_overdue(
    *, program: Program, today: dt.date | None = None, user: Actor | None = None
) -> QuerySet[RoadmapItem]:
    day = today or timezone.localdate()
    return roadmap_list(program=program, user=user).filter(status__in=OPEN_STATUSES, due_on__lt=day)


def roadmap_item_get(*, user: Actor, roadmap_item_id: int) -> RoadmapItem:
    return get_visible(
        RoadmapItem.objects.staff_view(user).select_related("program"), pk=roadmap_item_id
    )


def contour_task_get(*, user: Actor, contour_task_id: int) -> ContourTask:
    return get_visible(
        ContourTask.objects.staff_view(user).select_related("program"), pk=contour_task_id
    )


def partner_get(*, user: Actor, partner_id: int) -> Partner:
    return get_visible(Partner.objects.staff_view(user).select_related("program"), pk=partner_id)


def training_session_get(*, user: Actor, training_session_id: int) -> TrainingSession:
    return get_visible(
        TrainingSession.objects.staff_view(user).select_related("program"), pk=training_session_id
    )


def _my_tandem_ids(user: Actor) -> Any:
    """Tandems the user is a member of (their person in one of their organizations)."""
    access = access_for(user)
    if access.user_id is None:
        return TandemMember.objects.none().values("tandem_id")
    return TandemMember.objects.filter(
        person__user_id=access.user_id, organization_id__in=access.member_org_ids
    ).values("tandem_id")


def tandem_get(*, user: Actor, tandem_id: int) -> Tandem:
    """A tandem for the staff of its organization (the curator, the head) or one of its members;
    404 for anyone else."""
    staff = Tandem.objects.staff_view(user)
    mine = Tandem.objects.member_view(user).filter(pk__in=_my_tandem_ids(user))
    return get_visible(
        (staff | mine).select_related("program").prefetch_related("members", "notes", "toolkit"),
        pk=tandem_id,
    )


def tandem_is_member(*, user: Actor, tandem: Tandem) -> bool:
    access = access_for(user)
    return access.user_id is not None and any(
        m.user_id == access.user_id for m in tandem.members.all()
    )


def my_tandems(*, user: Actor) -> list[Tandem]:
    """The tandems the user is a member of, with their members."""
    return list(
        Tandem.objects.member_view(user)
        .filter(pk__in=_my_tandem_ids(user))
        .select_related("program")
        .prefetch_related("members")
        .order_by("name", "id")
    )


def tandems_for_order(*, program: Program) -> list[Tandem]:
    """The program's tandems at the fifth step (a team with common goals): the order fixes them
    as it fixes pairs (the caller is staff of the program's organization)."""
    return list(
        Tandem.objects.filter(program=program, step=TandemStep.TEAM)
        .prefetch_related("members")
        .order_by("name", "id")
    )


def variants_for(*, form: MentoringForm, organization_id: int) -> QuerySet[Variant]:
    """The shared variants of a form and the organization's own."""
    return Variant.objects.filter(form=form).filter(
        Q(organization__isnull=True) | Q(organization_id=organization_id)
    )


def public_program_get(*, program_id: int) -> Program:
    """A program whose organization opted in to a public page; 404 otherwise."""
    return get_visible(
        Program.objects.filter(is_public=True).select_related(
            "organization", "form", "academic_year"
        ),
        pk=program_id,
    )


def public_program_list(*, organization_id: int) -> list[Program]:
    """The organization's programs with a public page, current years first; 404 when none."""
    programs = list(
        Program.objects.filter(organization_id=organization_id, is_public=True)
        .select_related("organization", "form", "academic_year")
        .order_by("-academic_year__start_year", "form__position", "title")
    )
    if not programs:
        raise Http404
    return programs


def public_program_summary(*, program: Program) -> dict[str, Any]:
    """Aggregates only, never personal data: for the school website's «Наставничество»."""
    active = Enrolment.objects.filter(program=program).exclude(status=EnrolmentStatus.WITHDRAWN)
    counts = dict(active.values_list("role").annotate(n=Count("id")).values_list("role", "n"))
    today = timezone.localdate()
    return {
        "mentors": counts.get(EnrolmentRole.MENTOR, 0),
        "mentees": counts.get(EnrolmentRole.MENTEE, 0),
        "tandems": program.tandems.count(),
        "variants": [v.name for v in program.variants.all()],
        "models": [m.name for m in program.models_used.all()],
        # Paragraphs as typed in a browser (CRLF) or anywhere else.
        "news": [
            p.strip()
            for p in re.split(r"\n\s*\n", program.public_news.replace("\r\n", "\n"))
            if p.strip()
        ],
        "events": list(
            RoadmapItem.objects.filter(program=program, is_public=True)
            .exclude(status=TaskStatus.CANCELLED)
            .order_by("due_on")
            .values("title", "starts_on", "due_on")
        ),
        "today": today,
    }
