"""Reminders through the worker, and one-time links used twice at the same moment."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from nastavnik.surveys import services
from nastavnik.surveys.models import Invitation, Response
from tests.conftest import Tenant
from tests.surveys.helpers import program_with_people, scale_survey


@pytest.mark.django_db
def test_reminders_go_to_those_who_did_not_answer_at_most_every_three_days(
    tenant_a: Tenant,
) -> None:
    setup = program_with_people(tenant_a, mentees=3, mentors=1)
    tenant_a.mentee_person.email = "mentee@example.ru"
    tenant_a.mentee_person.save(update_fields=["email"])
    pupil = setup.mentees[1]  # no login
    pupil.email = "pupil@example.ru"
    pupil.save(update_fields=["email"])
    survey = scale_survey(tenant_a, setup.program, anonymous=False)
    services.survey_open(actor=tenant_a.curator, survey=survey)
    call_command("send_survey_reminders")
    assert sorted(m.to[0] for m in mail.outbox) == ["mentee@example.ru", "pupil@example.ru"]
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert f"/surveys/{survey.pk}/respond/" in by_address["mentee@example.ru"]
    assert "/surveys/answer/" in by_address["pupil@example.ru"]
    # the pupil's new link works (the old one was replaced)
    key = by_address["pupil@example.ru"].split("/surveys/answer/")[1].split("/")[0]
    invitation = services.invitation_for_key(key)
    assert invitation is not None
    assert invitation.person == pupil
    # not again tomorrow
    assert services.reminders_send(today=dt.date.today() + dt.timedelta(days=1)) == 0
    # nor to one who answered
    services.response_submit(invitation=invitation, raw={survey.questions.all()[0].pk: ["5"]})
    assert services.reminders_send(today=dt.date.today() + dt.timedelta(days=3)) == 1


@pytest.mark.django_db(transaction=True)
def test_one_link_sent_twice_at_once_makes_one_response(tenant_a: Tenant) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL: SQLite serializes writers by itself")
    setup = program_with_people(tenant_a, mentees=2, mentors=1)
    survey = scale_survey(tenant_a, setup.program, anonymous=True)
    services.survey_open(actor=tenant_a.curator, survey=survey)
    invitation = Invitation.objects.filter(survey=survey).first()
    assert invitation is not None
    question = survey.questions.order_by("position")[0]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def send(score: str) -> None:
        try:
            barrier.wait()
            services.response_submit(invitation=invitation, raw={question.pk: [score]})
            outcomes.append("saved")
        except services.AnswerRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(s,)) for s in ("3", "9")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "saved"]
    assert Response.objects.filter(survey=survey).count() == 1
