from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from nastavnik.core.job_admin import BackgroundJobAdmin
from nastavnik.documents.models import DocumentJob, DocumentTemplate, IssuedDocument


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin[DocumentTemplate]):
    list_display = ("kind", "organization", "updated_at")
    list_filter = ("kind",)


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin[IssuedDocument]):
    list_display = ("title", "number", "signed_on", "organization")
    list_filter = ("kind",)
    raw_id_fields = ("program",)


@admin.register(DocumentJob)
class DocumentJobAdmin(BackgroundJobAdmin[DocumentJob]):
    list_filter = ("status", "kind")
    list_select_related = ("organization", "program")
    extra_fields = ("program", "kind", "fmt", "number", "signed_on")

    @admin.display(description=_("kind"), ordering="kind")
    def job_kind(self, job: DocumentJob) -> str:
        return f"{job.get_kind_display()} ({job.fmt})"
