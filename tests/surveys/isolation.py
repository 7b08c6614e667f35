"""Object makers for the isolation test: a survey of the victim's program, its question, and a
one-time link (already used, so it opens for nobody)."""

from __future__ import annotations

from nastavnik.surveys import services
from nastavnik.surveys.models import Invitation, Survey
from tests.conftest import Tenant
from tests.factories import ProgramFactory
from tests.isolation import Maker, PostBody


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
    survey = _survey(tenant)
    # The second of two questions: moving it up is a real write.
    return services.question_add(
        actor=tenant.curator, survey=survey, kind="scale", text="Насколько?"
    ).pk


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

POST_BODIES: dict[str, PostBody] = {
    # A survey from a shipped questionnaire in the victim's program.
    "surveys:program": lambda victim, values: {"t-template": "check_in", "t-due_on": ""},
    # A question added to the victim's draft survey.
    "surveys:detail": lambda victim, values: {
        "action": "question",
        "kind": "yes_no",
        "text": "Новый вопрос?",
        "required": "on",
    },
    "surveys:question_move": lambda victim, values: {"direction": "up"},
}

# Pages and downloads; the deletion is the POST itself; the respondent's forms answer only the
# invited person (and the link, its holder), never a curator.
NO_FORM: set[str] = {
    "surveys:preview",
    "surveys:results",
    "surveys:export",
    "surveys:respond",
    "surveys:question_delete",
    "surveys:answer",
}
