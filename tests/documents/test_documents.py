"""Generated documents: open the .docx and the PDF and read their text."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from nastavnik.core.jobs import JobStatus
from nastavnik.documents.context import PairGroup
from nastavnik.documents.jobs import document_execute, document_queue
from nastavnik.documents.layouts import default_html
from nastavnik.documents.models import DocumentJob, DocumentTemplate, IssuedDocument
from nastavnik.documents.render import default_docx
from nastavnik.documents.services import document_generate, document_template_save
from nastavnik.programs.models import Program, RoadmapItem
from nastavnik.programs.services import enrolment_upsert
from tests.conftest import Tenant, login
from tests.factories import PersonFactory, TeacherFactory
from tests.programs.conftest import give_consent

pytestmark = pytest.mark.django_db


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def staffed(tenant_a: Tenant, program: Program) -> Program:
    organization = program.organization
    organization.head_name = "Директорова Ольга Петровна"
    organization.head_position = "Директор"
    organization.save()
    tenant_a.curator.last_name, tenant_a.curator.first_name, tenant_a.curator.middle_name = (
        "Кураторов",
        "Пётр",
        "Ильич",
    )
    tenant_a.curator.save()
    program.title = "Успешный старт"
    program.goals = "Раскрытие потенциала каждого обучающегося"
    program.save()
    return program


def _pair(tenant: Tenant) -> PairGroup:
    mentor = TeacherFactory.create(
        organization=tenant.organization,
        last_name="Иванова",
        first_name="Анна",
        middle_name="Сергеевна",
        sex="",
    )
    mentees = [
        PersonFactory.create(
            organization=tenant.organization,
            last_name="Петров",
            first_name="Пётр",
            middle_name="Ильич",
            class_name="7Б",
        ),
        PersonFactory.create(
            organization=tenant.organization,
            last_name="Иванова-Петрова",
            first_name="Мария",
            middle_name="Ивановна",
            class_name="7Б",
        ),
    ]
    return PairGroup(mentors=[mentor], mentees=mentees)


def test_the_pairs_order_in_word_declines_the_names(tenant_a: Tenant, staffed: Program) -> None:
    document = document_generate(
        actor=tenant_a.curator,
        program=staffed,
        kind="pairs-order",
        fmt="docx",
        number="45-о",
        signed_on=dt.date(2026, 9, 25),
        groups=[_pair(tenant_a)],
    )
    text = docx_text(document.content)
    assert (
        "1.1. Закрепить за наставником Ивановой Анной Сергеевной "
        "Петрова Петра Ильича (7Б), Иванову-Петрову Марию Ивановну (7Б)."
    ) in text
    assert "25.09.2026\t№ 45-о" in text
    assert "Куратору Кураторову Петру Ильичу" in text
    assert "Директор\tО. П. Директорова" in text


def test_the_pairs_order_in_pdf_declines_the_names(tenant_a: Tenant, staffed: Program) -> None:
    document = document_generate(
        actor=tenant_a.curator,
        program=staffed,
        kind="pairs-order",
        fmt="pdf",
        number="45-о",
        signed_on=dt.date(2026, 9, 25),
        groups=[_pair(tenant_a)],
    )
    text = " ".join(pdf_text(document.content).split())
    assert document.content.startswith(b"%PDF")
    assert "Закрепить за наставником Ивановой Анной Сергеевной Петрова Петра Ильича (7Б)" in text
    assert "О закреплении наставнических пар (групп)" in text
    assert "О. П. Директорова" in text


def test_an_order_enters_the_register(tenant_a: Tenant, staffed: Program) -> None:
    document_generate(
        actor=tenant_a.curator,
        program=staffed,
        kind="implementation-order",
        fmt="docx",
        number="12",
        signed_on=dt.date(2026, 9, 1),
    )
    issued = IssuedDocument.objects.get(program=staffed)
    assert (issued.number, issued.signed_on, issued.kind) == (
        "12",
        dt.date(2026, 9, 1),
        "implementation-order",
    )


def test_the_implementation_order_appoints_the_curator(tenant_a: Tenant, staffed: Program) -> None:
    document = document_generate(
        actor=tenant_a.curator,
        program=staffed,
        kind="implementation-order",
        fmt="docx",
        number="12",
        signed_on=dt.date(2026, 9, 1),
    )
    text = docx_text(document.content)
    assert "куратором внедрения целевой модели наставничества Кураторова Петра Ильича." in text


def test_the_regulation_lists_the_seven_stages(tenant_a: Tenant, staffed: Program) -> None:
    document = document_generate(
        actor=tenant_a.curator, program=staffed, kind="regulation", fmt="pdf"
    )
    text = " ".join(pdf_text(document.content).split())
    assert "ПОЛОЖЕНИЕ" in text
    assert "7. Завершение" in text


def test_the_roadmap_document_has_its_table(tenant_a: Tenant, staffed: Program) -> None:
    RoadmapItem.objects.create(
        organization=staffed.organization,
        program=staffed,
        title="Обучение наставников",
        starts_on=dt.date(2026, 10, 1),
        due_on=dt.date(2026, 10, 31),
        responsible="Кураторов П. И.",
    )
    document = document_generate(
        actor=tenant_a.curator, program=staffed, kind="roadmap", fmt="docx"
    )
    text = docx_text(document.content)
    assert (
        "1 | Обучение наставников |  | 01.10.2026 – 31.10.2026 | Кураторов П. И. |  | запланировано"
        in text
    )


def test_the_program_document(tenant_a: Tenant, staffed: Program) -> None:
    document = document_generate(
        actor=tenant_a.curator, program=staffed, kind="program", fmt="docx"
    )
    text = docx_text(document.content)
    assert "«Успешный старт» на 2026/2027 учебный год" in text
    assert "Раскрытие потенциала каждого обучающегося" in text


def test_a_pairs_order_needs_pairs(tenant_a: Tenant, staffed: Program) -> None:
    with pytest.raises(ValidationError):
        document_generate(actor=tenant_a.curator, program=staffed, kind="pairs-order", fmt="pdf")


def test_a_mentor_cannot_generate(tenant_a: Tenant, staffed: Program) -> None:
    with pytest.raises(PermissionDenied):
        document_generate(actor=tenant_a.mentor, program=staffed, kind="regulation", fmt="pdf")


def test_the_organizations_html_template_is_used(tenant_a: Tenant, staffed: Program) -> None:
    html = default_html("regulation").replace("ПОЛОЖЕНИЕ", "ПОЛОЖЕНИЕ ШКОЛЫ НОМЕР ОДИН")
    document_template_save(
        actor=tenant_a.curator, organization=staffed.organization, kind="regulation", html=html
    )
    document = document_generate(
        actor=tenant_a.curator, program=staffed, kind="regulation", fmt="pdf"
    )
    assert "ПОЛОЖЕНИЕ ШКОЛЫ НОМЕР ОДИН" in pdf_text(document.content)


def test_a_broken_html_template_is_refused(tenant_a: Tenant, staffed: Program) -> None:
    with pytest.raises(ValidationError):
        document_template_save(
            actor=tenant_a.curator,
            organization=staffed.organization,
            kind="regulation",
            html="{% for x in %}",
        )


def test_an_uploaded_word_template_is_used(tenant_a: Tenant, staffed: Program) -> None:
    template = Document()
    template.add_paragraph("Программа {{ program.title }} школы {{ organization.short_name }}")
    buffer = io.BytesIO()
    template.save(buffer)
    document_template_save(
        actor=tenant_a.curator,
        organization=staffed.organization,
        kind="program",
        docx=buffer.getvalue(),
    )
    document = document_generate(
        actor=tenant_a.curator, program=staffed, kind="program", fmt="docx"
    )
    assert (
        docx_text(document.content)
        == f"Программа Успешный старт школы {staffed.organization.short_name}"
    )


def test_a_file_that_is_not_a_word_template_is_refused(tenant_a: Tenant, staffed: Program) -> None:
    with pytest.raises(ValidationError):
        document_template_save(
            actor=tenant_a.curator,
            organization=staffed.organization,
            kind="program",
            docx=b"not a docx",
        )
    assert not DocumentTemplate.objects.filter(
        organization=staffed.organization, docx__gt=""
    ).exists()


def test_the_default_word_template_is_valid(tenant_a: Tenant) -> None:
    text = docx_text(default_docx("pairs-order"))
    assert "{%p for g in groups %}" in text


def test_the_pairs_order_page_fixes_the_chosen_pairs(
    tenant_a: Tenant, tenant_b: Tenant, staffed: Program, django_capture_on_commit_callbacks: Any
) -> None:
    """The order is generated in the background (2–3 s for the demo's 33 pairs): the form
    queues it, its page polls, the link downloads the file; nobody else reaches it."""
    mentor = TeacherFactory.create(
        organization=tenant_a.organization,
        last_name="Иванова",
        first_name="Анна",
        middle_name="Сергеевна",
    )
    mentee = PersonFactory.create(
        organization=tenant_a.organization,
        last_name="Сидоров",
        first_name="Иван",
        middle_name="Петрович",
        class_name="5А",
    )
    for person, role in ((mentor, "mentor"), (mentee, "mentee")):
        give_consent(tenant_a.curator, person)
        enrolment_upsert(actor=tenant_a.curator, program=staffed, person=person, role=role)
    client = login(tenant_a.curator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("documents:generate", args=[staffed.pk, "pairs-order"]),
            {
                "number": "7",
                "signed_on": "25.09.2026",
                "fmt": "docx",
                f"mentor_for_{mentee.pk}": mentor.pk,
            },
        )
    job = DocumentJob.objects.get(program=staffed)
    assert response["Location"] == reverse("documents:job", args=[job.pk])
    assert job.status == JobStatus.DONE
    assert job.pairs == [[mentor.pk, [mentee.pk]]]
    assert job.result_file.name.startswith("jobs/documents-documentjob/")
    # The register has the order, as when it was generated on the page.
    assert IssuedDocument.objects.filter(program=staffed, number="7").exists()
    status = client.get(reverse("documents:job_status", args=[job.pk]) + "?was=running")
    assert status["HX-Refresh"] == "true"
    download = reverse("documents:job_download", args=[job.pk])
    assert download in status.content.decode()
    response = client.get(download)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert (
        "Закрепить за наставником Ивановой Анной Сергеевной Сидорова Ивана Петровича (5А)."
        in docx_text(content)
    )
    for name in ("documents:job", "documents:job_status", "documents:job_download"):
        assert login(tenant_b.curator).get(reverse(name, args=[job.pk])).status_code == 404
        assert login(tenant_a.mentor).get(reverse(name, args=[job.pk])).status_code == 404


def test_a_document_job_shows_its_progress_and_its_failure(
    tenant_a: Tenant, staffed: Program
) -> None:
    job = DocumentJob.objects.create(
        organization=tenant_a.organization,
        program=staffed,
        kind="pairs-order",
        fmt="pdf",
        created_by=tenant_a.curator,
    )
    client = login(tenant_a.curator)
    page = client.get(reverse("documents:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert client.get(reverse("documents:job_download", args=[job.pk])).status_code == 404
    # The worker finds no pair in the bases any more: the job fails with the reason.
    document_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "хотя бы одну пару" in job.error
    page = client.get(reverse("documents:job", args=[job.pk])).content.decode()
    assert "хотя бы одну пару" in page
    assert "hx-trigger" not in page
    assert document_execute(job_id=job.pk) is None  # no longer queued: never run twice


def test_an_order_without_pairs_is_refused_before_queueing(
    tenant_a: Tenant, staffed: Program
) -> None:
    with pytest.raises(ValidationError):
        document_queue(
            actor=tenant_a.curator, program=staffed, kind="pairs-order", fmt="docx", pairs={}
        )
    with pytest.raises(PermissionDenied):
        document_queue(actor=tenant_a.mentor, program=staffed, kind="regulation", fmt="docx")
    assert not DocumentJob.objects.exists()


def test_templates_page_and_download(tenant_a: Tenant, staffed: Program) -> None:
    client = login(tenant_a.curator)
    org = staffed.organization.pk
    assert client.get(reverse("documents:templates", args=[org])).status_code == 200
    response = client.get(
        reverse("documents:template_edit", args=[org, "regulation"]) + "?download=docx"
    )
    assert "{{ organization.name }}" in docx_text(response.content)


@pytest.mark.parametrize("url", ["file:///etc/hostname", "http://127.0.0.1:9/secret.css"])
def test_an_edited_template_cannot_make_the_server_fetch(url: str) -> None:
    from nastavnik.documents.render import url_fetcher

    with pytest.raises(ValueError, match="disallowed protocol"):
        url_fetcher().fetch(url)


def test_an_embedded_image_still_renders(tenant_a: Tenant, staffed: Program) -> None:
    pixel = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
        "/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
    )
    html = f'<img src="{pixel}" alt="герб"><p>Положение {{{{ organization.short_name }}}}</p>'
    document_template_save(
        actor=tenant_a.curator, organization=staffed.organization, kind="regulation", html=html
    )
    document = document_generate(
        actor=tenant_a.curator, program=staffed, kind="regulation", fmt="pdf"
    )
    reader = PdfReader(io.BytesIO(document.content))
    images = [image for page in reader.pages for image in page.images]
    assert (len(images), staffed.organization.short_name in pdf_text(document.content)) == (1, True)
