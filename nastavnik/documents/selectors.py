"""Reads of the documents app, scoped to the acting user."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from nastavnik.accounts.access import access_for
from nastavnik.documents.models import DocumentTemplate, IssuedDocument
from nastavnik.documents.render import default_docx
from nastavnik.organizations.models import Organization
from nastavnik.programs.models import Program


def issued_list(*, user: Any, program: Program) -> QuerySet[IssuedDocument]:
    if not access_for(user).is_staff_of(program.organization_id):
        return IssuedDocument.objects.none()
    return IssuedDocument.objects.filter(program=program)


def template_list(*, user: Any, organization: Organization) -> dict[str, DocumentTemplate]:
    if not access_for(user).is_staff_of(organization.pk):
        return {}
    return {t.kind: t for t in DocumentTemplate.objects.filter(organization=organization)}


def template_docx(*, organization: Organization, kind: str) -> bytes:
    """The .docx template in force: the organization's own or the default."""
    own = DocumentTemplate.objects.filter(organization=organization, kind=kind).first()
    if own is not None and own.docx:
        with own.docx.open("rb") as handle:
            return handle.read()
    return default_docx(kind)
