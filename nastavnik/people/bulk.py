"""Bulk variants of the people services, for imports of thousands of rows.

The same rules as ``services.person_create`` / ``person_update`` / ``profile_update``: the
actor's right in the organization, the model's normalization and field validation (names,
СНИЛС, e-mail), a profile for every person, an audit row per person — written in chunks with
``bulk_create`` / ``bulk_update``. The caller holds the transaction (an import writes all or
nothing); ``actor=None`` is the system (``manage.py import_people`` without ``--actor``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.accounts.access import access_for
from nastavnik.core.models import AuditEntry
from nastavnik.core.validators import validate_person_name
from nastavnik.organizations.models import Organization
from nastavnik.people.models import Level, Person, Profile, ProfileCompetency, ProfileDeficit

CHUNK = 2000
PROFILE_TEXT_FIELDS = ("interests", "request")


@dataclass
class PersonWrite:
    """One person to create (``person_id`` None) or update: the changed fields only."""

    fields: dict[str, Any]
    person_id: int | None = None
    profile: dict[str, str] = field(default_factory=dict)  # interests, request
    competency_ids: list[int] | None = None  # None: leave the competencies alone
    # Educational deficits to add (those the profile has already are kept).
    deficit_ids: list[int] = field(default_factory=list)
    audit_data: dict[str, Any] = field(default_factory=dict)


def _require_staff(actor: Any, organization: Organization) -> None:
    if actor is not None and not access_for(actor).is_staff_of(organization.pk):
        raise PermissionDenied(_("You may not add people to this organization."))


def _validated(person: Person) -> Person:
    person.normalize()
    # Uniqueness (the СНИЛС in the organization) is the database's constraint; the caller has
    # matched the rows against the stored people already.
    person.full_clean(exclude=["organization", "user"], validate_unique=False)
    errors = {}
    for name in ("last_name", "first_name", "middle_name"):
        try:
            validate_person_name(getattr(person, name))
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return person


def _audit(
    actor: Any, organization: Organization, action: str, writes: Sequence[PersonWrite]
) -> None:
    user = actor if getattr(actor, "is_authenticated", False) else None
    AuditEntry.objects.bulk_create(
        (
            AuditEntry(
                actor=user,
                organization_id=organization.pk,
                action=action,
                object_type="people.person",
                object_id=str(write.person_id),
                person_id=write.person_id,
                data=write.audit_data,
            )
            for write in writes
        ),
        batch_size=CHUNK,
    )


def people_bulk_create(
    *,
    actor: Any,
    organization: Organization,
    writes: Sequence[PersonWrite],
    audit_action: str = "person.create",
    now: dt.datetime | None = None,
) -> None:
    """Create the people with their profiles and competencies; sets ``write.person_id``."""
    _require_staff(actor, organization)
    moment = now or timezone.now()
    for start in range(0, len(writes), CHUNK):
        chunk = writes[start : start + CHUNK]
        people = []
        for write in chunk:
            person = _validated(Person(organization=organization, **write.fields))
            person.created_at = person.updated_at = moment
            people.append(person)
        Person.objects.bulk_create(people)
        if any(p.pk is None for p in people):  # a backend that does not return ids
            raise RuntimeError("bulk_create did not return primary keys")
        profiles = []
        for write, person in zip(chunk, people, strict=True):
            write.person_id = person.pk
            profiles.append(
                Profile(
                    organization_id=organization.pk,
                    person_id=person.pk,
                    created_at=moment,
                    updated_at=moment,
                    **{k: write.profile.get(k, "") for k in PROFILE_TEXT_FIELDS},
                )
            )
        Profile.objects.bulk_create(profiles)
        ProfileCompetency.objects.bulk_create(
            ProfileCompetency(
                organization_id=organization.pk,
                profile_id=profile.pk,
                competency_id=competency_id,
                level=Level.CONFIDENT,
            )
            for write, profile in zip(chunk, profiles, strict=True)
            for competency_id in write.competency_ids or []
        )
        _add_deficits(
            organization, {p.pk: w.deficit_ids for w, p in zip(chunk, profiles, strict=True)}
        )
    _audit(actor, organization, audit_action, writes)


def _add_deficits(organization: Organization, wanted: dict[int, list[int]]) -> None:
    """Add the deficits to the profiles (profile id → competency ids), keeping theirs."""
    ids = [profile_id for profile_id, deficits in wanted.items() if deficits]
    if not ids:
        return
    have = set(
        ProfileDeficit.objects.filter(profile_id__in=ids).values_list("profile_id", "competency_id")
    )
    ProfileDeficit.objects.bulk_create(
        (
            ProfileDeficit(
                organization_id=organization.pk, profile_id=profile_id, competency_id=competency_id
            )
            for profile_id in ids
            for competency_id in dict.fromkeys(wanted[profile_id])
            if (profile_id, competency_id) not in have
        ),
        batch_size=CHUNK,
    )


def people_bulk_update(
    *,
    actor: Any,
    organization: Organization,
    writes: Sequence[PersonWrite],
    audit_action: str = "person.update",
    now: dt.datetime | None = None,
) -> None:
    """Change the given fields, profile texts and competencies of people of the organization."""
    _require_staff(actor, organization)
    moment = now or timezone.now()
    ids = [write.person_id for write in writes]
    for start in range(0, len(writes), CHUNK):
        chunk = [w for w in writes[start : start + CHUNK] if w.fields]
        people = Person.objects.filter(organization=organization).in_bulk(
            [w.person_id for w in chunk]
        )
        changed: set[str] = {"updated_at", "search_name"}
        for write in chunk:
            person = people[write.person_id]
            for name, value in write.fields.items():
                setattr(person, name, value)
                changed.add(name)
            _validated(person)
            person.updated_at = moment
        if people:
            Person.objects.bulk_update(people.values(), sorted(changed))
    profiles = {
        p.person_id: p for p in Profile.objects.filter(organization=organization, person_id__in=ids)
    }
    touched: list[Profile] = []
    for write in writes:
        assert write.person_id is not None
        profile = profiles.get(write.person_id)
        if profile is None:
            profile = Profile.objects.create(
                organization_id=organization.pk, person_id=write.person_id
            )
            profiles[write.person_id] = profile
        if write.profile:
            for name, value in write.profile.items():
                setattr(profile, name, value)
            profile.updated_at = moment
            touched.append(profile)
        if write.competency_ids is not None:
            wanted = set(write.competency_ids)
            ProfileCompetency.objects.filter(profile=profile).exclude(
                competency_id__in=wanted
            ).delete()
            have = set(
                ProfileCompetency.objects.filter(profile=profile).values_list(
                    "competency_id", flat=True
                )
            )
            ProfileCompetency.objects.bulk_create(
                ProfileCompetency(
                    organization_id=organization.pk,
                    profile=profile,
                    competency_id=competency_id,
                    level=Level.CONFIDENT,
                )
                for competency_id in wanted - have
            )
    if touched:
        Profile.objects.bulk_update(touched, [*PROFILE_TEXT_FIELDS, "updated_at"], batch_size=CHUNK)
    _add_deficits(
        organization, {profiles[w.person_id].pk: w.deficit_ids for w in writes if w.person_id}
    )
    _audit(actor, organization, audit_action, writes)
