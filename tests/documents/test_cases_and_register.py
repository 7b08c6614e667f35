"""Documents read as Russian documents (issue 16, item 13): the school's name declined in
context, the program's title not doubled, the consent form in the right cases, the signature
line capitalised; one entry of the register per order, whatever the formats downloaded; the
order for pairs printed and recorded on the pairs in one transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from nastavnik.documents.declension import decline_organization, decline_position
from nastavnik.documents.models import IssuedDocument
from nastavnik.documents.services import document_generate
from nastavnik.mentorships import orders
from nastavnik.mentorships.models import Mentorship
from nastavnik.mentorships.orders import pairs_order_issue
from nastavnik.mentorships.services import mentorship_create
from nastavnik.programs.models import Program
from tests.conftest import Tenant, login
from tests.documents.test_documents import docx_text, pdf_text
from tests.factories import PersonFactory
from tests.matching.factories import mentee, mentor
from tests.mentorships.orders import order_print

pytestmark = pytest.mark.django_db

SCHOOL = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»"


@pytest.fixture
def school(tenant_a: Tenant, program: Program) -> Program:
    organization = program.organization
    organization.name = SCHOOL
    organization.head_name = "Волков Андрей Николаевич"
    organization.head_position = "директор"
    organization.save()
    program.title = (
        f"Программа наставничества «ученик – ученик» на {program.academic_year.title} учебный год"
    )
    program.save()
    return program


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("gent", "Муниципального бюджетного общеобразовательного учреждения «Средняя школа № 1»"),
        ("datv", "Муниципальному бюджетному общеобразовательному учреждению «Средняя школа № 1»"),
        ("accs", SCHOOL),
        ("loct", "Муниципальном бюджетном общеобразовательном учреждении «Средняя школа № 1»"),
    ],
)
def test_the_head_phrase_of_a_name_declines_and_the_proper_name_stays(
    case: str, expected: str
) -> None:
    assert decline_organization(SCHOOL, case) == expected


def test_other_names_of_organizations() -> None:
    assert decline_organization("Средняя общеобразовательная школа № 5", "gent") == (
        "Средней общеобразовательной школы № 5"
    )
    assert decline_organization("Лицей № 2", "accs") == "Лицей № 2"
    assert decline_organization("Автономная некоммерческая организация «Рост»", "accs") == (
        "Автономную некоммерческую организацию «Рост»"
    )
    # An abbreviation is left as it is: the nominative is never wrong in meaning.
    assert decline_organization("МБОУ «Школа № 1»", "gent") == "МБОУ «Школа № 1»"
    assert decline_position("директор", "datv") == "директору"
    assert decline_position("заведующая", "datv") == "заведующей"
    assert decline_position("генеральный директор", "datv") == "генеральному директору"


def test_the_implementation_order_declines_the_school(tenant_a: Tenant, school: Program) -> None:
    document = document_generate(
        actor=tenant_a.curator,
        program=school,
        kind="implementation-order",
        fmt="docx",
        number="12",
        signed_on=dt.date(2026, 9, 1),
    )
    text = docx_text(document.content)
    assert (
        "1. Внедрить целевую модель наставничества в Муниципальном бюджетном "
        "общеобразовательном учреждении «Средняя школа № 1» в "
    ) in text
    # The signature line starts with a capital letter, whatever the organization's record says.
    assert "Директор\tА. Н. Волков" in text


def test_the_program_title_is_not_doubled(tenant_a: Tenant, school: Program) -> None:
    year = school.academic_year.title
    for kind in ("program", "roadmap", "implementation-order"):
        text = docx_text(
            document_generate(actor=tenant_a.curator, program=school, kind=kind, fmt="docx").content
        )
        assert f"«ученик – ученик» на {year} учебный год" in text, kind
        assert "«Программа наставничества" not in text, kind
        assert text.count(f"на {year} учебный год» на") == 0, kind


def test_the_consent_form_speaks_in_cases(tenant_a: Tenant, school: Program) -> None:
    pupil = PersonFactory.create(
        organization=tenant_a.organization,
        last_name="Новикова",
        first_name="Дарья",
        middle_name="Алексеевна",
        sex="female",
        birth_date=dt.date.today() - dt.timedelta(days=365 * 12),
        class_name="7Б",
    )
    url = reverse("consents:form_pdf", kwargs={"person_id": pupil.pk})
    response = login(tenant_a.curator).get(url + "?purpose=personal_data")
    text = " ".join(pdf_text(response.content).split())
    assert (
        "Директору Муниципального бюджетного общеобразовательного учреждения "
        "«Средняя школа № 1» Волкову Андрею Николаевичу"
    ) in text
    assert "являясь родителем (законным представителем) Новиковой Дарьи Алексеевны" in text
    assert "Руководителю:" not in text


def test_one_order_downloaded_as_word_then_pdf_is_registered_once(
    tenant_a: Tenant, school: Program
) -> None:
    generated = [
        document_generate(
            actor=tenant_a.curator,
            program=school,
            kind="implementation-order",
            fmt=fmt,
            number="12 ",
            signed_on=dt.date(2026, 9, 1),
        )
        for fmt in ("docx", "pdf", "docx")
    ]
    issued = IssuedDocument.objects.get(program=school)
    assert {g.issued.pk for g in generated if g.issued} == {issued.pk}
    assert issued.number == "12"
    # Another number is another order.
    document_generate(
        actor=tenant_a.curator,
        program=school,
        kind="implementation-order",
        fmt="pdf",
        number="13",
        signed_on=dt.date(2026, 9, 1),
    )
    assert IssuedDocument.objects.filter(program=school).count() == 2


def _pairs(tenant: Tenant, program: Program) -> list[Mentorship]:
    return [
        mentorship_create(
            actor=tenant.curator,
            program=program,
            mentors=[mentor(program)],
            mentees=[mentee(program)],
        )
        for _ in range(2)
    ]


def test_the_order_page_registers_the_pairs_order_once(tenant_a: Tenant, school: Program) -> None:
    pairs = _pairs(tenant_a, school)
    client = login(tenant_a.curator)
    for fmt in ("docx", "pdf"):
        _job, response = order_print(
            client, school.pk, {"number": "15-о", "signed_on": "25.09.2026", "fmt": fmt}
        )
        assert response.status_code == 200
    assert IssuedDocument.objects.filter(program=school, kind="pairs-order").count() == 1
    for pair in pairs:
        pair.refresh_from_db()
        assert (pair.order_number, pair.order_date) == ("15-о", dt.date(2026, 9, 25))


def test_the_order_and_its_record_on_the_pairs_are_one_transaction(
    tenant_a: Tenant, school: Program, monkeypatch: pytest.MonkeyPatch
) -> None:
    pairs = _pairs(tenant_a, school)

    def refuse(**kwargs: object) -> int:
        raise ValidationError("refused")

    monkeypatch.setattr(orders, "mentorship_set_order", refuse)
    with pytest.raises(ValidationError):
        pairs_order_issue(
            actor=tenant_a.curator,
            program=school,
            mentorships=pairs,
            fmt="docx",
            number="15-о",
            signed_on=dt.date(2026, 9, 25),
        )
    assert not IssuedDocument.objects.filter(program=school).exists()
