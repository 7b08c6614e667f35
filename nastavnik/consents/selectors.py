"""Reads of consents. The gate every other app asks before processing a person.

- ``has_valid_consent(person, purpose, on=day)`` for one person;
- ``people_with_valid_consent(ids, purpose, on=day)`` for many (matching);
- ``processing_block_reason(person)`` / ``ensure_processing_allowed(person)`` for enrolment,
  matching and surveys: both the consent to the processing of personal data and the consent to
  participation must be valid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.accounts.access import Actor, access_for
from nastavnik.accounts.models import STAFF_ROLES, Membership
from nastavnik.consents.models import PROCESSING_PURPOSES, Consent, ConsentPurpose, ConsentText
from nastavnik.core.selectors import get_visible
from nastavnik.organizations.models import academic_start_year, academic_year_bounds
from nastavnik.people.models import PERSON_ORDER, Person, PersonCategory

EXPIRING_WITHIN_DAYS = 30


def _valid_q(on: dt.date) -> Q:
    return (
        Q(given_on__lte=on)
        & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))
        & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    )


def has_valid_consent(person: Person, purpose: str, *, on: dt.date | None = None) -> bool:
    if person.anonymized_at is not None:
        return False
    day = on or timezone.localdate()
    return Consent.objects.filter(_valid_q(day), person=person, purpose=purpose).exists()


def people_with_valid_consent(
    ids: Iterable[int],
    purpose: str | Iterable[str] = PROCESSING_PURPOSES,
    *,
    on: dt.date | None = None,
) -> set[int]:
    """The ids among ``ids`` whose consent is valid for every purpose given (bulk, few queries)."""
    purposes = [purpose] if isinstance(purpose, str) else list(purpose)
    day = on or timezone.localdate()
    wanted = list(set(ids))
    found: set[int] | None = None
    for start in range(0, len(wanted), 5000):
        chunk = wanted[start : start + 5000]
        for one in purposes:
            have = set(
                Consent.objects.filter(
                    _valid_q(day),
                    purpose=one,
                    person_id__in=chunk,
                    person__anonymized_at__isnull=True,
                ).values_list("person_id", flat=True)
            )
            chunk = [i for i in chunk if i in have]
        found = (found or set()) | set(chunk)
    return found or set()


def missing_purposes(person: Person, *, on: dt.date | None = None) -> list[str]:
    """The processing purposes the person has no valid consent for."""
    day = on or timezone.localdate()
    have = set(
        Consent.objects.filter(
            _valid_q(day), person=person, purpose__in=PROCESSING_PURPOSES
        ).values_list("purpose", flat=True)
    )
    return [p for p in PROCESSING_PURPOSES if p not in have]


def processing_block_reason(person: Person, *, on: dt.date | None = None) -> str | None:
    """Why the person may not be enrolled, matched or surveyed; None when they may."""
    if person.anonymized_at is not None:
        return _(
            "The person has withdrawn their consent and their data have been anonymized; "
            "they cannot take part in mentoring."
        )
    missing = missing_purposes(person, on=on)
    if not missing:
        return None
    labels = ", ".join(f"«{ConsentPurpose(p).label}»" for p in missing)
    return _(
        "%(name)s has no valid consent (%(purposes)s). Record the signed consent on the "
        "person's «Consents» page first."
    ) % {"name": person.full_name, "purposes": labels}


def ensure_processing_allowed(person: Person, *, on: dt.date | None = None) -> None:
    reason = processing_block_reason(person, on=on)
    if reason is not None:
        raise ValidationError(reason, code="no_consent")


def consent_text_current(purpose: str, *, on: dt.date | None = None) -> ConsentText:
    day = on or timezone.localdate()
    text = (
        ConsentText.objects.filter(purpose=purpose, valid_from__lte=day)
        .order_by("-valid_from", "-id")
        .first()
    )
    if text is None:
        text = ConsentText.objects.filter(purpose=purpose).order_by("-valid_from", "-id").first()
    if text is None:
        raise ConsentText.DoesNotExist(purpose)
    return text


def consent_term_end(text: ConsentText, given_on: dt.date) -> dt.date:
    """The last day a consent to ``text`` signed on ``given_on`` is valid when no end is given:
    the text's term, else the end of that academic year (the shipped texts: «до окончания
    учебного года или до его отзыва»). ``consent_record`` and the import's plan both use it."""
    if text.term_months:
        month = given_on.month - 1 + text.term_months
        return dt.date(given_on.year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return academic_year_bounds(academic_start_year(given_on))[1]


def consent_can_manage(*, user: Actor, person: Person) -> bool:
    """Curators and heads record and withdraw consents of their organization's people."""
    return access_for(user).is_staff_of(person.organization_id)


# Categories of the organization's own employees.
EMPLOYEE_CATEGORIES: tuple[str, ...] = (PersonCategory.TEACHER, PersonCategory.STAFF)


def is_staff_with_login(person: Person) -> bool:
    """An employee of the organization (a teacher, a staff member, a curator or a head) who
    signs in: a withdrawal of their consent to processing ends their access to the system."""
    if person.user_id is None:
        return False
    if person.category in EMPLOYEE_CATEGORIES:
        return True
    return Membership.objects.filter(user_id=person.user_id, role__in=STAFF_ROLES).exists()


def consent_can_withdraw(*, user: Actor, person: Person) -> bool:
    """Only a curator of the organization (or an administrator) withdraws consents: a
    withdrawal anonymizes the person and cannot be undone. Never one's own consent."""
    access = access_for(user)
    if not access.is_curator_of(person.organization_id):
        return False
    return person.user_id is None or person.user_id != access.user_id


def withdrawal_refusal(*, user: Actor, consent: Consent) -> str | None:
    """Why the user may not withdraw the consent (``None``: they may)."""
    access = access_for(user)
    person = consent.person
    if person.user_id is not None and person.user_id == access.user_id:
        return _(
            "You cannot withdraw your own consent here: give a written withdrawal to another "
            "curator of the organization or to the administrator."
        )
    if not access.is_curator_of(person.organization_id):
        return _("Only a curator of the organization may withdraw a consent.")
    if (
        consent.purpose in PROCESSING_PURPOSES
        and not access.is_admin
        and is_staff_with_login(person)
    ):
        return _(
            "%(name)s is an employee who signs in to the system: withdrawing the consent to "
            "processing ends their access. Ask the system administrator to do it."
        ) % {"name": person.full_name}
    return None


def consent_queryset(*, user: Actor) -> QuerySet[Consent]:
    """The staff's whole record, and one's own consents in the user's organizations."""
    access = access_for(user)
    qs = Consent.objects.staff_view(access)
    if not (access.is_admin or access.user_id is None):
        qs = qs | Consent.objects.member_view(access).filter(person__user_id=access.user_id)
    return qs.select_related("person", "text", "organization")


def consent_get(*, user: Actor, consent_id: int) -> Consent:
    return get_visible(consent_queryset(user=user), pk=consent_id)


def person_consents(*, user: Actor, person: Person) -> list[Consent]:
    return list(consent_queryset(user=user).filter(person=person).order_by("purpose", "-given_on"))


@dataclass
class ConsentState:
    person: Person
    missing: list[str] = field(default_factory=list)
    expiring: list[tuple[str, dt.date]] = field(default_factory=list)

    @property
    def missing_labels(self) -> list[str]:
        return [str(ConsentPurpose(p).label) for p in self.missing]

    @property
    def expiring_labels(self) -> list[tuple[str, dt.date]]:
        return [(str(ConsentPurpose(p).label), day) for p, day in self.expiring]


def consent_attention_list(
    *,
    user: Actor,
    organization_id: int | None = None,
    within_days: int = EXPIRING_WITHIN_DAYS,
    on: dt.date | None = None,
) -> list[ConsentState]:
    """People of the user's organizations whose processing consent is missing or expires soon."""
    day = on or timezone.localdate()
    people = Person.objects.staff_view(user).active().select_related("organization")
    if organization_id:
        people = people.filter(organization_id=organization_id)
    valid: dict[int, dict[str, dt.date | None]] = {}
    for person_id, purpose, until in Consent.objects.filter(
        _valid_q(day), person__in=people, purpose__in=PROCESSING_PURPOSES
    ).values_list("person_id", "purpose", "valid_until"):
        current = valid.setdefault(person_id, {})
        # The latest end among valid consents of one purpose counts; None means open-ended.
        previous = current.get(purpose, dt.date.min)
        if previous is not None and (until is None or until > previous):
            current[purpose] = until
    horizon = day + dt.timedelta(days=within_days)
    result = []
    for person in people.order_by(*PERSON_ORDER):
        have = valid.get(person.pk, {})
        state = ConsentState(person)
        for purpose in PROCESSING_PURPOSES:
            if purpose not in have:
                state.missing.append(purpose)
            else:
                until = have[purpose]
                if until is not None and until <= horizon:
                    state.expiring.append((purpose, until))
        if state.missing or state.expiring:
            result.append(state)
    return result


def is_minor(person: Person, *, on: dt.date | None = None) -> bool:
    """Minors' consents are given by a parent or legal guardian."""
    day = on or timezone.localdate()
    if person.birth_date is None:
        return person.category == PersonCategory.STUDENT
    return person.is_minor_on(day)
