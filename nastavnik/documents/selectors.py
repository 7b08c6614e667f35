"""Reads of the documents app, scoped to the acting user."""

from __future__ import annotations

from django.db.models import QuerySet

from nastavnik.accounts.access import Actor
from nastavnik.core.selectors import get_visible
from nastavnik.documents.models import DocumentJob, DocumentTemplate, IssuedDocument
from nastavnik.documents.render import default_docx
from nastavnik.organizations.models import Organization
from nastavnik.programs.models import Program


def issued_list(*, user: Actor, program: Program) -> QuerySet[IssuedDocument]:
    return IssuedDocument.objects.staff_view(user).filter(program=program)


def template_list(*, user: Actor, organization: Organization) -> dict[str, DocumentTemplate]:
    own = DocumentTemplate.objects.staff_view(user).filter(organization=organization)
    return {t.kind: t for t in own}


def template_docx(*, organization: Organization, kind: str) -> bytes:
    """The .docx template in force: the organization's own or the default."""
    own = DocumentTemplate.objects.filter(organization=organization, kind=kind).first()
    if own is not None and own.docx:
        with own.docx.open("rb") as handle:
            return handle.read()
    return default_docx(kind)


def document_job_get(*, user: Actor, document_job_id: int) -> DocumentJob:
    """A document being generated or generated, for the curators of its organization (as the
    generating page); others get 404."""
    return get_visible(
        DocumentJob.objects.curator_view(user).select_related("program", "created_by"),
        pk=document_job_id,
    )
