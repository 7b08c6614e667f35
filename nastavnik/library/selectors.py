"""Reads of the library, scoped to the acting user: the shipped starter set for every signed-in
user, and the own resources of the organizations the user belongs to (another organization's
resource does not exist: 404)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.utils.safestring import SafeString

from nastavnik.accounts.access import Actor, access_for
from nastavnik.core.selectors import get_visible
from nastavnik.library.models import Resource
from nastavnik.library.search import query_lemmas
from nastavnik.market.text import family_stem, highlight, lemmas, match_strength
from nastavnik.organizations.models import Organization

WEIGHT_TITLE = 3.0
MAX_RESULTS = 100


def resource_queryset(*, user: Actor) -> QuerySet[Resource]:
    access = access_for(user)
    if not access.is_authenticated:
        return Resource.objects.none()
    shipped = Resource.objects.filter(organization__isnull=True)
    return (Resource.objects.member_view(access) | shipped).select_related(
        "organization", "form", "model"
    )


def resource_get(*, user: Actor, resource_id: int) -> Resource:
    return get_visible(resource_queryset(user=user), pk=resource_id)


def own_resource_get(*, user: Actor, resource_id: int) -> Resource:
    """An organization's own resource its curator may change (404 otherwise)."""
    return get_visible(
        Resource.objects.curator_view(user).filter(organization__isnull=False), pk=resource_id
    )


@dataclass
class Hit:
    resource: Resource
    score: float
    title: SafeString | str
    summary: SafeString | str


def resource_search(
    *,
    user: Actor,
    query: str = "",
    kind: str = "",
    form_id: int | None = None,
    model_id: int | None = None,
    organization_id: int | None = None,
) -> tuple[list[Hit], list[str]]:
    """The resources matching the filters and any word of the query in any of its forms or
    of its family (``market.text``: наставничество finds наставник), best first — the same
    lemma above a family match; and the lemmas the query was read as."""
    resources = resource_queryset(user=user)
    if kind:
        resources = resources.filter(kind=kind)
    if form_id:
        resources = resources.filter(form_id=form_id)
    if model_id:
        resources = resources.filter(model_id=model_id)
    if organization_id:
        resources = resources.filter(organization_id=organization_id)
    wanted = query_lemmas(query)
    if not wanted:
        return [
            Hit(r, 0.0, r.title, r.summary) for r in resources.order_by("kind", "title", "id")
        ], wanted
    # A lemma with a family is looked for by its stem (« настав» is the start of a lemma in
    # « a b c »), which also finds the lemma itself; a short lemma only as itself.
    resources = resources.filter(
        reduce(
            or_,
            (
                Q(search_lemmas__contains=f" {family_stem(word)}")
                if family_stem(word)
                else Q(search_lemmas__contains=f" {word} ")
                for word in wanted
            ),
        )
    )
    hits = []
    for resource in resources:
        have = resource.search_lemmas.split()
        in_title = lemmas(resource.title)
        # Per query word: 10 for the lemma itself, less for one of its family (never as much).
        score = sum(
            10.0 * match_strength(w, have) + WEIGHT_TITLE * match_strength(w, in_title)
            for w in wanted
        )
        if not score:
            continue
        hits.append(
            Hit(
                resource,
                score,
                highlight(resource.title, wanted),
                highlight(resource.summary, wanted),
            )
        )
    hits.sort(key=lambda h: (-h.score, h.resource.title, h.resource.pk))
    return hits[:MAX_RESULTS], wanted


def curated_organizations(*, user: Actor) -> QuerySet[Organization]:
    """Where the user, a curator, may add resources."""
    access = access_for(user)
    ids = {org for org in access.member_org_ids if access.is_curator_of(org)}
    return Organization.objects.filter(pk__in=ids).order_by("short_name")
