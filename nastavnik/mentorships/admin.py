from django.contrib import admin

from nastavnik.mentorships.models import Mentorship, MentorshipMember, MentorshipStatusChange


class MentorshipMemberInline(admin.TabularInline[MentorshipMember, Mentorship]):
    model = MentorshipMember
    extra = 0
    raw_id_fields = ("enrolment", "person")


class MentorshipStatusChangeInline(admin.TabularInline[MentorshipStatusChange, Mentorship]):
    model = MentorshipStatusChange
    extra = 0
    fields = ("changed_at", "from_status", "to_status", "reason", "changed_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Mentorship)
class MentorshipAdmin(admin.ModelAdmin[Mentorship]):
    list_display = (
        "number",
        "program",
        "status",
        "is_group",
        "score",
        "order_number",
        "started_on",
        "end_cause",
    )
    list_filter = ("status", "is_group", "end_cause", "organization")
    readonly_fields = ("number",)
    raw_id_fields = ("program", "source_proposal", "source_request", "created_by")
    inlines = [MentorshipMemberInline, MentorshipStatusChangeInline]
