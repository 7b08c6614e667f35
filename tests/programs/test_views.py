"""The programs' pages: create, stages, bases, roadmap, training, contours, tandems, public."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django import forms
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from nastavnik.core.models import AuditEntry
from nastavnik.mentorships.services import mentorship_create
from nastavnik.programs.models import (
    ContourTask,
    Enrolment,
    MentoringForm,
    MentoringModel,
    Partner,
    Program,
    RoadmapItem,
    Stage,
    StageTask,
    Tandem,
    TandemStep,
    TrainingSession,
)
from nastavnik.programs.services import enrolment_upsert
from tests.conftest import Tenant, login
from tests.factories import PersonFactory, TeacherFactory
from tests.matching.factories import mentee, mentor
from tests.programs.conftest import give_consent

pytestmark = pytest.mark.django_db


def test_a_curator_creates_a_program(tenant_a: Tenant) -> None:
    client = login(tenant_a.curator)
    page = client.get(reverse("programs:create"))
    year = page.context["form"].initial["academic_year"]
    traditional = page.context["form"].fields["models_used"].queryset.get(code="traditional")
    response = client.post(
        reverse("programs:create"),
        {
            "title": "Наставничество «учитель – ученик»",
            "form": MentoringForm.objects.get(code="teacher-student").pk,
            "academic_year": year,
            "goals": "Раскрыть потенциал",
            "models_used": [traditional.pk],
            "support_kinds": ["individual", "online"],
            "curator": tenant_a.curator.pk,
        },
    )
    program = Program.objects.get(title="Наставничество «учитель – ученик»")
    assert response["Location"] == reverse("programs:detail", kwargs={"program_id": program.pk})
    assert (program.stage, program.support_kinds, program.curator) == (
        Stage.PREPARATION,
        ["individual", "online"],
        tenant_a.curator,
    )
    assert StageTask.objects.filter(program=program).exists()


def test_a_mentor_may_not_create_programs(tenant_a: Tenant) -> None:
    assert login(tenant_a.mentor).get(reverse("programs:create")).status_code == 403


def test_the_curator_chooses_variants_of_the_form_only(tenant_a: Tenant, program: Program) -> None:
    response = login(tenant_a.curator).get(reverse("programs:edit", args=[program.pk]))
    forms = {v.form_id for v in response.context["form"].fields["variants"].queryset}
    assert forms == {program.form_id}


def test_the_program_page_for_a_mentor_shows_no_base(tenant_a: Tenant, program: Program) -> None:
    give_consent(tenant_a.curator, tenant_a.student)
    enrolment_upsert(
        actor=tenant_a.curator, program=program, person=tenant_a.student, role="mentee"
    )
    response = login(tenant_a.mentor).get(reverse("programs:detail", args=[program.pk]))
    assert response.status_code == 200
    assert tenant_a.student.last_name not in response.content.decode()


def test_the_stages_page_lists_the_checklists(tenant_a: Tenant, program: Program) -> None:
    response = login(tenant_a.curator).get(reverse("programs:stages", args=[program.pk]))
    body = response.content.decode()
    assert "Положение о наставничестве утверждено" in body
    assert "Формирование наставнических пар или групп" in body


def test_moving_on_without_confirmation_keeps_the_stage(tenant_a: Tenant, program: Program) -> None:
    client = login(tenant_a.curator)
    response = client.post(reverse("programs:stage_advance", args=[program.pk]), follow=True)
    program.refresh_from_db()
    assert program.stage == Stage.PREPARATION
    assert "Не выполнено" in response.content.decode()


def test_moving_on_with_confirmation(tenant_a: Tenant, program: Program) -> None:
    login(tenant_a.curator).post(
        reverse("programs:stage_advance", args=[program.pk]), {"confirm": "1"}
    )
    program.refresh_from_db()
    assert program.stage == Stage.MENTEE_BASE


def test_ticking_a_checklist_item(tenant_a: Tenant, program: Program) -> None:
    task = StageTask.objects.get(program=program, code="informing")
    login(tenant_a.curator).post(
        reverse("programs:stage_task_toggle", args=[task.pk]), {"done": "1"}
    )
    task.refresh_from_db()
    assert task.done_by == tenant_a.curator


def test_a_head_sees_the_stages_but_cannot_tick(tenant_a: Tenant, program: Program) -> None:
    task = StageTask.objects.get(program=program, code="informing")
    client = login(tenant_a.head)
    assert client.get(reverse("programs:stages", args=[program.pk])).status_code == 200
    assert (
        client.post(
            reverse("programs:stage_task_toggle", args=[task.pk]), {"done": "1"}
        ).status_code
        == 403
    )


def test_adding_people_to_the_bases(tenant_a: Tenant, program: Program) -> None:
    teacher = TeacherFactory.create(organization=tenant_a.organization)
    pupil = PersonFactory.create(organization=tenant_a.organization)
    for person in (teacher, pupil):
        give_consent(tenant_a.curator, person)
    client = login(tenant_a.curator)
    url = reverse("programs:base", args=[program.pk])
    client.post(url, {"role": "mentor", "mentor-person": teacher.pk, "mentor-capacity": 2})
    client.post(url, {"role": "mentee", "mentee-person": pupil.pk})
    roles = set(
        Enrolment.objects.filter(program=program).values_list("person_id", "role", "capacity")
    )
    assert roles == {(teacher.pk, "mentor", 2), (pupil.pk, "mentee", 1)}


def test_the_base_offers_only_the_forms_categories(tenant_a: Tenant, program: Program) -> None:
    pupil = PersonFactory.create(organization=tenant_a.organization)
    response = login(tenant_a.curator).get(reverse("programs:base", args=[program.pk]))
    mentor_choices = set(response.context["mentor_form"].fields["person"].queryset)
    assert pupil not in mentor_choices


def test_a_person_without_consent_is_not_enrolled(tenant_a: Tenant, program: Program) -> None:
    pupil = PersonFactory.create(organization=tenant_a.organization)
    response = login(tenant_a.curator).post(
        reverse("programs:base", args=[program.pk]), {"role": "mentee", "mentee-person": pupil.pk}
    )
    assert response.status_code == 200
    assert not Enrolment.objects.filter(person=pupil).exists()


def _mentor(tenant: Tenant, program: Program) -> Enrolment:
    teacher = TeacherFactory.create(organization=tenant.organization)
    give_consent(tenant.curator, teacher)
    return enrolment_upsert(actor=tenant.curator, program=program, person=teacher, role="mentor")[0]


def test_marking_a_mentor_trained_with_htmx(tenant_a: Tenant, program: Program) -> None:
    mentor = _mentor(tenant_a, program)
    response = login(tenant_a.curator).post(
        reverse("programs:enrolment_trained", args=[mentor.pk]),
        {"trained": "1"},
        HTTP_HX_REQUEST="true",
    )
    mentor.refresh_from_db()
    assert mentor.trained_on == timezone.localdate()
    assert "обучен" in response.content.decode()


def test_interview_notes_are_kept(tenant_a: Tenant, program: Program) -> None:
    mentor = _mentor(tenant_a, program)
    login(tenant_a.curator).post(
        reverse("programs:enrolment_edit", args=[mentor.pk]),
        {
            "status": "approved",
            "capacity": 3,
            "interviewed_on": "15.09.2026",
            "interview_notes": "Готов вести двоих",
            "notes": "",
        },
    )
    mentor.refresh_from_db()
    assert (mentor.status, mentor.interviewed_on, mentor.interview_notes) == (
        "approved",
        dt.date(2026, 9, 15),
        "Готов вести двоих",
    )


def test_the_roadmap_lists_overdue_items(tenant_a: Tenant, program: Program) -> None:
    client = login(tenant_a.curator)
    url = reverse("programs:roadmap", args=[program.pk])
    client.post(
        url,
        {
            "title": "Совещание",
            "due_on": "01.09.2020",
            "status": "planned",
            "responsible": "Кураторова А.",
        },
    )
    client.post(url, {"title": "Фестиваль пар", "due_on": "20.05.2099", "status": "planned"})
    response = client.get(url)
    assert [i.title for i in response.context["overdue"]] == ["Совещание"]


def test_the_roadmap_exports_to_a_spreadsheet(tenant_a: Tenant, program: Program) -> None:
    RoadmapItem.objects.create(
        organization=program.organization,
        program=program,
        title="Обучение наставников",
        stage=Stage.MENTOR_TRAINING,
        due_on=dt.date(2026, 10, 15),
        responsible="Иванова А. С.",
    )
    response = login(tenant_a.curator).get(reverse("programs:roadmap_export", args=[program.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = [c.value for c in sheet[4]]
    assert row[:6] == [
        1,
        "Обучение наставников",
        "отбор и обучение наставников",
        None,
        "15.10.2026",
        "Иванова А. С.",
    ]


def test_training_attendance_marks_mentors_trained(tenant_a: Tenant, program: Program) -> None:
    mentor = _mentor(tenant_a, program)
    client = login(tenant_a.curator)
    client.post(
        reverse("programs:training", args=[program.pk]),
        {
            "title": "Роль наставника",
            "held_on": "01.10.2026",
            "materials": "https://example.org/guide",
        },
    )
    session = TrainingSession.objects.get(program=program)
    client.post(
        reverse("programs:training_session", args=[session.pk]),
        {"attended": [mentor.pk], "mark_trained": "on"},
    )
    mentor.refresh_from_db()
    assert (list(session.attendees.all()), mentor.trained_on) == ([mentor], dt.date(2026, 10, 1))


def test_contour_tasks_and_partners(tenant_a: Tenant, program: Program) -> None:
    client = login(tenant_a.curator)
    url = reverse("programs:contours", args=[program.pk])
    client.post(
        url,
        {
            "what": "task",
            "task-area": "information",
            "task-title": "Новость на сайте",
            "task-status": "planned",
        },
    )
    client.post(
        url,
        {
            "what": "partner",
            "partner-name": "ООО «Завод»",
            "partner-kind": "employer",
            "partner-contribution": "Наставники-инженеры",
        },
    )
    task = ContourTask.objects.get(program=program)
    partner = Partner.objects.get(program=program)
    assert (task.is_internal, partner.contribution) == (False, "Наставники-инженеры")


def test_a_tandem_walks_its_steps(tenant_a: Tenant, program: Program) -> None:
    first, second = (
        TeacherFactory.create(organization=tenant_a.organization),
        TeacherFactory.create(organization=tenant_a.organization),
    )
    client = login(tenant_a.curator)
    client.post(
        reverse("programs:tandems", args=[program.pk]),
        {
            "name": "Проектная деятельность",
            "interest": "Проекты на уроках",
            "members": [first.pk, second.pk],
        },
    )
    tandem = Tandem.objects.get(program=program)
    url = reverse("programs:tandem", args=[tandem.pk])
    client.post(
        url,
        {
            "what": "note",
            "note-kind": "meeting",
            "note-held_on": "10.10.2026",
            "note-text": "Взаимопосещение уроков",
        },
    )
    client.post(url, {"what": "tool", "tool-title": "Метод кейсов", "tool-tried_on": "20.10.2026"})
    client.post(
        url,
        {
            "what": "step",
            "step-step": TandemStep.TEAM,
            "step-goals": "Общий проект",
            "step-interest": "Проекты",
        },
    )
    tandem.refresh_from_db()
    assert (tandem.step, tandem.notes.count(), tandem.toolkit.count(), tandem.members.count()) == (
        TandemStep.TEAM,
        1,
        1,
        2,
    )
    body = client.get(url).content.decode()
    assert "Метод кейсов" in body
    assert "/market/?q=" in body
    assert "/market/team/" in body


def test_a_team_needs_goals(tenant_a: Tenant, program: Program) -> None:
    tandem = Tandem.objects.create(organization=program.organization, program=program, name="Т")
    login(tenant_a.curator).post(
        reverse("programs:tandem", args=[tandem.pk]),
        {"what": "step", "step-step": TandemStep.TEAM, "step-goals": "", "step-interest": ""},
    )
    tandem.refresh_from_db()
    assert tandem.step == TandemStep.FORMING


def test_the_public_page_is_404_until_opted_in(program: Program) -> None:
    from django.test import Client

    assert Client().get(reverse("programs:public", args=[program.pk])).status_code == 404


def test_the_public_page_shows_counts_never_names(tenant_a: Tenant, program: Program) -> None:
    from django.test import Client

    give_consent(tenant_a.curator, tenant_a.student)
    enrolment_upsert(
        actor=tenant_a.curator, program=program, person=tenant_a.student, role="mentee"
    )
    program.is_public = True
    program.goals = "Поддержка каждого ученика"
    program.public_news = "Стартовала программа наставничества.\r\n\r\nНаставники прошли обучение."
    program.save()
    RoadmapItem.objects.create(
        organization=program.organization,
        program=program,
        title="Фестиваль наставнических пар",
        due_on=dt.date(2027, 5, 20),
        is_public=True,
    )
    response = Client().get(reverse("programs:public", args=[program.pk]))
    body = response.content.decode()
    assert response.context["summary"]["mentees"] == 1
    assert "Фестиваль наставнических пар" in body
    assert response.context["summary"]["news"] == [
        "Стартовала программа наставничества.",
        "Наставники прошли обучение.",
    ]
    assert tenant_a.student.last_name not in body


def test_a_mentee_elsewhere_may_still_join_the_base_of_mentors(
    tenant_a: Tenant, program: Program
) -> None:
    teacher = TeacherFactory.create(organization=tenant_a.organization)
    give_consent(tenant_a.curator, teacher)
    other = Program.objects.create(
        organization=program.organization,
        academic_year=program.academic_year,
        form=MentoringForm.objects.get(code="teacher-teacher"),
        title="Молодые специалисты",
    )
    enrolment_upsert(actor=tenant_a.curator, program=other, person=teacher, role="mentee")
    response = login(tenant_a.curator).get(reverse("programs:base", args=[program.pk]))
    assert teacher in set(response.context["mentor_form"].fields["person"].queryset)


def test_the_organizations_public_section_lists_public_programs_only(
    tenant_a: Tenant, program: Program
) -> None:
    from django.test import Client

    url = reverse("programs:public_index", args=[tenant_a.organization.pk])
    closed = Client().get(url).status_code
    program.is_public = True
    program.save()
    Program.objects.create(
        organization=program.organization,
        academic_year=program.academic_year,
        form=MentoringForm.objects.get(code="student-student"),
        title="Закрытая программа",
    )
    body = Client().get(url).content.decode()
    assert closed == 404
    assert program.title in body
    assert "Закрытая программа" not in body


def test_the_roadmap_as_a_calendar(tenant_a: Tenant, program: Program) -> None:
    from icalendar import Calendar

    RoadmapItem.objects.create(
        organization=program.organization,
        program=program,
        title="Обучение наставников",
        starts_on=dt.date(2026, 10, 1),
        due_on=dt.date(2026, 10, 15),
        responsible="Иванова А. С.",
    )
    response = login(tenant_a.curator).get(reverse("programs:roadmap_calendar", args=[program.pk]))
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert (str(event["summary"]), event.decoded("dtstart"), event.decoded("dtend")) == (
        "Обучение наставников",
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 16),
    )
    assert "Ответственный: Иванова А. С." in str(event["description"])


def test_the_person_page_shows_the_bases_to_the_staff_only(
    tenant_a: Tenant, program: Program
) -> None:
    teacher = tenant_a.mentor_person
    give_consent(tenant_a.curator, teacher)
    enrolment_upsert(actor=tenant_a.curator, program=program, person=teacher, role="mentor")
    url = reverse("people:detail", args=[teacher.pk])
    staff_body = login(tenant_a.curator).get(url).content.decode()
    own_body = login(tenant_a.mentor).get(url).content.decode()
    assert (program.title in staff_body, program.title in own_body) == (True, False)


# --- How a group counts against its mentors' capacity ----------------------------------------


def _post_edit(client: Client, program: Program, **changes: object) -> HttpResponse:
    """The program's edit form posted as the page renders it, with ``changes``."""
    form = client.get(reverse("programs:edit", args=[program.pk])).context["form"]
    data: dict[str, object] = {}
    for name, field in form.fields.items():
        value = changes[name] if name in changes else form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(getattr(v, "pk", v)) for v in value]
        else:
            data[name] = "" if value is None else value
    return client.post(reverse("programs:edit", args=[program.pk]), data)


def test_a_group_takes_one_place_by_default_and_the_form_says_so(
    tenant_a: Tenant, program: Program
) -> None:
    assert program.group_counts_as_one_place
    page = login(tenant_a.curator).get(reverse("programs:edit", args=[program.pk]))
    text = page.content.decode()
    assert page.context["form"]["group_counts_as_one_place"].value() is True
    assert "Группа занимает одно место наставника" in text
    assert "каждый участник группы занимает место" in text
    assert re.search(r'<input type="checkbox" name="group_counts_as_one_place"[^>]* checked', text)


def test_the_curator_chooses_how_a_group_counts(tenant_a: Tenant, program: Program) -> None:
    program.models_used.add(MentoringModel.objects.get(code="group"))
    client = login(tenant_a.curator)
    response = _post_edit(client, program, group_counts_as_one_place=False)
    assert response.status_code == 302
    program.refresh_from_db()
    assert not program.group_counts_as_one_place
    detail = client.get(reverse("programs:detail", kwargs={"program_id": program.pk}))
    assert "каждый участник группы занимает место у каждого её наставника" in (
        detail.content.decode()
    )
    _post_edit(client, program, group_counts_as_one_place=True)
    program.refresh_from_db()
    assert program.group_counts_as_one_place


def test_counting_every_member_is_refused_if_a_mentor_would_go_above_capacity(
    tenant_a: Tenant, program: Program
) -> None:
    """A mentor of two places leads a group of three (one place): counting every member would
    make it three of two, so the switch is refused and says whom it concerns."""
    teacher = mentor(program, capacity=2)
    mentorship_create(
        actor=tenant_a.curator,
        program=program,
        mentors=[teacher],
        mentees=[mentee(program) for _ in range(3)],
    )
    response = _post_edit(login(tenant_a.curator), program, group_counts_as_one_place=False)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Сначала увеличьте число их мест" in text
    assert f"{teacher.person.full_name} (занято 3 при 2 местах)" in text
    program.refresh_from_db()
    assert program.group_counts_as_one_place


def test_approving_every_candidate_of_a_base_at_once(tenant_a: Tenant, program: Program) -> None:
    pupils = PersonFactory.create_batch(3, organization=tenant_a.organization)
    teacher = TeacherFactory.create(organization=tenant_a.organization)
    for person in (*pupils, teacher):
        give_consent(tenant_a.curator, person)
    for pupil in pupils:
        enrolment_upsert(actor=tenant_a.curator, program=program, person=pupil, role="mentee")
    enrolment_upsert(actor=tenant_a.curator, program=program, person=teacher, role="mentor")
    withdrawn = Enrolment.objects.get(program=program, person=pupils[0])
    withdrawn.status = "withdrawn"
    withdrawn.save()
    client = login(tenant_a.curator)
    url = reverse("programs:base", args=[program.pk])
    assert "Одобрить всех кандидатов (2)" in client.get(url).content.decode()

    response = client.post(url, {"approve": "mentee"}, follow=True)
    assert "Одобрены 2 кандидатуры." in response.content.decode()
    statuses = dict(Enrolment.objects.filter(program=program).values_list("person_id", "status"))
    assert statuses == {
        pupils[0].pk: "withdrawn",
        pupils[1].pk: "approved",
        pupils[2].pk: "approved",
        teacher.pk: "candidate",  # the other base is left alone
    }
    assert "Одобрить всех кандидатов" not in response.content.decode().split('id="mentees"')[1]
    approved = AuditEntry.objects.filter(
        action="enrolment.update", data__fields=["status"], actor=tenant_a.curator
    )
    assert set(approved.values_list("person_id", flat=True)) == {pupils[1].pk, pupils[2].pk}
    assert approved.count() == 2
    # a mentor of the organization is not its curator
    assert login(tenant_a.mentor).post(url, {"approve": "mentor"}).status_code in (403, 404)
    assert Enrolment.objects.get(program=program, person=teacher).status == "candidate"
