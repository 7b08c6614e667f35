"""The order fixing the program's pairs and groups («о закреплении наставнических пар (групп)»):
printing it and recording its number and date on the pairs, in one transaction.

The mentorships app coordinates: the documents app prints and registers the order (one entry of
the register per order, whatever the number of formats), this app records it on the pairs.
Printing takes seconds (WeasyPrint, docxtpl), so the page queues a ``DocumentJob``
(``pairs_order_queue``) and the worker (``tasks.pairs_order_run`` → ``pairs_order_execute``)
prints and records it; the documents app's job page shows the progress and gives the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from nastavnik.accounts.access import Actor, require_curator
from nastavnik.accounts.models import User
from nastavnik.documents.context import PairGroup
from nastavnik.documents.jobs import document_job_run, document_queue
from nastavnik.documents.models import DocumentJob, DocumentKind
from nastavnik.documents.services import GeneratedDocument, document_generate
from nastavnik.mentorships.models import Mentorship, MentorshipStatus
from nastavnik.mentorships.selectors import program_mentorships
from nastavnik.mentorships.services import mentorship_set_order
from nastavnik.programs.models import Program, Tandem
from nastavnik.programs.selectors import tandems_for_order
from nastavnik.programs.services import tandem_set_order

ORIGIN = "mentorships:order"


def pair_group(mentorship: Mentorship) -> PairGroup:
    """The pair or group as the order names it: its mentors, then its mentees."""
    sides = mentorship.sides()
    return PairGroup(
        mentors=sides["mentors"],
        mentees=sides["mentees"],
        number=mentorship.number,
        is_group=mentorship.is_group,
    )


def tandem_group(tandem: Tandem) -> PairGroup:
    """A tandem at the fifth step as the order fixes it, like a pair: its first member (by name)
    with the others (partner mentoring: they mentor each other)."""
    members = sorted(tandem.members.all(), key=lambda p: (p.last_name, p.first_name, p.pk))
    return PairGroup(mentors=members[:1], mentees=members[1:])


@transaction.atomic
def pairs_order_issue(
    *,
    actor: Actor,
    program: Program,
    mentorships: Sequence[Mentorship],
    fmt: str,
    number: str,
    signed_on: dt.date | None,
    tandems: Sequence[Tandem] = (),
) -> GeneratedDocument:
    """Print the order for ``mentorships`` and the tandems at the fifth step (.docx or PDF); an
    order with a number and a date is entered in the register once and recorded on the pairs
    and the tandems. Either all of it or nothing."""
    require_curator(actor, program.organization_id)
    document = document_generate(
        actor=actor,
        program=program,
        kind=DocumentKind.PAIRS_ORDER,
        fmt=fmt,
        number=number,
        signed_on=signed_on,
        groups=[pair_group(m) for m in mentorships] + [tandem_group(t) for t in tandems],
    )
    if number.strip() and signed_on is not None:
        mentorship_set_order(
            actor=actor,
            program=program,
            number=number,
            date=signed_on,
            mentorship_ids=[m.pk for m in mentorships],
        )
        if tandems:
            tandem_set_order(
                actor=actor,
                program=program,
                number=number,
                date=signed_on,
                tandem_ids=[t.pk for t in tandems],
            )
    return document


def pairs_order_queue(
    *,
    actor: Actor,
    program: Program,
    mentorships: Sequence[Mentorship],
    fmt: str,
    number: str,
    signed_on: dt.date | None,
    tandems: Sequence[Tandem] = (),
) -> DocumentJob:
    """Queue the order for ``mentorships`` and ``tandems`` (as ``pairs_order_issue`` prints
    it); the worker prints and records it once this commits."""
    return document_queue(
        actor=actor,
        program=program,
        kind=DocumentKind.PAIRS_ORDER,
        fmt=fmt,
        number=number,
        signed_on=signed_on,
        mentorship_ids=[m.pk for m in mentorships],
        tandem_ids=[t.pk for t in tandems],
        origin=ORIGIN,
        enqueue=_enqueue,
    )


def _enqueue(job_id: int) -> None:
    from nastavnik.mentorships.tasks import pairs_order_run  # tasks import this module

    pairs_order_run.enqueue(job_id=job_id)


def _issue(job: DocumentJob, program: Program, actor: User) -> GeneratedDocument:
    """The chosen pairs and groups still active and tandems still at the fifth step, read now:
    one ended meanwhile is not fixed by the order."""
    mentorships = list(
        program_mentorships(user=actor, program=program, status=MentorshipStatus.ACTIVE).filter(
            pk__in=job.mentorships
        )
    )
    chosen = set(job.tandems)
    tandems = [t for t in tandems_for_order(program=program) if t.pk in chosen]
    return pairs_order_issue(
        actor=actor,
        program=program,
        mentorships=mentorships,
        fmt=job.fmt,
        number=job.number,
        signed_on=job.signed_on,
        tandems=tandems,
    )


def pairs_order_execute(*, job_id: int) -> DocumentJob | None:
    """The worker's part: print the order and record it on the pairs and tandems (one
    transaction), keep the file for the job page."""
    return document_job_run(job_id=job_id, make=_issue)
