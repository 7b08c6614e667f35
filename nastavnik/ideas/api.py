"""The bank of ideas for integrators, scoped like the pages (``ideas.selectors``): the ideas of
the organizations where the caller is a colleague (staff, or an adult of the organization, never
a pupil); another organization's idea answers 404. Read only, without the authors' names."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from nastavnik.core.api import paginated
from nastavnik.ideas.models import Idea
from nastavnik.ideas.selectors import idea_get, idea_list

router = Router(tags=["ideas"])


class IdeaOut(Schema):
    id: int
    organization_id: int
    title: str
    text: str
    kind: str
    status: str
    program_id: int | None
    adopted_at: dt.datetime | None
    votes_count: int
    comments_count: int
    tags: list[str]
    voted: bool
    created_at: dt.datetime

    @staticmethod
    def resolve_comments_count(obj: Idea) -> int:
        total = getattr(obj, "comment_total", None)
        return obj.comments.count() if total is None else int(total)

    @staticmethod
    def resolve_tags(obj: Idea) -> list[str]:
        return sorted(tag.name for tag in obj.tags.all())

    @staticmethod
    def resolve_voted(obj: Idea) -> bool:
        return bool(getattr(obj, "voted", False))


@router.get("", response=list[IdeaOut])
@paginated
def list_ideas(
    request: HttpRequest,
    tag: str = Query("", max_length=50),
    sort: Literal["votes", "new"] = "votes",
) -> object:
    """The ideas the caller may read: most votes first, or newest first (``sort=new``)."""
    return idea_list(user=request.user, tag=tag, sort=sort)


@router.get("/{idea_id}", response=IdeaOut)
def get_idea(request: HttpRequest, idea_id: int) -> object:
    return idea_get(user=request.user, idea_id=idea_id)
