from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from nastavnik.core.api import paginated
from nastavnik.people.fields import Field, viewer_for
from nastavnik.people.models import Person
from nastavnik.people.selectors import person_get, person_list

router = Router(tags=["people"])


def _shown(person: Person, context: Any, what: Field) -> bool:
    """Whether the caller may see ``what`` of ``person`` (``people.fields``, once per request)."""
    request = context["request"]
    return viewer_for(request.user, cache_on=request).sees(person, what)


class PersonOut(Schema):
    """A person as the caller may see them: fields outside their rights are null or empty."""

    id: int
    organization_id: int
    last_name: str
    first_name: str
    middle_name: str
    full_name: str
    birth_date: dt.date | None
    category: str
    class_name: str
    email: str
    phone: str

    @staticmethod
    def resolve_birth_date(obj: Person, context: Any) -> dt.date | None:
        return obj.birth_date if _shown(obj, context, Field.BIRTH_DATE) else None

    @staticmethod
    def resolve_email(obj: Person, context: Any) -> str:
        return obj.email if _shown(obj, context, Field.EMAIL) else ""

    @staticmethod
    def resolve_phone(obj: Person, context: Any) -> str:
        return obj.phone if _shown(obj, context, Field.PHONE) else ""


@router.get("", response=list[PersonOut])
@paginated
def list_people(
    request: HttpRequest, q: str = "", organization_id: int | None = None, category: str = ""
) -> object:
    return person_list(
        user=request.user, query=q, organization_id=organization_id, category=category
    )


@router.get("/{person_id}", response=PersonOut)
def get_person(request: HttpRequest, person_id: int) -> object:
    return person_get(user=request.user, person_id=person_id)
