from django.contrib import admin

from nastavnik.matching.models import MatchExclusion, MatchingRun, MentorRequest, Proposal


@admin.register(MatchingRun)
class MatchingRunAdmin(admin.ModelAdmin[MatchingRun]):
    list_display = ("id", "program", "kind", "status", "matched_count", "mean_score", "created_at")
    list_filter = ("status", "kind", "organization")
    raw_id_fields = ("program", "previous", "created_by")


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin[Proposal]):
    list_display = ("id", "run", "mentee", "mentor", "score", "state")
    list_filter = ("state",)
    raw_id_fields = ("run", "mentee", "mentor", "decided_by")


@admin.register(MatchExclusion)
class MatchExclusionAdmin(admin.ModelAdmin[MatchExclusion]):
    list_display = ("id", "organization", "mentee", "mentor", "reason", "created_at")
    raw_id_fields = ("mentee", "mentor", "created_by")


@admin.register(MentorRequest)
class MentorRequestAdmin(admin.ModelAdmin[MentorRequest]):
    list_display = ("id", "program", "mentee", "mentor", "status", "expires_at")
    list_filter = ("status",)
    raw_id_fields = ("program", "mentee", "mentor")
