from django.contrib import admin

from nastavnik.pairwork.models import (
    Goal,
    Meeting,
    PeerReview,
    PeerWork,
    ProblemReport,
    ProgressRecord,
    Reflection,
    Task,
    Thresholds,
)


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin[Goal]):
    list_display = ("title", "mentorship", "due_on", "status")
    list_filter = ("status",)


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin[Task]):
    list_display = ("title", "goal", "due_on", "status")
    list_filter = ("status",)


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin[Meeting]):
    list_display = ("topic", "mentorship", "starts_at", "status", "format")
    list_filter = ("status", "format")


@admin.register(Reflection)
class ReflectionAdmin(admin.ModelAdmin[Reflection]):
    list_display = ("meeting", "author", "created_at")


@admin.register(Thresholds)
class ThresholdsAdmin(admin.ModelAdmin[Thresholds]):
    list_display = ("program", "no_meeting_days", "never_started_days")


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin[ProblemReport]):
    list_display = ("mentorship", "reported_by", "created_at", "closed_at")


@admin.register(ProgressRecord)
class ProgressRecordAdmin(admin.ModelAdmin[ProgressRecord]):
    list_display = ("mentee", "subject", "level", "mark", "recorded_on")


# Messages and the mentor's observations are not in the admin: nobody outside the pair reads
# them unaudited.


@admin.register(PeerWork)
class PeerWorkAdmin(admin.ModelAdmin[PeerWork]):
    list_display = ("task", "author", "created_at")


@admin.register(PeerReview)
class PeerReviewAdmin(admin.ModelAdmin[PeerReview]):
    list_display = ("work", "reviewer", "created_at")
