"""Documents generated in the background (``core.jobs``): on the demo the order fixing 33 pairs
takes 2–3 s and a PDF about a second, so the page queues a ``DocumentJob``, the worker
(``tasks.py``) generates it through ``services.document_generate`` and keeps the file."""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nastavnik.accounts.access import Actor, actor_user, require_curator
from nastavnik.core.jobs import heartbeat, job_claim, job_done, job_fail, job_step
from nastavnik.documents.context import groups_from_enrolments
from nastavnik.documents.models import DocumentJob, DocumentKind
from nastavnik.documents.services import CONTENT_TYPES, document_generate
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
) -> DocumentJob:
    """Queue a document of the program; the worker generates it once this commits. ``pairs``
    (the order of pairs): mentor's person id → mentees' person ids, as the curator chose."""
    require_curator(actor, program.organization_id)
    if kind not in DocumentKind.values or fmt not in CONTENT_TYPES:
        raise ValidationError(_("Unknown document."))
    if kind == DocumentKind.PAIRS_ORDER and not groups_from_enrolments(program, pairs or {}):
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
            created_by=actor_user(actor),
        )
        job.full_clean()
        job.save()
        transaction.on_commit(partial(_enqueue, job.pk))
    job.refresh_from_db()
    return job


def _enqueue(job_id: int) -> None:
    from nastavnik.documents.tasks import document_run  # tasks import this module

    document_run.enqueue(job_id=job_id)


def document_execute(*, job_id: int) -> DocumentJob | None:
    """The worker's part: generate the document as its curator asked (the register entry and
    the audit row as on the page) and keep the file."""
    job = job_claim(DocumentJob, job_id)
    if job is None:
        return None
    program = Program.objects.select_related("organization").get(pk=job.program_id)
    try:
        if job.created_by is None:
            raise PermissionDenied
        with heartbeat(job):
            job_step(job, 20, _("Generating the document"))
            pairs = {int(mentor): [int(i) for i in mentees] for mentor, mentees in job.pairs}
            document = document_generate(
                actor=job.created_by,
                program=program,
                kind=job.kind,
                fmt=job.fmt,
                number=job.number,
                signed_on=job.signed_on,
                groups=groups_from_enrolments(program, pairs) if pairs else None,
            )
            job_done(job, content=document.content, filename=document.filename, fields={"step": ""})
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
