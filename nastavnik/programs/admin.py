from django.contrib import admin

from nastavnik.programs.models import Enrolment, MentoringForm, MentoringModel, Program, Variant


@admin.register(MentoringForm)
class MentoringFormAdmin(admin.ModelAdmin[MentoringForm]):
    list_display = ("name", "code", "position")


@admin.register(Variant)
class VariantAdmin(admin.ModelAdmin[Variant]):
    list_display = ("name", "form", "organization", "rule")
    list_filter = ("form", "rule")


@admin.register(MentoringModel)
class MentoringModelAdmin(admin.ModelAdmin[MentoringModel]):
    list_display = ("name", "code", "type", "is_group")


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin[Program]):
    list_display = ("title", "organization", "academic_year", "form", "stage")
    list_filter = ("form", "stage")


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin[Enrolment]):
    list_display = ("person", "program", "role", "status", "capacity")
    list_filter = ("role", "status")
    raw_id_fields = ("person",)
