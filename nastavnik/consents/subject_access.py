"""Everything stored about one person, for a subject access request (152-ФЗ, ст. 14)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import models

from nastavnik.consents.models import Consent
from nastavnik.core.models import AuditEntry
from nastavnik.people.models import Person, Profile, ProfileCompetency, ProfileDeficit

# Sections other apps add to the export (``"enrolments"`` from programs): they sit above consents
# in the layers, so they register here from their ``ready()``.
_SECTIONS: dict[str, Callable[[Person], Any]] = {}


def register_subject_section(key: str, section: Callable[[Person], Any]) -> None:
    """``section(person)`` returns what the app stores about the person (JSON-ready)."""
    _SECTIONS[key] = section


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def rows(qs: models.QuerySet[Any], fields: list[str]) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row.items()} for row in qs.values(*fields)]


def person_data_export(*, person: Person) -> dict[str, Any]:
    """The caller has checked the right to see it (staff of the organization, or the person)."""
    profile = Profile.objects.filter(person=person).first()
    data: dict[str, Any] = {
        "exported_at": dt.datetime.now(dt.UTC).isoformat(),
        "organization": {"name": person.organization.name, "code": person.organization.code},
        "person": {
            name: _plain(getattr(person, name))
            for name in (
                "id",
                "last_name",
                "first_name",
                "middle_name",
                "sex",
                "birth_date",
                "category",
                "class_name",
                "subject",
                "position",
                "experience_years",
                "snils",
                "email",
                "phone",
                "created_at",
                "updated_at",
                "anonymized_at",
            )
        },
        "login": person.user.username if person.user else None,
        "profile": None,
        "consents": rows(
            Consent.objects.filter(person=person).order_by("given_on", "id"),
            [
                "purpose",
                "text__version",
                "given_by",
                "representative_name",
                "given_on",
                "valid_until",
                "withdrawn_on",
                "created_at",
            ],
        ),
        **{key: section(person) for key, section in _SECTIONS.items()},
        "history": rows(
            AuditEntry.objects.filter(person_id=person.pk).order_by("created_at", "id"),
            ["created_at", "action", "object_type", "object_id", "message", "data"],
        ),
    }
    if profile is not None:
        data["profile"] = {
            "interests": profile.interests,
            "request": profile.request,
            "preferred_format": profile.preferred_format,
            "availability": profile.availability,
            "notes": profile.notes,
            "competencies": list(
                ProfileCompetency.objects.filter(profile=profile).values_list(
                    "competency__name", "level"
                )
            ),
            "deficits": list(
                ProfileDeficit.objects.filter(profile=profile).values_list(
                    "competency__name", flat=True
                )
            ),
        }
    return data
