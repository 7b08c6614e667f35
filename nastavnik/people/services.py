"""Writes of people and profiles. Each checks the actor's right and writes an audit row."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.accounts.access import Actor, actor_user, require_curator, require_staff
from nastavnik.accounts.models import Membership, Role, User
from nastavnik.core.audit import audit
from nastavnik.organizations.models import Organization
from nastavnik.people.models import (
    Kinship,
    KinshipKind,
    Person,
    PersonCategory,
    Profile,
    ProfileCompetency,
    ProfileDeficit,
    SubjectAchievement,
)
from nastavnik.people.selectors import person_can_edit, profile_can_edit

PERSON_FIELDS = (
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
)


@transaction.atomic
def person_record_read(*, actor: Actor, person: Person, ip: str = "") -> None:
    """Write down that ``actor`` opened a child's record (152-ФЗ: reads of a minor's data).

    A child is a pupil or anyone under 18 today; an adult colleague's record is not logged on
    read (their changes are). The caller has already checked that ``actor`` may see ``person``.
    """
    if person.category != PersonCategory.STUDENT and not person.is_minor_on(timezone.localdate()):
        return
    audit(
        actor=actor,
        action="person.read",
        obj=person,
        person_id=person.pk,
        data={"ip": ip},
    )


def person_create(*, actor: Actor, organization: Organization, **fields: Any) -> Person:
    require_staff(actor, organization.pk, _("You may not add people to this organization."))
    person = Person(organization=organization, **fields)
    person.full_clean()
    person.save()
    Profile.objects.create(organization=organization, person=person)
    audit(actor=actor, action="person.create", obj=person, person_id=person.pk)
    return person


@transaction.atomic
def person_update(*, actor: Actor, person: Person, data: dict[str, Any]) -> Person:
    if not person_can_edit(user=actor, person=person):
        raise PermissionDenied(_("You may not edit this person."))
    changed = []
    for name in PERSON_FIELDS:
        if name in data and getattr(person, name) != data[name]:
            setattr(person, name, data[name])
            changed.append(name)
    if changed:
        person.full_clean()
        person.save()
        audit(
            actor=actor,
            action="person.update",
            obj=person,
            person_id=person.pk,
            data={"fields": changed},
        )
    return person


def profile_ensure(*, person: Person) -> Profile:
    profile, _created = Profile.objects.get_or_create(
        person=person, defaults={"organization_id": person.organization_id}
    )
    return profile


@transaction.atomic
def profile_update(
    *,
    actor: Actor,
    person: Person,
    interests: str,
    request: str,
    preferred_format: str,
    availability: int,
    notes: str,
    competencies: dict[int, int],
    deficits: list[int],
    achievements: dict[int, int],
    share_email: bool | None = None,
    share_phone: bool | None = None,
) -> Profile:
    """Replace the profile's contents; ``competencies`` and ``achievements`` map id → level."""
    if not profile_can_edit(user=actor, person=person):
        raise PermissionDenied(_("You may not edit this profile."))
    profile = profile_ensure(person=person)
    profile.interests = interests
    profile.request = request
    profile.preferred_format = preferred_format
    profile.availability = availability
    profile.notes = notes
    if share_email is not None:
        profile.share_email = share_email
    if share_phone is not None:
        profile.share_phone = share_phone
    profile.full_clean()
    profile.save()
    org_id = person.organization_id

    profile.competency_levels.exclude(competency_id__in=competencies).delete()
    existing = {pc.competency_id: pc for pc in profile.competency_levels.all()}
    for competency_id, level in competencies.items():
        current = existing.get(competency_id)
        if current is None:
            ProfileCompetency.objects.create(
                organization_id=org_id, profile=profile, competency_id=competency_id, level=level
            )
        elif current.level != level:
            current.level = level
            current.save(update_fields=["level"])

    profile.deficits.exclude(competency_id__in=deficits).delete()
    have = set(profile.deficits.values_list("competency_id", flat=True))
    ProfileDeficit.objects.bulk_create(
        ProfileDeficit(organization_id=org_id, profile=profile, competency_id=cid)
        for cid in deficits
        if cid not in have
    )

    profile.achievements.exclude(subject_id__in=achievements).delete()
    for subject_id, level in achievements.items():
        SubjectAchievement.objects.update_or_create(
            profile=profile,
            subject_id=subject_id,
            defaults={"organization_id": org_id, "level": level},
        )
    audit(actor=actor, action="profile.update", obj=profile, person_id=person.pk)
    return profile


# --- Relatives ----------------------------------------------------------------------------------


@transaction.atomic
def relative_add(*, actor: Actor, person: Person, relative: Person, kind: str) -> Kinship:
    """Link two people of one organization as relatives: matching never pairs them."""
    require_curator(
        actor, person.organization_id, _("Only a curator of the organization may record relatives.")
    )
    if kind not in KinshipKind.values:
        raise ValidationError({"kind": _("Choose the kind of kinship.")})
    if relative.pk == person.pk:
        raise ValidationError({"relative": _("A person cannot be their own relative.")})
    if relative.organization_id != person.organization_id:
        raise ValidationError({"relative": _("The relative belongs to another organization.")})
    if person.anonymized_at is not None or relative.anonymized_at is not None:
        raise ValidationError({"relative": _("The person's data have been anonymized.")})
    first, second = Kinship.ordered(person.pk, relative.pk)
    if Kinship.objects.filter(person_a_id=first, person_b_id=second).exists():
        raise ValidationError(
            {
                "relative": _("%(person)s and %(relative)s are already linked as relatives.")
                % {"person": person.full_name, "relative": relative.full_name}
            }
        )
    kinship = Kinship(
        organization_id=person.organization_id,
        person_a_id=first,
        person_b_id=second,
        kind=kind,
        created_by=actor_user(actor),
    )
    kinship.full_clean()
    kinship.save()
    audit(
        actor=actor,
        action="person.relative_add",
        obj=kinship,
        person_id=person.pk,
        data={"relative": relative.pk, "kind": kind},
    )
    return kinship


@transaction.atomic
def relative_remove(*, actor: Actor, kinship: Kinship) -> None:
    require_curator(
        actor,
        kinship.organization_id,
        _("Only a curator of the organization may record relatives."),
    )
    audit(
        actor=actor,
        action="person.relative_remove",
        obj=kinship,
        person_id=kinship.person_a_id,
        data={"relative": kinship.person_b_id, "kind": kinship.kind},
    )
    kinship.delete()


# --- Logins ----------------------------------------------------------------------------------

# Roles a curator may give with a login: never curator, head, coordinator or administrator (those
# are given by the administrator).
LOGIN_ROLES = (Role.MENTOR, Role.MENTEE)
# Letters and digits that cannot be mistaken for one another when read aloud or copied by hand.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105
PASSWORD_LENGTH = 12


def initial_password() -> str:
    """A random, readable initial password (no 0/O, 1/l/I)."""
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


@transaction.atomic
def person_login_grant(
    *, actor: Actor, person: Person, username: str, role: str
) -> tuple[User, str]:
    """Give ``person`` a login with ``role`` (mentor or mentee) in the person's organization.

    Only a curator of the organization (or an administrator). Returns the new user and the
    one-time initial password: it is stored only as a hash and shown once to the curator.
    """
    require_curator(actor, person.organization_id, _("Only a curator may give a login."))
    if role not in LOGIN_ROLES:
        raise ValidationError(_("A login may be given only with the mentor or the mentee role."))
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.anonymized_at is not None:
        raise ValidationError(_("The person's data have been anonymized."))
    if locked.user_id is not None:
        raise ValidationError(_("The person already has a login."))
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("The login «%(username)s» is taken.") % {"username": username})
    password = initial_password()
    user = User(
        username=username,
        last_name=locked.last_name,
        first_name=locked.first_name,
        middle_name=locked.middle_name,
        email=locked.email,
    )
    user.set_password(password)
    user.full_clean()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # the same login given at the same moment elsewhere
        raise ValidationError(
            _("The login «%(username)s» is taken.") % {"username": username}
        ) from error
    membership = Membership(user=user, role=role, organization_id=locked.organization_id)
    membership.full_clean()
    membership.save()
    locked.user = user
    locked.save(update_fields=["user", "updated_at"])
    person.user = user
    audit(
        actor=actor,
        action="person.login_grant",
        obj=locked,
        person_id=locked.pk,
        message=username,
        data={"user": user.pk, "username": username, "role": role},
    )
    return user, password
