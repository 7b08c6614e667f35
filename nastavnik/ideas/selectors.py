"""Reads of the bank of ideas, scoped to the acting user: the ideas of the organizations where
the user is a colleague (see ``models``); another organization's idea does not exist (404)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from nastavnik.accounts.access import Access, Actor, access_for
from nastavnik.core.selectors import get_visible
from nastavnik.ideas.models import Comment, Idea, IdeaTag, Vote
from nastavnik.organizations.models import Organization
from nastavnik.people.models import Person, PersonCategory
from nastavnik.programs.models import Program

# The people of an organization who take part in its bank of ideas besides its staff.
COLLEAGUE_CATEGORIES = (
    PersonCategory.TEACHER,
    PersonCategory.STAFF,
    PersonCategory.EMPLOYER_SPECIALIST,
    PersonCategory.UNIVERSITY_STUDENT,
)


# Where ``colleague_org_ids`` keeps its answer on the request's ``Access`` (built once per request
# and user by ``access_for``): the menu asks on every page, the ideas' pages again.
_CACHE_ATTR = "_ideas_colleague_org_ids"


def colleague_org_ids(user: Actor | Access) -> frozenset[int]:
    """The organizations whose bank of ideas the user takes part in: where the user is curator
    or head, and where the user's own person is an adult (never a pupil).

    Answered once per ``Access`` (so once per request): at most one query, none for the staff."""
    access = user if isinstance(user, Access) else access_for(user)
    cached: frozenset[int] | None = access.__dict__.get(_CACHE_ATTR)
    if cached is not None:
        return cached
    answer = _colleague_org_ids(access)
    # ``Access`` is a frozen dataclass: the cache is not one of its fields.
    object.__setattr__(access, _CACHE_ATTR, answer)
    return answer


def _colleague_org_ids(access: Access) -> frozenset[int]:
    found = set(access.staff_org_ids)
    others = access.member_org_ids - found
    if others and access.user_id is not None:
        found.update(
            Person.objects.member_view(access)
            .filter(
                user_id=access.user_id,
                organization_id__in=others,
                category__in=COLLEAGUE_CATEGORIES,
                anonymized_at__isnull=True,
            )
            .values_list("organization_id", flat=True)
        )
    return frozenset(found)


def idea_queryset(*, user: Actor) -> QuerySet[Idea]:
    access = access_for(user)
    ideas = Idea.objects.member_view(access)
    if not access.is_admin:
        ideas = ideas.filter(organization_id__in=colleague_org_ids(access))
    return ideas


def idea_list(
    *, user: Actor, tag: str = "", sort: str = "votes", organization_id: int | None = None
) -> QuerySet[Idea]:
    """Ideas with their tags and counts; ``sort``: «votes» (most first) or «new»."""
    access = access_for(user)
    ideas = idea_queryset(user=user)
    if organization_id is not None:
        ideas = ideas.filter(organization_id=organization_id)
    if tag:
        ideas = ideas.filter(tags__name=tag.strip().lower())
    order = ("-votes_count", "-created_at", "-id") if sort == "votes" else ("-created_at", "-id")
    return (
        ideas.select_related("author", "program", "organization")
        .prefetch_related(Prefetch("tags", queryset=IdeaTag.objects.order_by("name")))
        .annotate(
            comment_total=Count("comments", distinct=True),
            voted=Exists(Vote.objects.filter(idea=OuterRef("pk"), user_id=access.user_id or 0)),
        )
        .order_by(*order)
    )


def tag_counts(*, user: Actor, organization_id: int | None = None) -> list[tuple[str, int]]:
    """The tags of the visible ideas with how many ideas carry each, most used first."""
    access = access_for(user)
    tags = IdeaTag.objects.member_view(access)
    if not access.is_admin:
        tags = tags.filter(organization_id__in=colleague_org_ids(access))
    if organization_id is not None:
        tags = tags.filter(organization_id=organization_id)
    rows = tags.values("name").annotate(total=Count("idea", distinct=True))
    return sorted(((r["name"], r["total"]) for r in rows), key=lambda r: (-r[1], r[0]))


def idea_get(*, user: Actor, idea_id: int) -> Idea:
    access = access_for(user)
    return get_visible(
        idea_queryset(user=user)
        .select_related("author", "program", "adopted_by", "organization")
        .annotate(
            voted=Exists(Vote.objects.filter(idea=OuterRef("pk"), user_id=access.user_id or 0))
        ),
        pk=idea_id,
    )


def idea_comments(*, user: Actor, idea: Idea) -> QuerySet[Comment]:
    return (
        Comment.objects.member_view(user)
        .filter(idea=idea)
        .select_related("author")
        .order_by("created_at", "id")
    )


def adoptable_programs(*, user: Actor, idea: Idea) -> QuerySet[Program]:
    """The programs of the idea's organization a curator may link it to."""
    return (
        Program.objects.curator_view(user)
        .filter(organization_id=idea.organization_id)
        .select_related("academic_year")
        .order_by("-academic_year__starts_on", "title")
    )


def posting_organizations(*, user: Actor) -> QuerySet[Organization]:
    """Where the user may post an idea."""
    return Organization.objects.filter(pk__in=colleague_org_ids(user)).order_by("short_name")
