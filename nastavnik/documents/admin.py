from django.contrib import admin

from nastavnik.documents.models import DocumentTemplate, IssuedDocument


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin[DocumentTemplate]):
    list_display = ("kind", "organization", "updated_at")
    list_filter = ("kind",)


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin[IssuedDocument]):
    list_display = ("title", "number", "signed_on", "organization")
    list_filter = ("kind",)
    raw_id_fields = ("program",)
