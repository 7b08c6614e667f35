from django.contrib import admin

from nastavnik.mentorships.models import Mentorship, MentorshipMember


class MentorshipMemberInline(admin.TabularInline[MentorshipMember, Mentorship]):
    model = MentorshipMember
    extra = 0
    raw_id_fields = ("enrolment", "person")


@admin.register(Mentorship)
class MentorshipAdmin(admin.ModelAdmin[Mentorship]):
    list_display = ("id", "program", "status", "is_group", "score", "order_number", "started_on")
    list_filter = ("status", "is_group", "organization")
    raw_id_fields = ("program", "source_proposal", "source_request", "created_by")
    inlines = [MentorshipMemberInline]
