"""Object makers for the isolation test: a consent of the victim's pupil."""

from __future__ import annotations

import datetime as dt

from nastavnik.consents.models import Consent, ConsentPurpose, GivenBy
from nastavnik.consents.selectors import consent_text_current
from tests.conftest import Tenant
from tests.isolation import Maker, PostBody


def _consent(tenant: Tenant) -> object:
    consent = Consent.objects.create(
        organization=tenant.organization,
        person=tenant.student,
        purpose=ConsentPurpose.PERSONAL_DATA,
        text=consent_text_current(ConsentPurpose.PERSONAL_DATA),
        given_by="parent",
        representative_name="Секретова Мать Ивановна",
        given_on=dt.date(2026, 9, 1),
    )
    return consent.pk


OBJECT_MAKERS: dict[str, Maker] = {"consent_id": Maker(_consent)}


POST_BODIES: dict[str, PostBody] = {
    # A parent's consent to photos for the victim's pupil.
    "consents:person": lambda victim, values: {
        "purpose": ConsentPurpose.PHOTO,
        "given_by": GivenBy.PARENT,
        "representative_name": "Секретова Мать Ивановна",
        "given_on": "2026-09-01",
    },
}

# The withdrawal is the POST itself (no field); the form and the data are downloads.
NO_FORM: set[str] = {
    "consents:withdraw",
    "consents:form_pdf",
    "consents:person_data",
    "api:consent_status",
}
