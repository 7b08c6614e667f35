from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from nastavnik.core.api import paginated
from nastavnik.people.selectors import person_get, person_list

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    organization_id: int
    last_name: str
    first_name: str
    middle_name: str
    full_name: str
    birth_date: dt.date | None
    category: str
    class_name: str


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
