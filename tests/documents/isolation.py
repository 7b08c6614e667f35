"""Object makers for the documents' URLs (see tests/isolation.py)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from nastavnik.documents.models import DocumentJob
from nastavnik.programs.models import Enrolment, Program
from tests.conftest import Tenant
from tests.factories import ProgramFactory, TeacherFactory
from tests.isolation import Maker, PostBody


def _kind(tenant: Tenant) -> object:
    return "pairs-order"


def _document_job_id(tenant: Tenant) -> object:
    program = ProgramFactory.create(organization=tenant.organization)
    job = DocumentJob(
        organization=tenant.organization,
        program=program,
        kind="regulation",
        fmt="docx",
        created_by=tenant.curator,
        status="done",
        result_name="regulation.docx",
    )
    job.result_file.save("regulation.docx", ContentFile(b"PK"), save=False)
    job.save()
    return job.pk


# Not an object of its own: the program or the organization next to it decides who may open it,
# and a mentor may not open documents at all.
OBJECT_MAKERS: dict[str, Maker] = {
    "kind": Maker(_kind),
    "document_job_id": Maker(_document_job_id),
}


def _pairs_order(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    """The order fixing a pair of the program: a teacher for the victim's pupil."""
    program = Program.objects.get(pk=values["program_id"])
    teacher = TeacherFactory.create(organization=victim.organization)
    for person, role in ((teacher, "mentor"), (victim.student, "mentee")):
        Enrolment.objects.create(
            organization=victim.organization, program=program, person=person, role=role
        )
    return {
        "number": "7",
        "signed_on": "2026-09-01",
        "fmt": "docx",
        f"mentor_for_{victim.student.pk}": str(teacher.pk),
    }


POST_BODIES: dict[str, PostBody] = {
    # The order of pairs for a base without pairs yet: the document is issued all the same.
    "documents:generate": _pairs_order,
    "documents:template_edit": lambda victim, values: {"html": "<p>Приказ № {{ number }}</p>"},
}

NO_FORM: set[str] = {
    "documents:program",
    "documents:templates",
    "documents:job",
    "documents:job_status",
    "documents:job_download",
}
