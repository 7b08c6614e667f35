"""Documents generated in the background (``core.jobs``): on the demo the order fixing 33 pairs
takes 2–3 s and a PDF about a second, so the page queues a ``DocumentJob``, the worker
(``tasks.py``) generates it through ``services.document_generate`` and keeps the file."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nastavnik.accounts.access import Actor, actor_user, require_curator
from nastavnik.accounts.models import User
from nastavnik.core.jobs import heartbeat, job_claim, job_done, job_fail, job_step
from nastavnik.documents.context import groups_from_enrolments
from nastavnik.documents.models import DocumentJob, DocumentKind
from nastavnik.documents.services import CONTENT_TYPES, GeneratedDocument, document_generate
from nastavnik.programs.models import Program

logger = logging.getLogger(__name__)


def document_queue(
    *,
    actor: Actor,
    program: Program,
    kind: str,
    fmt: str,
    number: str = "",
    signed_on: dt.date | None = None,
    pairs: dict[int, list[int]] | None = None,
    mentorship_ids: Sequence[int] = (),
    tandem_ids: Sequence[int] = (),
    origin: str = "",
    enqueue: Callable[[int], None] | None = None,
) -> DocumentJob:
    """Queue a document of the program; the worker generates it once this commits. ``pairs``
    (the order of pairs): mentor's person id → mentees' person ids, as the curator chose. An app
    above this one that makes the document itself (the order of the pairs page: its pairs,
    groups and tandems by id, recorded on them) passes its ids, its page (``origin``) and the
    ``enqueue`` of its own task, which runs ``document_job_run``."""
    require_curator(actor, program.organization_id)
    if kind not in DocumentKind.values or fmt not in CONTENT_TYPES:
        raise ValidationError(_("Unknown document."))
    chosen = mentorship_ids or tandem_ids or groups_from_enrolments(program, pairs or {})
    if kind == DocumentKind.PAIRS_ORDER and not chosen:
        raise ValidationError(_("Choose at least one pair or group for the order."))
    with transaction.atomic():
        job = DocumentJob(
            organization_id=program.organization_id,
            program=program,
            kind=kind,
            fmt=fmt,
            number=number.strip(),
            signed_on=signed_on,
            pairs=[[mentor, mentees] for mentor, mentees in (pairs or {}).items()],
            mentorships=sorted(mentorship_ids),
            tandems=sorted(tandem_ids),
            origin=origin,
            created_by=actor_user(actor),
        )
        job.full_clean()
        job.save()
        transaction.on_commit(partial(enqueue or _enqueue, job.pk))
    job.refresh_from_db()
    return job


def _enqueue(job_id: int) -> None:
    from nastavnik.documents.tasks import document_run  # tasks import this module

    document_run.enqueue(job_id=job_id)


# What a worker makes of a claimed job: the document (its audit and register rows written).
Make = Callable[[DocumentJob, Program, User], GeneratedDocument]


def document_job_run(*, job_id: int, make: Make) -> DocumentJob | None:
    """Claim the job and make its document with ``make`` (one transaction: the register entry,
    the audit row, what the caller records with it and the job done with its file); a refusal
    fails the job with its reason. None if the job is no longer queued (taken, or cancelled)."""
    job = job_claim(DocumentJob, job_id)
    if job is None:
        return None
    program = Program.objects.select_related("organization").get(pk=job.program_id)
    try:
        actor = job.created_by
        if actor is None:
            raise PermissionDenied
        with heartbeat(job):
            job_step(job, 20, _("Generating the document"))
            # The job is done in the document's transaction: a worker killed before the commit
            # leaves nothing written (the register, the pairs' order), as its page then says.
            with transaction.atomic():
                document = make(job, program, actor)
                job_done(
                    job, content=document.content, filename=document.filename, fields={"step": ""}
                )
    except ValidationError as exc:
        job_fail(job, " ".join(exc.messages))
    except PermissionDenied:
        job_fail(job, _("The one who asked for it may no longer generate documents."))
    except Exception:
        logger.exception("document %s failed", job.pk)
        job_fail(
            job, _("The document could not be generated because of an internal error. Try again.")
        )
    return job


def _generate(job: DocumentJob, program: Program, actor: User) -> GeneratedDocument:
    pairs = {int(mentor): [int(i) for i in mentees] for mentor, mentees in job.pairs}
    return document_generate(
        actor=actor,
        program=program,
        kind=job.kind,
        fmt=job.fmt,
        number=job.number,
        signed_on=job.signed_on,
        groups=groups_from_enrolments(program, pairs) if pairs else None,
    )


def document_execute(*, job_id: int) -> DocumentJob | None:
    """The worker's part: generate the document as its curator asked (the register entry and
    the audit row as on the page) and keep the file."""
    return document_job_run(job_id=job_id, make=_generate)
