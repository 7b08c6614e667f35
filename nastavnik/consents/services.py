"""Writes of consents: recording, withdrawal, and the anonymization a withdrawal triggers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nastavnik.accounts.access import Actor, access_for, actor_user, require_staff
from nastavnik.accounts.tokens import user_tokens_revoke
from nastavnik.consents.models import PROCESSING_PURPOSES, Consent, GivenBy
from nastavnik.consents.selectors import (
    consent_can_manage,
    consent_term_end,
    consent_text_current,
    is_minor,
    withdrawal_refusal,
)
from nastavnik.core.audit import audit
from nastavnik.core.models import AuditEntry
from nastavnik.people.models import Kinship, Person, Profile

# Other apps scrub what they keep about a person (enrolments, meeting notes, survey answers, ...):
# they sit above consents in the layers, so they register here from their ``ready()``.
_ANONYMIZERS: list[Callable[[Person], None]] = []


def register_anonymizer(hook: Callable[[Person], None]) -> None:
    """``hook(person)`` runs inside the anonymization transaction, before the person's own
    fields are cleared (so it can still find what mentions them); it must not fail."""
    if hook not in _ANONYMIZERS:
        _ANONYMIZERS.append(hook)


@transaction.atomic
def consent_record(
    *,
    actor: Actor,
    person: Person,
    purpose: str,
    given_on: dt.date,
    given_by: str = GivenBy.PERSON,
    representative_name: str = "",
    valid_until: dt.date | None = None,
) -> Consent:
    """Record a signed consent for the current text version of the purpose."""
    if not consent_can_manage(user=actor, person=person):
        raise PermissionDenied(_("You may not record consents of this person."))
    if person.anonymized_at is not None:
        raise ValidationError(_("The person's data have been anonymized."))
    if given_by == GivenBy.PERSON and is_minor(person, on=given_on):
        raise ValidationError(
            {
                "given_by": _(
                    "The person is a minor: the consent is given by a parent or legal guardian. "
                    "Choose who signed it and enter their full name."
                )
            }
        )
    text = consent_text_current(purpose, on=given_on)
    if valid_until is None:
        valid_until = consent_term_end(text, given_on)
    consent = Consent(
        organization_id=person.organization_id,
        person=person,
        purpose=purpose,
        text=text,
        given_by=given_by,
        representative_name=representative_name.strip() if given_by != GivenBy.PERSON else "",
        given_on=given_on,
        valid_until=valid_until,
        recorded_by=actor_user(actor),
    )
    consent.full_clean()
    consent.save()
    audit(
        actor=actor,
        action="consent.record",
        obj=consent,
        person_id=person.pk,
        data={"purpose": purpose, "version": text.version, "given_by": given_by},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Actor, consent: Consent, on: dt.date | None = None) -> Consent:
    """Withdraw a consent. Withdrawing a processing consent anonymizes the person at once.

    Only a curator of the organization (or an administrator), never for oneself; the consent to
    processing of an employee who signs in only by the administrator (it ends their access).
    """
    person = consent.person
    if not access_for(actor).is_curator_of(person.organization_id):
        raise PermissionDenied(_("Only a curator of the organization may withdraw a consent."))
    refusal = withdrawal_refusal(user=actor, consent=consent)
    if refusal:
        raise ValidationError(refusal, code="withdrawal_refused")
    day = on or timezone.localdate()
    if consent.withdrawn_on is None:
        consent.withdrawn_on = day
        consent.save(update_fields=["withdrawn_on", "updated_at"])
    audit(
        actor=actor,
        action="consent.withdraw",
        obj=consent,
        person_id=person.pk,
        data={"purpose": consent.purpose},
    )
    if consent.purpose in PROCESSING_PURPOSES and person.anonymized_at is None:
        person_anonymize(actor=actor, person=person, on=day)
    return consent


def anonymized_name(person_id: int) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Anonymized No. %(number)s") % {"number": person_id}


@transaction.atomic
def person_anonymize(*, actor: Actor, person: Person, on: dt.date | None = None) -> Person:
    """Replace everything that identifies the person, everywhere, and stop processing.

    Kept, so that past reports still count right: the organization, the category, the class,
    the enrolments (withdrawn) and the audit entries (action and date only).
    """
    require_staff(actor, person.organization_id, _("You may not anonymize this person."))
    day = on or timezone.localdate()
    person = Person.objects.select_for_update().get(pk=person.pk)
    for hook in _ANONYMIZERS:
        hook(person)
    user = person.user
    person.last_name = anonymized_name(person.pk)
    person.first_name = ""
    person.middle_name = ""
    person.sex = ""
    person.birth_date = None
    person.snils = ""
    person.email = ""
    person.phone = ""
    person.subject = ""
    person.position = ""
    person.experience_years = None
    person.user = None
    person.anonymized_at = timezone.now()
    person.save()
    if user is not None:
        user.first_name = ""
        user.last_name = ""
        user.middle_name = ""
        user.email = ""
        user.username = f"anonymized-{person.pk}"
        user.is_active = False
        user.set_unusable_password()
        user.save()
        # One by one, each with its audit row (who revoked which token, when, and why).
        user_tokens_revoke(actor=actor, user=user, reason="person.anonymize")
    Profile.objects.filter(person=person).update(interests="", request="", notes="", availability=0)
    # Who the person's relatives are says something about both: the links go.
    Kinship.objects.filter(Q(person_a=person) | Q(person_b=person)).delete()
    Consent.objects.filter(person=person).update(representative_name="")
    Consent.objects.filter(person=person, withdrawn_on__isnull=True).update(withdrawn_on=day)
    # History: keep what happened and when, drop what was said about the person.
    AuditEntry.objects.filter(person_id=person.pk).update(message="", data={})
    audit(actor=actor, action="person.anonymize", obj=person, person_id=person.pk)
    return person
