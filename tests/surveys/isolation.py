"""Object makers for the isolation test: a survey of the victim's program, its question, and a
one-time link (already used, so it opens for nobody)."""

from __future__ import annotations

from nastavnik.surveys import services
from nastavnik.surveys.models import Invitation, Survey
from tests.conftest import Tenant
from tests.factories import ProgramFactory
from tests.isolation import Maker


def _survey(tenant: Tenant) -> Survey:
    program = ProgramFactory.create(organization=tenant.organization)
    survey = services.survey_create(
        actor=tenant.curator,
        program=program,
        title="Анкета жертвы",
        kind="other",
        moment="any",
        audience="outside",
    )
    services.question_add(actor=tenant.curator, survey=survey, kind="yes_no", text="Да?")
    return survey


def _survey_id(tenant: Tenant) -> object:
    return _survey(tenant).pk


def _question_id(tenant: Tenant) -> object:
    return _survey(tenant).questions.get().pk


def _used_key(tenant: Tenant) -> object:
    survey = _survey(tenant)
    services.survey_open(actor=tenant.curator, survey=survey)
    key = services.outside_invitation_create(actor=tenant.curator, survey=survey, name="Родитель")
    Invitation.objects.filter(survey=survey).update(used=True)
    return key


OBJECT_MAKERS: dict[str, Maker] = {
    "survey_id": Maker(_survey_id),
    "question_id": Maker(_question_id),
    "key": Maker(_used_key),
}
# The one-time link is its own credential: anyone holding an unused key may answer.
PUBLIC_URL_NAMES = {"surveys:answer"}
