from django.contrib import admin

from nastavnik.ideas.models import Comment, Idea, IdeaTag, Vote


class IdeaTagInline(admin.TabularInline[IdeaTag, Idea]):
    model = IdeaTag
    extra = 0


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin[Idea]):
    list_display = ("title", "organization", "kind", "status", "votes_count", "created_at")
    list_filter = ("status", "kind")
    search_fields = ("title",)
    raw_id_fields = ("author", "program", "adopted_by")
    readonly_fields = ("votes_count",)
    inlines = [IdeaTagInline]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin[Comment]):
    list_display = ("idea", "author", "created_at")
    raw_id_fields = ("idea", "author")


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin[Vote]):
    list_display = ("idea", "user", "created_at")
    raw_id_fields = ("idea", "user")
