"""The library for integrators, scoped like the pages (``library.selectors``): the shipped
starter set (``organization_id`` null) and the own resources of the caller's organizations;
another organization's resource answers 404. Read only; ``query`` searches every form of its
words, as the page does."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema

from nastavnik.core.api import paginated
from nastavnik.library.models import Resource, ResourceKind
from nastavnik.library.selectors import resource_get, resource_search

router = Router(tags=["library"])


class ResourceOut(Schema):
    id: int
    organization_id: int | None
    code: str
    kind: str
    title: str
    summary: str
    body: str
    form_id: int | None
    model_id: int | None
    url: str
    attachment_name: str
    has_attachment: bool
    updated_at: dt.datetime

    @staticmethod
    def resolve_has_attachment(obj: Resource) -> bool:
        return bool(obj.attachment)


@router.get("/resources", response=list[ResourceOut])
@paginated
def list_resources(
    request: HttpRequest,
    query: str = Query("", max_length=200),
    kind: ResourceKind | None = None,
) -> object:
    """The resources the caller may read, best match first when ``query`` is given."""
    hits, _words = resource_search(user=request.user, query=query, kind=kind or "")
    return [hit.resource for hit in hits]


@router.get("/resources/{resource_id}", response=ResourceOut)
def get_resource(request: HttpRequest, resource_id: int) -> object:
    return resource_get(user=request.user, resource_id=resource_id)
