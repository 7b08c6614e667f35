from django.contrib import admin

from nastavnik.matching.models import (
    MatchExclusion,
    MatchingRun,
    MentorRequest,
    Proposal,
    ProposalGroup,
    ProposalGroupMentor,
)


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


class ProposalGroupMentorInline(admin.TabularInline[ProposalGroupMentor, ProposalGroup]):
    model = ProposalGroupMentor
    raw_id_fields = ("mentor",)
    extra = 0


@admin.register(ProposalGroup)
class ProposalGroupAdmin(admin.ModelAdmin[ProposalGroup]):
    list_display = ("id", "run", "key", "competency", "score", "state")
    list_filter = ("state",)
    raw_id_fields = ("run", "competency", "decided_by")
    inlines = (ProposalGroupMentorInline,)


@admin.register(MatchExclusion)
class MatchExclusionAdmin(admin.ModelAdmin[MatchExclusion]):
    list_display = ("id", "organization", "mentee", "mentor", "reason", "created_at")
    raw_id_fields = ("mentee", "mentor", "created_by")


@admin.register(MentorRequest)
class MentorRequestAdmin(admin.ModelAdmin[MentorRequest]):
    list_display = ("id", "program", "mentee", "mentor", "status", "expires_at")
    list_filter = ("status",)
    raw_id_fields = ("program", "mentee", "mentor")
