"""The API's writes: people and profiles, consents, programs and bases, matching runs,
mentorships, a pair's plan and meetings; surveys' and reports' reads. Each write is checked as
the curator's organization token and as another organization's token (404, nothing changed)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from nastavnik.consents.models import Consent
from nastavnik.matching.models import MatchingRun
from nastavnik.mentorships.models import Mentorship, MentorshipStatus
from nastavnik.pairwork.models import Goal, Meeting, Task
from nastavnik.people.models import Person
from nastavnik.programs.models import Enrolment, Program
from tests.api.helpers import patch, post
from tests.conftest import Tenant
from tests.factories import competency
from tests.isolation import victim_fingerprint
from tests.matching.factories import enrol, give_consent, matching_program
from tests.pairwork.factories import goal, working_pair

pytestmark = pytest.mark.django_db


def test_people_are_created_and_updated(tenant_a: Tenant, mine: Client, outsider: Client) -> None:
    body = {
        "organization_id": tenant_a.organization.pk,
        "last_name": "Новикова",
        "first_name": "Дарья",
        "middle_name": "Игоревна",
        "category": "student",
        "class_name": "7б",
        "birth_date": "2013-05-04",
    }
    response = post(mine, "/api/v1/people/", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["full_name"] == "Новикова Дарья Игоревна"
    person = Person.objects.get(pk=created["id"])
    assert person.organization == tenant_a.organization
    assert person.class_name == "7Б"

    changed = patch(mine, f"/api/v1/people/{person.pk}", {"class_name": "8Б", "phone": ""})
    assert changed.status_code == 200
    assert changed.json()["class_name"] == "8Б"

    before = victim_fingerprint(tenant_a)
    assert patch(outsider, f"/api/v1/people/{person.pk}", {"class_name": "9А"}).status_code == 404
    assert post(outsider, "/api/v1/people/", body).status_code == 404
    assert victim_fingerprint(tenant_a) == before


def test_validation_errors_are_russian_with_fields(tenant_a: Tenant, mine: Client) -> None:
    response = post(
        mine,
        "/api/v1/people/",
        {"organization_id": tenant_a.organization.pk, "last_name": "<b>Иванов</b>"},
    )
    assert response.status_code == 422
    data = response.json()
    fields = {tuple(e["loc"])[-1] for e in data["errors"]}
    assert {"last_name", "first_name", "category"} <= fields
    assert "обязательно" in data["detail"]
    # A service's refusal (full_clean) is a 422 naming the field, in Russian.
    bad = post(
        mine,
        "/api/v1/people/",
        {
            "organization_id": tenant_a.organization.pk,
            "last_name": "Петров",
            "first_name": "Пётр",
            "category": "teacher",
            "snils": "111-111-111 11",
        },
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["body", "snils"]
    assert any("а" <= ch <= "я" for ch in bad.json()["detail"].lower())
    assert mine.post("/api/v1/people/", "{", content_type="application/json").status_code == 400


def test_profiles_are_updated_in_parts(tenant_a: Tenant, mine: Client, outsider: Client) -> None:
    person = tenant_a.mentor_person
    url = f"/api/v1/people/{person.pk}/profile"
    skill = competency("digital-tools")
    response = patch(
        mine,
        url,
        {"interests": "робототехника", "competencies": [{"competency_id": skill.pk, "level": 3}]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["competencies"] == [{"competency_id": skill.pk, "level": 3}]
    again = patch(mine, url, {"notes": "ведёт кружок"}).json()
    assert again["interests"] == "робототехника"
    assert again["competencies"] == [{"competency_id": skill.pk, "level": 3}]
    assert patch(mine, url, {"deficit_ids": [10**9]}).status_code == 422
    assert patch(outsider, url, {"notes": "чужое"}).status_code == 404
    assert mine.get(url).json()["notes"] == "ведёт кружок"


def test_consents_are_recorded(tenant_a: Tenant, mine: Client, outsider: Client) -> None:
    body = {
        "person_id": tenant_a.student.pk,
        "purpose": "photo",
        "given_on": "2026-09-01",
        "given_by": "parent",
        "representative_name": "Секретова Мария Ивановна",
    }
    assert post(outsider, "/api/v1/consents/", body).status_code == 404
    response = post(mine, "/api/v1/consents/", body)
    assert response.status_code == 201, response.content
    assert Consent.objects.filter(person=tenant_a.student, purpose="photo").count() == 1
    # A parent's consent without the parent's name is refused with the field.
    refused = post(mine, "/api/v1/consents/", {**body, "representative_name": ""})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["body", "representative_name"]


def test_programs_and_bases(tenant_a: Tenant, mine: Client, outsider: Client) -> None:
    body = {
        "organization_id": tenant_a.organization.pk,
        "title": "Учитель — ученик 2026",
        "form": "teacher-student",
    }
    assert post(outsider, "/api/v1/programs/", body).status_code == 404
    response = post(mine, "/api/v1/programs/", body)
    assert response.status_code == 201, response.content
    program = Program.objects.get(pk=response.json()["id"])
    assert post(mine, "/api/v1/programs/", {**body, "form": "нет такой"}).status_code == 422

    give_consent(tenant_a.mentor_person)
    enrolment = {"program_id": program.pk, "person_id": tenant_a.mentor_person.pk}
    made = post(mine, "/api/v1/programs/enrolments", {**enrolment, "role": "mentor", "capacity": 2})
    assert made.status_code == 201, made.content
    assert made.json()["capacity"] == 2
    # No consent, no enrolment: a Russian 422.
    refused = post(
        mine,
        "/api/v1/programs/enrolments",
        {"program_id": program.pk, "person_id": tenant_a.student.pk, "role": "mentee"},
    )
    assert refused.status_code == 422
    assert "соглас" in refused.json()["detail"].lower()
    listing = mine.get(f"/api/v1/programs/{program.pk}/enrolments?role=mentor").json()
    assert [e["person_id"] for e in listing["items"]] == [tenant_a.mentor_person.pk]
    assert (
        post(outsider, "/api/v1/programs/enrolments", {**enrolment, "role": "mentor"}).status_code
        == 404
    )
    assert outsider.get(f"/api/v1/programs/{program.pk}/enrolments").status_code == 404


def test_a_matching_run_is_started(tenant_a: Tenant, mine: Client, outsider: Client) -> None:
    program = matching_program(tenant_a.organization)
    enrol(program, tenant_a.mentor_person, "mentor", capacity=2)
    enrol(program, tenant_a.mentee_person, "mentee")
    assert post(outsider, "/api/v1/matching/runs", {"program_id": program.pk}).status_code == 404
    response = post(mine, "/api/v1/matching/runs", {"program_id": program.pk, "top_k": 10})
    assert response.status_code == 201, response.content
    run = MatchingRun.objects.get(pk=response.json()["id"])
    assert run.program == program
    assert run.parameters["top_k"] == 10
    too_many = post(mine, "/api/v1/matching/runs", {"program_id": program.pk, "top_k": 10**6})
    assert too_many.status_code == 422


def test_mentorships_are_formed_and_change_status(
    tenant_a: Tenant, mine: Client, outsider: Client
) -> None:
    program = matching_program(tenant_a.organization)
    teacher = enrol(program, tenant_a.mentor_person, "mentor", capacity=1)
    pupil = enrol(program, tenant_a.mentee_person, "mentee")
    body = {
        "program_id": program.pk,
        "mentor_enrolment_ids": [teacher.pk],
        "mentee_enrolment_ids": [pupil.pk],
    }
    assert post(outsider, "/api/v1/mentorships/", body).status_code == 404
    response = post(mine, "/api/v1/mentorships/", body)
    assert response.status_code == 201, response.content
    pair = response.json()
    assert pair["mentor_person_ids"] == [tenant_a.mentor_person.pk]
    # The same mentee twice: refused by the service, in Russian.
    assert post(mine, "/api/v1/mentorships/", body).status_code == 422
    url = f"/api/v1/mentorships/{pair['id']}"
    assert patch(outsider, url, {"status": "paused"}).status_code == 404
    paused = patch(mine, url, {"status": "paused", "reason": "Каникулы наставника"})
    assert paused.json()["status"] == "paused"
    refused = patch(mine, url, {"status": "dissolved"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["body", "reason"]
    assert Mentorship.objects.get(pk=pair["id"]).status == MentorshipStatus.PAUSED


def test_a_pairs_plan_and_meetings(tenant_a: Tenant, mine: Client, outsider: Client) -> None:
    pair = working_pair(tenant_a)
    goal_body = {"mentorship_id": pair.pk, "title": "Подготовиться к олимпиаде"}
    assert post(outsider, "/api/v1/pairwork/goals", goal_body).status_code == 404
    made = post(mine, "/api/v1/pairwork/goals", goal_body)
    assert made.status_code == 201, made.content
    goal_id = made.json()["id"]
    task = post(
        mine,
        "/api/v1/pairwork/tasks",
        {"mentorship_id": pair.pk, "goal_id": goal_id, "title": "Решить 10 задач"},
    )
    assert task.status_code == 201, task.content
    assert Task.objects.get(pk=task.json()["id"]).goal_id == goal_id
    other_goal = goal(working_pair(tenant_a, mentee=tenant_a.student))
    wrong = post(
        mine,
        "/api/v1/pairwork/tasks",
        {"mentorship_id": pair.pk, "goal_id": other_goal.pk, "title": "Чужая цель"},
    )
    assert wrong.status_code == 422
    starts = (timezone.now() + dt.timedelta(days=2)).replace(microsecond=0)
    meeting = {"mentorship_id": pair.pk, "starts_at": starts.isoformat(), "topic": "Знакомство"}
    assert post(outsider, "/api/v1/pairwork/meetings", meeting).status_code == 404
    response = post(mine, "/api/v1/pairwork/meetings", meeting)
    assert response.status_code == 201, response.content
    assert Meeting.objects.filter(mentorship=pair).count() == 1
    # Overlapping the first: refused.
    assert post(mine, "/api/v1/pairwork/meetings", meeting).status_code == 422
    assert Goal.objects.filter(mentorship=pair).count() == 1


def test_idempotency_keys(tenant_a: Tenant, mine: Client, outsider: Client) -> None:
    body = {
        "organization_id": tenant_a.organization.pk,
        "last_name": "Повторов",
        "first_name": "Иван",
        "category": "teacher",
    }
    first = post(mine, "/api/v1/people/", body, **{"Idempotency-Key": "abc-1"})
    again = post(mine, "/api/v1/people/", body, **{"Idempotency-Key": "abc-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Person.objects.filter(last_name="Повторов").count() == 1
    # The same key with another body: 409, in Russian, nothing written.
    other = post(
        mine, "/api/v1/people/", {**body, "first_name": "Пётр"}, **{"Idempotency-Key": "abc-1"}
    )
    assert other.status_code == 409
    assert "Idempotency-Key" in other.json()["detail"]
    assert "уже использован" in other.json()["detail"]
    assert Person.objects.filter(last_name="Повторов").count() == 1
    # Key order in the JSON does not matter.
    reordered = dict(reversed(list(body.items())))
    assert (
        post(mine, "/api/v1/people/", reordered, **{"Idempotency-Key": "abc-1"}).status_code == 201
    )
    # Another token with the same key is another request.
    assert (
        post(outsider, "/api/v1/people/", body, **{"Idempotency-Key": "abc-1"}).status_code == 404
    )
    # A failed request stores nothing: the same key may be used again once fixed.
    bad = {**body, "last_name": "Ошибкин", "snils": "111-111-111 11"}
    assert post(mine, "/api/v1/people/", bad, **{"Idempotency-Key": "abc-2"}).status_code == 422
    good = {**body, "last_name": "Ошибкин"}
    assert post(mine, "/api/v1/people/", good, **{"Idempotency-Key": "abc-2"}).status_code == 201
    # Without a key, two posts are two people.
    post(mine, "/api/v1/people/", {**body, "last_name": "Двойнов"})
    post(mine, "/api/v1/people/", {**body, "last_name": "Двойнов"})
    assert Person.objects.filter(last_name="Двойнов").count() == 2


def test_surveys_and_reports_are_read_in_scope(
    tenant_a: Tenant, mine: Client, outsider: Client
) -> None:
    from nastavnik.surveys.services import survey_from_template

    program = matching_program(tenant_a.organization)
    survey = survey_from_template(actor=tenant_a.curator, program=program, code="entry_mentee")
    listing = mine.get("/api/v1/surveys/").json()
    assert [s["id"] for s in listing["items"]] == [survey.pk]
    assert outsider.get("/api/v1/surveys/").json()["items"] == []
    assert outsider.get(f"/api/v1/surveys/{survey.pk}").status_code == 404
    assert outsider.get(f"/api/v1/surveys/{survey.pk}/results").status_code == 404
    results = mine.get(f"/api/v1/surveys/{survey.pk}/results")
    assert results.status_code == 200
    assert results.json()["questions"]
    year = program.academic_year.start_year
    report = mine.get(f"/api/v1/reports/organizations/{tenant_a.organization.pk}/{year}")
    assert report.status_code == 200
    assert report.json()["organization"] == tenant_a.organization.code
    url = f"/api/v1/reports/organizations/{tenant_a.organization.pk}/{year}"
    assert outsider.get(url).status_code == 404
    assert (
        mine.get(f"/api/v1/reports/organizations/{tenant_a.organization.pk}/99999").status_code
        == 422
    )


def test_enrolment_listing_is_paged(tenant_a: Tenant, mine: Client) -> None:
    program = matching_program(tenant_a.organization)
    for person in (tenant_a.mentor_person, tenant_a.mentee_person):
        enrol(program, person, "mentee")
    page = mine.get(f"/api/v1/programs/{program.pk}/enrolments?limit=1").json()
    assert page["count"] == 2
    assert len(page["items"]) == 1
    assert Enrolment.objects.filter(program=program).count() == 2
