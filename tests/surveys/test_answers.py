"""Distribution, one-time links, answering and true anonymity."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from nastavnik.consents.models import Consent
from nastavnik.core.models import AuditEntry
from nastavnik.surveys import services
from nastavnik.surveys.models import Answer, Invitation, Response
from tests.conftest import Tenant, login
from tests.surveys.helpers import program_with_people, scale_survey

pytestmark = pytest.mark.django_db


def _raw(survey: object, scale: str = "8", text: str = "") -> dict[int, list[str]]:
    questions = list(survey.questions.order_by("position"))  # type: ignore[attr-defined]
    return {questions[0].pk: [scale], questions[1].pk: [text]}


def test_only_people_with_a_valid_consent_are_invited(tenant_a: Tenant) -> None:
    setup = program_with_people(tenant_a, mentees=4, mentors=1)
    Consent.objects.filter(person=setup.mentees[1]).delete()
    survey = scale_survey(tenant_a, setup.program, anonymous=False)
    result = services.survey_open(actor=tenant_a.curator, survey=survey)
    assert result.invited == 3
    assert result.without_consent == 1
    invited = set(Invitation.objects.filter(survey=survey).values_list("person_id", flat=True))
    assert setup.mentees[1].pk not in invited
    assert setup.mentors[0].pk not in invited  # the survey is for mentees


def test_a_one_time_link_works_once(tenant_a: Tenant) -> None:
    setup = program_with_people(tenant_a, mentees=2, mentors=1)
    survey = scale_survey(tenant_a, setup.program, anonymous=False)
    services.survey_open(actor=tenant_a.curator, survey=survey)
    key = services.outside_invitation_create(actor=tenant_a.curator, survey=survey, name="Эксперт")
    url = reverse("surveys:answer", kwargs={"key": key})
    client = login(tenant_a.curator).__class__()  # a browser with no login
    page = client.get(url)
    assert page.status_code == 200
    assert "Насколько вы довольны?" in page.content.decode()
    question = survey.questions.order_by("position")[0]
    sent = client.post(url, {f"q{question.pk}": "9"})
    assert sent.status_code == 200
    assert "Ваши ответы сохранены" in sent.content.decode()
    again = client.post(url, {f"q{question.pk}": "1"})
    assert again.status_code == 404
    assert "ссылка работает один раз" in again.content.decode()
    assert Response.objects.filter(survey=survey).count() == 1


def test_the_link_key_is_stored_hashed_and_unknown_keys_answer_404(tenant_a: Tenant) -> None:
    setup = program_with_people(tenant_a, mentees=2, mentors=1)
    survey = scale_survey(tenant_a, setup.program, anonymous=False)
    services.survey_open(actor=tenant_a.curator, survey=survey)
    key = services.outside_invitation_create(actor=tenant_a.curator, survey=survey, name="Мама")
    assert not Invitation.objects.filter(key_hash=key).exists()
    response = (
        login(tenant_a.curator)
        .__class__()
        .get(reverse("surveys:answer", kwargs={"key": key[:-1] + ("A" if key[-1] != "A" else "B")}))
    )
    assert response.status_code == 404
    assert "Ссылка недействительна" in response.content.decode()


def test_an_expired_link_and_a_late_answer_are_refused(tenant_a: Tenant) -> None:
    setup = program_with_people(tenant_a, mentees=2, mentors=1)
    survey = scale_survey(tenant_a, setup.program, anonymous=False)
    services.survey_open(actor=tenant_a.curator, survey=survey)
    invitation = Invitation.objects.filter(survey=survey).first()
    assert invitation is not None
    Invitation.objects.filter(pk=invitation.pk).update(expires_on=dt.date(2020, 1, 1))
    invitation.refresh_from_db()
    with pytest.raises(services.AnswerRefused, match=r"01\.01\.2020"):
        services.response_submit(invitation=invitation, raw=_raw(survey))
    Invitation.objects.filter(pk=invitation.pk).update(expires_on=dt.date(2100, 1, 1))
    survey.due_on = dt.date(2020, 2, 1)
    survey.save(update_fields=["due_on"])
    invitation.refresh_from_db()
    with pytest.raises(services.AnswerRefused, match=r"принимались до 01\.02\.2020"):
        services.response_submit(invitation=invitation, raw=_raw(survey))


def test_a_second_answer_by_the_same_person_is_refused(tenant_a: Tenant) -> None:
    setup = program_with_people(tenant_a, mentees=2, mentors=1)
    survey = scale_survey(tenant_a, setup.program, anonymous=False)
    services.survey_open(actor=tenant_a.curator, survey=survey)
    client = login(tenant_a.mentee)
    url = reverse("surveys:respond", kwargs={"survey_id": survey.pk})
    question = survey.questions.order_by("position")[0]
    assert client.post(url, {f"q{question.pk}": "7"}).status_code == 200
    second = client.post(url, {f"q{question.pk}": "3"})
    assert second.status_code == 404
    assert Response.objects.filter(survey=survey).count() == 1
    named = Response.objects.get(survey=survey)
    assert named.person == tenant_a.mentee_person


def test_required_answers_and_conditions(tenant_a: Tenant) -> None:
    setup = program_with_people(tenant_a, mentees=2, mentors=1)
    survey = services.survey_from_template(
        actor=tenant_a.curator, program=setup.program, code="entry_mentor"
    )
    services.survey_open(actor=tenant_a.curator, survey=survey)
    invitation = Invitation.objects.get(survey=survey, person=tenant_a.mentor_person)
    q = {x.position: x for x in survey.questions.all()}
    with pytest.raises(ValidationError) as exc:
        services.response_submit(invitation=invitation, raw={q[1].pk: ["Опыт"]})
    assert str(q[2].pk) in exc.value.message_dict  # required and not answered
    raw = {
        q[1].pk: ["Методику"],
        q[2].pk: ["Терпение"],
        q[3].pk: ["no"],
        q[4].pk: ["Этого не должно сохраниться"],  # asked only after «yes»
        q[5].pk: ["после уроков"],
    }
    response = services.response_submit(invitation=invitation, raw=raw)
    kept = dict(Answer.objects.filter(response=response).values_list("question_id", "value"))
    assert q[4].pk not in kept
    assert kept[q[3].pk] is False
    assert kept[q[5].pk] == "после уроков"


def test_bad_values_are_refused_in_russian(tenant_a: Tenant) -> None:
    setup = program_with_people(tenant_a, mentees=2, mentors=1)
    survey = scale_survey(tenant_a, setup.program, anonymous=False)
    services.survey_open(actor=tenant_a.curator, survey=survey)
    invitation = Invitation.objects.filter(survey=survey).first()
    assert invitation is not None
    with pytest.raises(ValidationError) as exc:
        services.response_submit(invitation=invitation, raw=_raw(survey, scale="11"))
    assert "от 1 до 10" in str(exc.value)
    invitation.refresh_from_db()
    assert not invitation.used


def test_an_anonymous_answer_is_tied_to_nobody(tenant_a: Tenant) -> None:
    setup = program_with_people(tenant_a, mentees=3, mentors=1)
    survey = scale_survey(tenant_a, setup.program, anonymous=True)
    services.survey_open(actor=tenant_a.curator, survey=survey)
    audit_before = AuditEntry.objects.count()
    for invitation in Invitation.objects.filter(survey=survey):
        services.response_submit(invitation=invitation, raw=_raw(survey, text="Всё хорошо"))
    responses = Response.objects.filter(survey=survey)
    assert responses.count() == 3
    # no person, no date, and a random key: no order to read
    assert set(responses.values_list("person_id", flat=True)) == {None}
    assert set(responses.values_list("submitted_on", flat=True)) == {None}
    assert {f.name for f in Response._meta.get_fields()}.isdisjoint(
        {"created_at", "updated_at", "invitation"}
    )
    assert {f.name for f in Answer._meta.get_fields()}.isdisjoint({"created_at", "person"})
    assert {f.name for f in Invitation._meta.get_fields()}.isdisjoint(
        {"response", "used_at", "updated_at"}
    )
    # and the audit log says nothing about who answered
    assert AuditEntry.objects.count() == audit_before
    # No column of any table holds both a person and this survey's response ids.
    response_ids = {str(r.hex) for r in responses.values_list("id", flat=True)} | {
        str(r) for r in responses.values_list("id", flat=True)
    }
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            if table in ("surveys_response", "surveys_answer"):
                continue
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                assert not response_ids & {str(v) for v in row}, table
