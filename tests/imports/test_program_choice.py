"""The program the rows with «Роль в программе» / «Форма наставничества» are enrolled in: chosen
by the curator among the organization's programs of the current year (the only one by default),
or none; the preview says where they go, the commit enrols them there."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from nastavnik.imports.models import ImportBatch, ProgramChoice
from nastavnik.imports.services import import_commit, import_program_choose
from nastavnik.people.models import Competency, CompetencyArea, ProfileDeficit
from nastavnik.programs.models import Enrolment, MentoringForm, Program
from tests.conftest import login
from tests.factories import ProgramFactory
from tests.imports.helpers import HEADER, PUPIL, TEACHER, row, xlsx_bytes
from tests.imports.test_commit import people, upload
from tests.imports.test_views import post_file

CONSENT = {"consent_date": "01.12.2026"}
MENTEE = {**PUPIL, **CONSENT, "representative": "Петрова Мария Ивановна", "role": "наставляемый"}
MENTOR = {**TEACHER, **CONSENT, "role": "наставник", "capacity": "2"}
TEACHER_STUDENT = "учитель – ученик"


def program(tenant: Any, title: str, form: str = "teacher-student") -> Program:
    return ProgramFactory(
        organization=tenant.organization,
        title=title,
        form=MentoringForm.objects.get(code=form),
    )


def rows(form: str = TEACHER_STUDENT) -> bytes:
    return xlsx_bytes([row(**MENTEE, form=form), row(**MENTOR, form=form)])


def enrolled(program: Program) -> set[tuple[str, str]]:
    return set(Enrolment.objects.filter(program=program).values_list("person__last_name", "role"))


def test_the_only_program_of_the_form_is_chosen_by_default(tenant_a: Any) -> None:
    only = program(tenant_a, "Олимпиадный резерв")
    program(tenant_a, "Студенты – школьникам", form="university-student-student")
    batch = upload(tenant_a, rows())
    assert (batch.program_choice, batch.program) == (ProgramChoice.PROGRAM, only)
    assert batch.enrol_roles == {"mentee": 1, "mentor": 1}
    import_commit(actor=tenant_a.curator, batch=batch)
    assert enrolled(only) == {("Петров", "mentee"), ("Смирнова", "mentor")}


def test_with_two_programs_the_curator_chooses_and_the_preview_says_so(tenant_a: Any) -> None:
    first = program(tenant_a, "Олимпиадный резерв")
    chosen = program(tenant_a, "Учитель – ученик: к олимпиаде вместе")
    client = login(tenant_a.curator)
    page = post_file(client, tenant_a, rows(), "people.xlsx").content.decode()
    batch = ImportBatch.objects.get(organization=tenant_a.organization)
    assert batch.program is None
    assert "выберите программу, в которую зачислить людей" in page
    assert "Импортировать" not in page
    assert f'<option value="{first.pk}">Олимпиадный резерв (учитель – ученик)</option>' in page
    assert '<option value="none">не зачислять в программу</option>' in page

    # The commit waits for the choice.
    page = client.post(reverse("imports:commit", args=[batch.pk]), follow=True).content.decode()
    assert "выберите программу" in page
    assert not Enrolment.objects.filter(program__in=[first, chosen]).exists()

    page = client.post(
        reverse("imports:program", args=[batch.pk]), {"program": chosen.pk}, follow=True
    ).content.decode()
    assert (
        "Будут зачислены в программу „Учитель – ученик: к олимпиаде вместе“ как наставники: 1, "
        "как наставляемые: 1."
    ) in page
    assert f'<option value="{chosen.pk}" selected>' in page
    page = client.post(reverse("imports:commit", args=[batch.pk]), follow=True).content.decode()
    assert "Зачислены в программу „Учитель – ученик: к олимпиаде вместе“" in page
    assert enrolled(chosen) == {("Петров", "mentee"), ("Смирнова", "mentor")}
    assert not enrolled(first)


def test_a_row_of_another_form_than_the_programs_is_a_row_problem(tenant_a: Any) -> None:
    chosen = program(tenant_a, "Олимпиадный резерв")
    program(tenant_a, "Ещё одна")
    data = xlsx_bytes(
        [row(**MENTEE, form=TEACHER_STUDENT), row(**MENTOR, form="учитель – учитель")]
    )
    batch = upload(tenant_a, data)
    batch = import_program_choose(actor=tenant_a.curator, batch=batch, program=chosen)
    from nastavnik.imports.services import import_analyze

    batch = import_analyze(batch_id=batch.pk)
    assert batch.invalid_rows == 1
    assert batch.issues == [
        {
            "row": 3,
            "column": "Форма наставничества",
            "message": "форма «учитель – учитель» не совпадает с формой выбранной программы "
            "«Олимпиадный резерв» («учитель – ученик»): исправьте форму, выберите программу "
            "этой формы или «не зачислять в программу»",
        }
    ]
    with pytest.raises(ValidationError):
        import_commit(actor=tenant_a.curator, batch=batch)
    import_analyze(batch_id=batch.pk)
    batch.refresh_from_db()
    import_commit(actor=tenant_a.curator, batch=batch, skip_invalid=True)
    assert enrolled(chosen) == {("Петров", "mentee")}


def test_a_row_without_a_form_takes_the_chosen_programs(tenant_a: Any) -> None:
    only = program(tenant_a, "Олимпиадный резерв")
    batch = upload(tenant_a, rows(form=""))
    assert batch.program == only, "no form in the file: any program of the year is offered"
    assert batch.invalid_rows == 0
    import_commit(actor=tenant_a.curator, batch=batch)
    assert enrolled(only) == {("Петров", "mentee"), ("Смирнова", "mentor")}


def test_do_not_enrol_imports_the_people_only(tenant_a: Any) -> None:
    only = program(tenant_a, "Олимпиадный резерв")
    client = login(tenant_a.curator)
    post_file(client, tenant_a, rows(), "people.xlsx")
    batch = ImportBatch.objects.get(organization=tenant_a.organization)
    page = client.post(
        reverse("imports:program", args=[batch.pk]), {"program": "none"}, follow=True
    ).content.decode()
    assert "Люди не будут зачислены ни в одну программу" in page
    batch.refresh_from_db()
    assert (batch.program_choice, batch.enrolments, batch.to_create) == ("none", 0, 2)
    client.post(reverse("imports:commit", args=[batch.pk]))
    assert people(tenant_a).filter(last_name__in=["Петров", "Смирнова"]).count() == 2
    assert not Enrolment.objects.filter(program=only).exists()
    assert not Program.objects.exclude(pk=only.pk).filter(organization=tenant_a.organization)


def test_a_program_of_another_organization_cannot_be_chosen(tenant_a: Any, tenant_b: Any) -> None:
    program(tenant_a, "Олимпиадный резерв")
    program(tenant_a, "Ещё одна")
    foreign = program(tenant_b, "Чужая программа")
    client = login(tenant_a.curator)
    post_file(client, tenant_a, rows(), "people.xlsx")
    batch = ImportBatch.objects.get(organization=tenant_a.organization)
    page = client.post(
        reverse("imports:program", args=[batch.pk]), {"program": foreign.pk}, follow=True
    ).content.decode()
    assert "Выберите одну из предложенных программ." in page
    assert "Чужая программа" not in page
    batch.refresh_from_db()
    assert (batch.program, batch.program_choice) == (None, "")
    with pytest.raises(ValidationError):
        import_program_choose(actor=tenant_a.curator, batch=batch, program=foreign)
    # Another organization's curator cannot reach the import at all.
    response = login(tenant_b.curator).post(
        reverse("imports:program", args=[batch.pk]), {"program": foreign.pk}
    )
    assert response.status_code == 404


def test_the_command_line_takes_the_program(tenant_a: Any, tenant_b: Any, tmp_path: Any) -> None:
    program(tenant_a, "Олимпиадный резерв")
    chosen = program(tenant_a, "Учитель – ученик: к олимпиаде вместе")
    path = tmp_path / "people.xlsx"
    path.write_bytes(rows())
    code = tenant_a.organization.code
    with pytest.raises(CommandError, match="нет программы с id"):
        call_command(
            "import_people",
            str(path),
            organization=code,
            program=str(program(tenant_b, "Чужая").pk),
        )
    out = io.StringIO()
    call_command(
        "import_people",
        str(path),
        organization=code,
        actor=tenant_a.curator.username,
        program=str(chosen.pk),
        stdout=out,
    )
    assert "создано: 2" in out.getvalue()
    assert enrolled(chosen) == {("Петров", "mentee"), ("Смирнова", "mentor")}


def test_an_xlsx_round_trip_with_program_and_deficits(tenant_a: Any) -> None:
    """A workbook built here with openpyxl, a cell of deficits over several lines."""
    area = CompetencyArea.objects.create(code="gaps", name="Пробелы", position=99)
    gaps = Competency.objects.create(area=area, code="math-gaps", name="Пробелы в математике")
    chosen = program(tenant_a, "Олимпиадный резерв")
    program(tenant_a, "Ещё одна")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Люди"
    sheet.append(HEADER)
    sheet.append(
        row(
            **MENTEE,
            form=TEACHER_STUDENT,
            request="пробелы по математике\nРобототехника\nстесняется отвечать у доски",
        )
    )
    sheet.append(row(**MENTOR, form=TEACHER_STUDENT))
    out = io.BytesIO()
    workbook.save(out)

    client = login(tenant_a.curator)
    response = client.post(
        reverse("imports:list"),
        {
            "organization": tenant_a.organization.pk,
            "file": SimpleUploadedFile("люди.xlsx", out.getvalue()),
        },
        follow=True,
    )
    page = response.content.decode()
    assert (
        "строка 2, столбец «Запрос / дефициты»: «стесняется отвечать у доски» не найден в "
        "перечне дефицитов — сохранён как текст"
    ) in page
    batch = ImportBatch.objects.get(organization=tenant_a.organization)
    client.post(reverse("imports:program", args=[batch.pk]), {"program": chosen.pk})
    client.post(reverse("imports:commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == ("done", 2)
    pupil = people(tenant_a).get(last_name="Петров")
    assert pupil.profile.request == "стесняется отвечать у доски"
    assert set(
        ProfileDeficit.objects.filter(profile=pupil.profile).values_list("competency", flat=True)
    ) == {gaps.pk, Competency.objects.get(code="robotics").pk}
    assert enrolled(chosen) == {("Петров", "mentee"), ("Смирнова", "mentor")}


def test_the_api_chooses_the_program(tenant_a: Any, tenant_b: Any) -> None:
    from tests.api.helpers import patch, token_client

    program(tenant_a, "Олимпиадный резерв")
    chosen = program(tenant_a, "Учитель – ученик: к олимпиаде вместе")
    foreign = program(tenant_b, "Чужая программа")
    batch = upload(tenant_a, rows())
    url = f"/api/v1/imports/{batch.pk}"
    mine = token_client(tenant_a.curator, organization=tenant_a.organization)
    assert patch(mine, url, {"program_id": foreign.pk}).status_code == 422
    outsider = token_client(tenant_b.curator, organization=tenant_b.organization)
    assert patch(outsider, url, {"program_id": foreign.pk}).status_code == 404
    read_only = token_client(tenant_a.curator, organization=tenant_a.organization, can_write=False)
    assert patch(read_only, url, {"program_id": chosen.pk}).status_code == 403
    answer = patch(mine, url, {"program_id": chosen.pk})
    assert answer.status_code == 200, answer.content
    assert answer.json()["program_id"] == chosen.pk
    assert answer.json()["enrol_roles"] == {"mentee": 1, "mentor": 1}
    assert answer.json()["status"] == "ready"
    none = patch(mine, url, {"program_id": None}).json()
    assert (none["program_choice"], none["program_id"]) == ("none", None)
