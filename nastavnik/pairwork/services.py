"""Writes of a pair's work. Each checks the actor's right on the mentorship, validates, writes in
one transaction and audits.

Where two people may act at once the decision is taken under a row lock: a meeting locks the
people of the mentorship (no two overlapping meetings for one person, whoever books them), a task
and a meeting lock their own row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.accounts.access import access_for, require_curator
from nastavnik.core.audit import audit
from nastavnik.mentorships.models import MemberRole, Mentorship, MentorshipMember
from nastavnik.pairwork.models import (
    Attendance,
    CalendarFeed,
    Goal,
    ItemStatus,
    Meeting,
    MeetingFormat,
    MeetingStatus,
    Observation,
    PeerPoints,
    PeerReview,
    PeerWork,
    ProgressRecord,
    Reflection,
    Task,
    TaskKind,
    Thresholds,
    new_feed_token,
)
from nastavnik.pairwork.selectors import WORKING_STATUSES, role_in
from nastavnik.people.models import Person
from nastavnik.programs.models import Program

# The longest meeting considered when looking for overlaps.
MAX_MINUTES = 8 * 60


def _require_planner(actor: Any, mentorship: Mentorship) -> None:
    if not role_in(user=actor, mentorship=mentorship).can_plan:
        raise PermissionDenied(_("Only the mentor of the pair or a curator may do this."))


def _require_working(mentorship: Mentorship) -> None:
    if mentorship.status not in WORKING_STATUSES:
        raise ValidationError(_("The pair or group is not at work: nothing can be added."))


def goal_create(
    *,
    actor: Any,
    mentorship: Mentorship,
    title: str,
    result: str = "",
    due_on: dt.date | None = None,
) -> Goal:
    _require_planner(actor, mentorship)
    _require_working(mentorship)
    goal = Goal(
        organization_id=mentorship.organization_id,
        mentorship=mentorship,
        title=title.strip(),
        result=result.strip(),
        due_on=due_on,
    )
    goal.full_clean()
    with transaction.atomic():
        goal.save()
        audit(actor=actor, action="pairwork.goal_create", obj=goal, message=goal.title)
    return goal


def task_create(
    *,
    actor: Any,
    mentorship: Mentorship,
    goal: Goal | None,
    title: str,
    due_on: dt.date | None = None,
    peer_review: bool = False,
    rubric: str = "",
) -> Task:
    """A task under a goal; in a group it may ask the mentees to review each other's work by a
    short rubric (взаимоконтроль)."""
    _require_planner(actor, mentorship)
    _require_working(mentorship)
    if goal is None or goal.mentorship_id != mentorship.pk:
        raise ValidationError({"goal": _("A task belongs to a goal of the plan: choose one.")})
    task = Task(
        organization_id=mentorship.organization_id,
        mentorship=mentorship,
        goal=goal,
        title=title.strip(),
        due_on=due_on,
        peer_review=peer_review,
        rubric="\n".join(line.strip() for line in rubric.splitlines() if line.strip())
        if peer_review
        else "",
    )
    if peer_review:
        _check_peer_task(mentorship, task)
    task.full_clean()
    with transaction.atomic():
        task.save()
        audit(actor=actor, action="pairwork.task_create", obj=task, message=task.title)
    return task


def task_set_done(*, actor: Any, task: Task, done: bool, evidence_link: str = "") -> Task:
    """Tick a task off (or reopen it). Under the task's row lock: two clicks make one change."""
    _require_planner(actor, task.mentorship)
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        status = ItemStatus.DONE if done else ItemStatus.OPEN
        if locked.status == status:
            return locked
        locked.status = status
        locked.done_on = timezone.localdate() if done else None
        locked.meeting = None  # ticked by hand (or reopened): no meeting stands behind it
        if evidence_link:
            locked.evidence_link = evidence_link
        locked.full_clean()
        locked.save(update_fields=["status", "done_on", "evidence_link", "meeting", "updated_at"])
        audit(
            actor=actor,
            action="pairwork.task_done" if done else "pairwork.task_reopen",
            obj=locked,
        )
    return locked


def _members(mentorship: Mentorship) -> list[MentorshipMember]:
    return list(MentorshipMember.objects.filter(mentorship=mentorship).select_related("person"))


def _overlaps(
    *, person_ids: Iterable[int], start: dt.datetime, minutes: int, exclude_id: int | None
) -> list[Meeting]:
    end = start + dt.timedelta(minutes=minutes)
    mentorships = MentorshipMember.objects.filter(person_id__in=list(person_ids)).values(
        "mentorship_id"
    )
    candidates = Meeting.objects.filter(
        mentorship_id__in=mentorships,
        starts_at__lt=end,
        starts_at__gt=start - dt.timedelta(minutes=MAX_MINUTES),
    ).exclude(status=MeetingStatus.CANCELLED)
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    return [m for m in candidates if m.starts_at + dt.timedelta(minutes=m.duration_minutes) > start]


def meeting_tick_task(*, actor: Any, meeting: Meeting) -> Task | None:
    """The rule «a held meeting ticks the plan's meeting task», run inside the transaction that
    marks ``meeting`` held (logging a held meeting, or marking a planned one held).

    The plan's meeting tasks (``Task.kind``: a meeting of the sequence or a series of meetings,
    set by the template) are taken in the order of their due dates (then ids). The first one still
    open decides: a single meeting is ticked off — done on the meeting's day, ``Task.meeting`` the
    meeting; a series is left to the mentor (a held meeting is one of the series), and nothing
    after it is ticked. A plan without meeting tasks, or with all of them done, is not touched.
    The plan's meeting tasks are locked (ascending ids), so two meetings held at once tick two
    tasks, never one twice."""
    tasks = list(
        Task.objects.select_for_update()
        .filter(mentorship_id=meeting.mentorship_id, kind__in=[TaskKind.MEETING, TaskKind.MEETINGS])
        .order_by("pk")
    )
    tasks.sort(key=lambda t: (t.due_on is None, t.due_on or dt.date.min, t.pk))
    task = next((t for t in tasks if t.status == ItemStatus.OPEN), None)
    if task is None or task.kind != TaskKind.MEETING:
        return None
    task.status = ItemStatus.DONE
    task.done_on = timezone.localtime(meeting.starts_at).date()
    task.meeting = meeting
    task.save(update_fields=["status", "done_on", "meeting", "updated_at"])
    audit(
        actor=actor,
        action="pairwork.task_done",
        obj=task,
        message=task.title,
        data={"meeting": meeting.pk},
    )
    return task


def _untick_tasks(*, actor: Any, meeting: Meeting) -> int:
    """The meeting did not take place after all: the tasks it ticked are open again."""
    tasks = list(
        Task.objects.select_for_update()
        .filter(meeting=meeting, status=ItemStatus.DONE)
        .order_by("pk")
    )
    for task in tasks:
        task.status = ItemStatus.OPEN
        task.done_on = None
        task.meeting = None
        task.save(update_fields=["status", "done_on", "meeting", "updated_at"])
        audit(
            actor=actor,
            action="pairwork.task_reopen",
            obj=task,
            message=task.title,
            data={"meeting": meeting.pk},
        )
    return len(tasks)


def meeting_create(
    *,
    actor: Any,
    mentorship: Mentorship,
    starts_at: dt.datetime,
    topic: str,
    duration_minutes: int = 45,
    format: str = MeetingFormat.IN_PERSON,
    place: str = "",
    link: str = "",
    agenda: str = "",
    notes: str = "",
    private_notes: str = "",
    held: bool = False,
    present_person_ids: Iterable[int] | None = None,
    now: dt.datetime | None = None,
) -> Meeting:
    """Plan a meeting, or log one that was held (with attendance).

    A planned meeting is in the future; a held one is not. No person of the pair may have another
    meeting at the same time: the check runs under a lock of the pair's people, so two bookings at
    once cannot both pass.
    """
    _require_planner(actor, mentorship)
    _require_working(mentorship)
    now = now or timezone.now()
    if held and starts_at > now:
        raise ValidationError({"starts_at": _("A meeting that was held cannot be in the future.")})
    if not held and starts_at < now:
        raise ValidationError({"starts_at": _("A planned meeting cannot be in the past.")})
    if format == MeetingFormat.ONLINE and not link:
        raise ValidationError({"link": _("An online meeting needs a link.")})
    if not 5 <= duration_minutes <= MAX_MINUTES:
        raise ValidationError({"duration_minutes": _("The duration is from 5 minutes to 8 hours.")})
    meeting = Meeting(
        organization_id=mentorship.organization_id,
        mentorship=mentorship,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        format=format,
        place=place.strip(),
        link=link.strip(),
        topic=topic.strip(),
        agenda=agenda,
        notes=notes,
        private_notes=private_notes,
        status=MeetingStatus.HELD if held else MeetingStatus.PLANNED,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    meeting.full_clean()
    members = _members(mentorship)
    person_ids = sorted({m.person_id for m in members})
    present = set(present_person_ids or ())
    with transaction.atomic():
        # Lock the people in a fixed order: a concurrent booking for any of them waits here.
        list(Person.objects.select_for_update().filter(pk__in=person_ids).order_by("pk"))
        clash = _overlaps(
            person_ids=person_ids, start=starts_at, minutes=duration_minutes, exclude_id=None
        )
        if clash:
            other = timezone.localtime(clash[0].starts_at)
            raise ValidationError(
                {
                    "starts_at": _(
                        "This time overlaps another meeting of a member of the pair "
                        "(%(date)s at %(time)s)."
                    )
                    % {"date": other.strftime("%d.%m.%Y"), "time": other.strftime("%H:%M")}
                }
            )
        meeting.save()
        if held:
            Attendance.objects.bulk_create(
                Attendance(
                    organization_id=mentorship.organization_id,
                    meeting=meeting,
                    person_id=pid,
                    present=pid in present,
                )
                for pid in person_ids
            )
            meeting_tick_task(actor=actor, meeting=meeting)
        audit(
            actor=actor,
            action="pairwork.meeting_log" if held else "pairwork.meeting_plan",
            obj=meeting,
            message=meeting.topic,
        )
    return meeting


def meeting_mark_held(
    *,
    actor: Any,
    meeting: Meeting,
    notes: str = "",
    private_notes: str = "",
    present_person_ids: Iterable[int] = (),
    now: dt.datetime | None = None,
) -> Meeting:
    """The mentor records that a planned meeting took place, with notes and attendance."""
    _require_planner(actor, meeting.mentorship)
    now = now or timezone.now()
    present = set(present_person_ids)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != MeetingStatus.PLANNED:
            raise ValidationError(_("Only a planned meeting can be marked as held."))
        if locked.starts_at > now:
            raise ValidationError(_("The meeting has not begun yet."))
        locked.status = MeetingStatus.HELD
        if notes:
            locked.notes = notes
        if private_notes:
            locked.private_notes = private_notes
        locked.save(update_fields=["status", "notes", "private_notes", "updated_at"])
        for member in _members(locked.mentorship):
            Attendance.objects.update_or_create(
                meeting=locked,
                person_id=member.person_id,
                defaults={
                    "organization_id": locked.organization_id,
                    "present": member.person_id in present,
                },
            )
        meeting_tick_task(actor=actor, meeting=locked)
        audit(actor=actor, action="pairwork.meeting_held", obj=locked)
    return locked


def meeting_cancel(*, actor: Any, meeting: Meeting) -> Meeting:
    """Cancel a planned meeting, or a held one that did not take place after all (logged by
    mistake): the plan's task it ticked off is open again."""
    _require_planner(actor, meeting.mentorship)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status == MeetingStatus.CANCELLED:
            raise ValidationError(_("The meeting has already been cancelled."))
        previous = locked.status
        locked.status = MeetingStatus.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        reopened = _untick_tasks(actor=actor, meeting=locked)
        audit(
            actor=actor,
            action="pairwork.meeting_cancel",
            obj=locked,
            data={"from": previous, "tasks_reopened": reopened},
        )
    return locked


def reflection_write(*, actor: Any, meeting: Meeting, learned: str, hard: str = "") -> Reflection:
    """A mentee of the pair writes (or rewrites) their reflection on a held meeting."""
    access = access_for(actor)
    author = (
        MentorshipMember.objects.filter(
            mentorship_id=meeting.mentorship_id,
            role=MemberRole.MENTEE,
            person__user_id=access.user_id,
        )
        .values_list("person_id", flat=True)
        .first()
        if access.user_id is not None
        else None
    )
    if author is None:
        raise PermissionDenied(_("Only a mentee of the pair writes a reflection."))
    if not learned.strip():
        raise ValidationError({"learned": _("Write what you learned, in a few words.")})
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != MeetingStatus.HELD:
            raise ValidationError(_("A reflection is written after a meeting that was held."))
        reflection, _created = Reflection.objects.update_or_create(
            meeting=locked,
            author_id=author,
            defaults={
                "organization_id": locked.organization_id,
                "learned": learned.strip(),
                "hard": hard.strip(),
            },
        )
        reflection.full_clean()
        audit(actor=actor, action="pairwork.reflection", obj=reflection, person_id=author)
    return reflection


# The calendar feed and the reminders switch are the user's own settings, not personal data of
# the organization: they are not audited.


def feed_issue(*, actor: Any) -> CalendarFeed:
    """Turn on the user's calendar feed, or replace its token (the old URL stops working)."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=actor)
        if not created:
            feed.token = new_feed_token()
        feed.active = True
        feed.save()
    return feed


def feed_revoke(*, actor: Any) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    with transaction.atomic():
        CalendarFeed.objects.filter(user=actor).update(active=False, token=new_feed_token())


def reminders_set(*, actor: Any, enabled: bool) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.get_or_create(user=actor, defaults={"active": False})
        feed.reminders_off = not enabled
        feed.save(update_fields=["reminders_off"])


def _mentee_of(mentorship: Mentorship, person_id: int) -> int:
    if not MentorshipMember.objects.filter(
        mentorship=mentorship, person_id=person_id, role=MemberRole.MENTEE
    ).exists():
        raise ValidationError({"mentee": _("Choose a mentee of the pair.")})
    return person_id


def progress_record(
    *,
    actor: Any,
    mentorship: Mentorship,
    mentee_id: int,
    subject: str,
    recorded_on: dt.date,
    level: int | None = None,
    mark: Decimal | None = None,
    source: str = "",
) -> ProgressRecord:
    """The mentor or a curator records a mentee's level or mark; a mentee never sets their own."""
    _require_planner(actor, mentorship)
    if level is None and mark is None:
        raise ValidationError({"level": _("Give a level or a mark.")})
    if mark is not None and not Decimal(1) <= mark <= Decimal(5):
        raise ValidationError({"mark": _("A mark is from 1 to 5.")})
    record = ProgressRecord(
        organization_id=mentorship.organization_id,
        mentorship=mentorship,
        mentee_id=_mentee_of(mentorship, mentee_id),
        subject=subject.strip(),
        level=level,
        mark=mark,
        recorded_on=recorded_on,
        source=source.strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record.full_clean()
    with transaction.atomic():
        record.save()
        audit(actor=actor, action="pairwork.progress", obj=record, person_id=mentee_id)
    return record


def observation_add(
    *, actor: Any, mentorship: Mentorship, mentee_id: int, text: str
) -> Observation:
    """The mentor's (or curator's) note on what helps a learner and what to avoid."""
    _require_planner(actor, mentorship)
    observation = Observation(
        organization_id=mentorship.organization_id,
        mentorship=mentorship,
        mentee_id=_mentee_of(mentorship, mentee_id),
        text=text.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    observation.full_clean()
    with transaction.atomic():
        observation.save()
        audit(actor=actor, action="pairwork.observation", obj=observation, person_id=mentee_id)
    return observation


def thresholds_set(
    *,
    actor: Any,
    program: Program,
    no_meeting_days: int,
    never_started_days: int,
    answer_days: int,
) -> Thresholds:
    """A curator sets the program's thresholds of early warnings."""
    require_curator(actor, program.organization_id)
    with transaction.atomic():
        thresholds, _created = Thresholds.objects.select_for_update().get_or_create(
            program=program, defaults={"organization_id": program.organization_id}
        )
        thresholds.no_meeting_days = no_meeting_days
        thresholds.never_started_days = never_started_days
        thresholds.answer_days = answer_days
        thresholds.full_clean()
        thresholds.save()
        audit(
            actor=actor,
            action="pairwork.thresholds",
            obj=thresholds,
            data={
                "no_meeting_days": no_meeting_days,
                "never_started_days": never_started_days,
                "answer_days": answer_days,
            },
        )
    return thresholds


def plan_from_template(*, actor: Any, mentorship: Mentorship, today: dt.date | None = None) -> int:
    """Fill an empty plan from the template of the program's form and the pair's variant;
    returns the number of tasks created. A plan that has goals is left alone."""
    from nastavnik.pairwork.plan_templates import task_kind, template_for

    _require_planner(actor, mentorship)
    _require_working(mentorship)
    today = today or timezone.localdate()
    template = template_for(
        form_code=mentorship.program.form.code,
        variant_code=mentorship.variant.code if mentorship.variant else "",
    )
    created = 0
    with transaction.atomic():
        locked = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
        if Goal.objects.filter(mentorship=locked).exists():
            raise ValidationError(_("The plan already has goals: a template fills an empty plan."))
        for title, result, days, tasks in template:
            goal = Goal.objects.create(
                organization_id=locked.organization_id,
                mentorship=locked,
                title=title,
                result=result,
                due_on=today + dt.timedelta(days=days),
            )
            for task_title, task_days in tasks:
                Task.objects.create(
                    organization_id=locked.organization_id,
                    mentorship=locked,
                    goal=goal,
                    title=task_title,
                    due_on=today + dt.timedelta(days=task_days),
                    kind=task_kind(goal_title=title, task_title=task_title),
                )
                created += 1
        audit(actor=actor, action="pairwork.plan_template", obj=locked, data={"tasks": created})
    return created


# --- Peer review inside groups (взаимоконтроль) -------------------------------------------------

MAX_CRITERIA = 5
MAX_CRITERION_LENGTH = 150


def _check_peer_task(mentorship: Mentorship, task: Task) -> None:
    mentees = MentorshipMember.objects.filter(mentorship=mentorship, role=MemberRole.MENTEE)
    if mentees.count() < 2:
        raise ValidationError(
            {"peer_review": _("Peer review is for a group: a pair has nobody to review.")}
        )
    criteria = task.criteria
    if not criteria:
        raise ValidationError(
            {"rubric": _("Give the rubric of the peer review: one criterion per line.")}
        )
    if len(criteria) > MAX_CRITERIA:
        raise ValidationError(
            {"rubric": _("A short rubric: at most %(n)d criteria.") % {"n": MAX_CRITERIA}}
        )
    if any(len(c) > MAX_CRITERION_LENGTH for c in criteria):
        raise ValidationError(
            {
                "rubric": _("A criterion is at most %(n)d characters long.")
                % {"n": MAX_CRITERION_LENGTH}
            }
        )


def _mentee_person(actor: Any, mentorship_id: int) -> int | None:
    """The person id of the acting user as a mentee of the mentorship, if they are one."""
    access = access_for(actor)
    if access.user_id is None:
        return None
    return (
        MentorshipMember.objects.filter(
            mentorship_id=mentorship_id, role=MemberRole.MENTEE, person__user_id=access.user_id
        )
        .values_list("person_id", flat=True)
        .first()
    )


def peer_work_submit(*, actor: Any, task: Task, text: str, link: str = "") -> PeerWork:
    """A mentee of the group hands in (or replaces) their work on a peer-review task."""
    author = _mentee_person(actor, task.mentorship_id)
    if author is None:
        raise PermissionDenied(_("Only a mentee of the group hands in a work."))
    if not task.peer_review:
        raise ValidationError(_("This task does not ask for peer review."))
    _require_working(task.mentorship)
    if not text.strip():
        raise ValidationError({"text": _("Describe your work in a few words.")})
    with transaction.atomic():
        Task.objects.select_for_update().get(pk=task.pk)
        work = PeerWork.objects.filter(task=task, author_id=author).first() or PeerWork(
            organization_id=task.organization_id, task=task, author_id=author
        )
        work.text, work.link = text.strip(), link.strip()
        work.full_clean()
        work.save()
        audit(actor=actor, action="pairwork.peer_work", obj=work, person_id=author)
    return work


def peer_review_write(
    *, actor: Any, work: PeerWork, scores: Iterable[int], comment: str = ""
) -> PeerReview:
    """Another mentee of the group reviews a work: points for each criterion of the rubric
    (0 not met, 1 partly, 2 met) and a comment. Rewriting one's review replaces it."""
    task = work.task
    reviewer = _mentee_person(actor, task.mentorship_id)
    if reviewer is None:
        raise PermissionDenied(_("Only a mentee of the group reviews the works of the others."))
    if reviewer == work.author_id:
        raise ValidationError(_("Review the work of another mentee, not your own."))
    _require_working(task.mentorship)
    points = list(scores)
    if len(points) != len(task.criteria) or any(p not in PeerPoints.values for p in points):
        raise ValidationError(
            {"scores": _("Give points for every criterion of the rubric: 0, 1 or 2.")}
        )
    with transaction.atomic():
        locked = PeerWork.objects.select_for_update().get(pk=work.pk)
        review = PeerReview.objects.filter(work=locked, reviewer_id=reviewer).first() or (
            PeerReview(organization_id=locked.organization_id, work=locked, reviewer_id=reviewer)
        )
        review.scores, review.comment = [int(p) for p in points], comment.strip()
        review.full_clean()
        review.save()
        audit(actor=actor, action="pairwork.peer_review", obj=review, person_id=reviewer)
    return review
