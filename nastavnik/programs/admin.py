from django.contrib import admin

from nastavnik.programs.models import (
    ContourTask,
    Enrolment,
    MentoringForm,
    MentoringModel,
    Partner,
    Program,
    RoadmapItem,
    StageTask,
    Tandem,
    TrainingSession,
    Variant,
)


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


@admin.register(StageTask)
class StageTaskAdmin(admin.ModelAdmin[StageTask]):
    list_display = ("__str__", "program", "stage", "kind", "done_at")
    list_filter = ("stage", "kind")
    raw_id_fields = ("program", "done_by")


@admin.register(RoadmapItem)
class RoadmapItemAdmin(admin.ModelAdmin[RoadmapItem]):
    list_display = ("title", "program", "due_on", "status")
    list_filter = ("status", "stage")
    raw_id_fields = ("program",)


@admin.register(ContourTask)
class ContourTaskAdmin(admin.ModelAdmin[ContourTask]):
    list_display = ("title", "program", "area", "status")
    list_filter = ("area", "status")
    raw_id_fields = ("program",)


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin[Partner]):
    list_display = ("name", "program", "kind")
    raw_id_fields = ("program",)


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin[TrainingSession]):
    list_display = ("title", "program", "held_on")
    raw_id_fields = ("program",)


@admin.register(Tandem)
class TandemAdmin(admin.ModelAdmin[Tandem]):
    list_display = ("name", "program", "step")
    raw_id_fields = ("program",)
