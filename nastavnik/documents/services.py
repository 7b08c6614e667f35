"""Writes of the documents app: generating a document, editing an organization's templates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from nastavnik.accounts.access import require_curator
from nastavnik.core.audit import audit
from nastavnik.documents.context import PairGroup, document_context
from nastavnik.documents.models import ORDER_KINDS, DocumentKind, DocumentTemplate, IssuedDocument
from nastavnik.documents.render import render_docx, render_html, render_pdf
from nastavnik.documents.selectors import template_docx
from nastavnik.organizations.models import Organization
from nastavnik.programs.models import Program

DOCX = "docx"
PDF = "pdf"
CONTENT_TYPES = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    PDF: "application/pdf",
}
MAX_TEMPLATE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class GeneratedDocument:
    filename: str
    content_type: str
    content: bytes
    # The order's entry in the register (None for documents that are not registered).
    issued: IssuedDocument | None = None


def _template(organization_id: int, kind: str) -> DocumentTemplate | None:
    return DocumentTemplate.objects.filter(organization_id=organization_id, kind=kind).first()


def _register(
    *, actor: Any, program: Program, kind: str, number: str, signed_on: dt.date, title: str
) -> IssuedDocument:
    """One entry of the register per order: the same order printed again, or in another format
    (.docx, then PDF), re-uses the entry made the first time."""
    # Two downloads at once must not both miss the entry: they queue on the program's row.
    Program.objects.select_for_update().filter(pk=program.pk).exists()
    issued = IssuedDocument.objects.filter(
        program=program, kind=kind, number=number, signed_on=signed_on
    ).first()
    if issued is not None:
        return issued
    issued = IssuedDocument(
        organization_id=program.organization_id,
        program=program,
        kind=kind,
        number=number,
        signed_on=signed_on,
        title=title,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    issued.full_clean()
    issued.save()
    audit(
        actor=actor, action="document.register", obj=issued, organization_id=program.organization_id
    )
    return issued


@transaction.atomic
def document_generate(
    *,
    actor: Any,
    program: Program,
    kind: str,
    fmt: str,
    number: str = "",
    signed_on: dt.date | None = None,
    groups: list[PairGroup] | None = None,
) -> GeneratedDocument:
    """A document of the program as .docx or PDF, from the organization's template or the
    default one. ``groups`` are the pairs and groups the order fixes (the caller decides them:
    the curator's choice now, the mentorships later). An order with a date is entered in the
    register once, whatever the number of downloads and formats."""
    require_curator(actor, program.organization_id)
    if kind not in DocumentKind.values or fmt not in CONTENT_TYPES:
        raise ValidationError(_("Unknown document."))
    if kind == DocumentKind.PAIRS_ORDER and not groups:
        raise ValidationError(_("Choose at least one pair or group for the order."))
    title = str(DocumentKind(kind).label)
    number = number.strip()
    context = document_context(
        program=program, title=title, number=number, signed_on=signed_on, groups=groups
    )
    if fmt == DOCX:
        content = render_docx(template_docx(organization=program.organization, kind=kind), context)
    else:
        own = _template(program.organization_id, kind)
        content = render_pdf(render_html(own.html if own else None, kind, context))
    issued = None
    if kind in ORDER_KINDS and signed_on is not None:
        issued = _register(
            actor=actor,
            program=program,
            kind=kind,
            number=number,
            signed_on=signed_on,
            title=title,
        )
    audit(
        actor=actor,
        action="document.generate",
        obj=program,
        data={"kind": kind, "format": fmt, "number": number, "groups": len(groups or [])},
    )
    return GeneratedDocument(
        filename=f"{kind}-{program.pk}.{fmt}",
        content_type=CONTENT_TYPES[fmt],
        content=content,
        issued=issued,
    )


def _sample_program(organization: Organization) -> Program | None:
    return Program.objects.filter(organization=organization).order_by("-id").first()


@transaction.atomic
def document_template_save(
    *,
    actor: Any,
    organization: Organization,
    kind: str,
    html: str | None = None,
    docx: bytes | None = None,
    reset: bool = False,
) -> DocumentTemplate:
    """Store the organization's template of a kind; a template is accepted only if it renders.
    ``reset`` goes back to the default."""
    require_curator(actor, organization.pk)
    if kind not in DocumentKind.values:
        raise ValidationError(_("Unknown document."))
    template, _created = DocumentTemplate.objects.get_or_create(
        organization=organization, kind=kind
    )
    if reset:
        template.html = ""
        if template.docx:
            template.docx.delete(save=False)
        template.docx = ""
    sample = _sample_program(organization)
    context = (
        document_context(program=sample, title="", number="1", signed_on=None)
        if sample is not None
        else None
    )
    if html is not None:
        if context is not None:
            try:
                render_html(html, kind, context)
            except Exception as exc:
                raise ValidationError(
                    _("The template does not render: %(error)s") % {"error": exc}
                ) from exc
        template.html = html
    if docx is not None:
        if len(docx) > MAX_TEMPLATE_BYTES:
            raise ValidationError(_("The file is too large."))
        try:
            render_docx(docx, context or _empty_context())
        except Exception as exc:
            raise ValidationError(
                _("The file is not a Word template that renders: %(error)s") % {"error": exc}
            ) from exc
        if template.docx:
            template.docx.delete(save=False)
        template.docx.save(f"{kind}.docx", ContentFile(docx), save=False)
    template.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    template.full_clean()
    template.save()
    audit(
        actor=actor,
        action="document_template.reset" if reset else "document_template.update",
        obj=template,
        organization_id=organization.pk,
    )
    return template


def _empty_context() -> dict[str, Any]:
    return {"organization": {}, "document": {}, "program": {}, "roadmap": [], "groups": []}
