"""The library: the shipped starter set for every organization, own resources of an
organization, Russian search across word forms (the market's lemmatizer), checked files and
scoping (another organization's resource does not exist)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from nastavnik.events.catalogue import get_form
from nastavnik.library import selectors, services
from nastavnik.library.models import Resource
from nastavnik.library.starter import STARTER
from tests.conftest import Tenant, login

pytestmark = pytest.mark.django_db


def _own(tenant: Tenant, title: str, body: str = "", **kw: object) -> Resource:
    return services.resource_create(
        actor=tenant.curator,
        organization_id=tenant.organization.pk,
        title=title,
        body=body or "Текст",
        **kw,
    )


def _titles(tenant: Tenant, query: str) -> list[str]:
    hits, _read_as = selectors.resource_search(user=tenant.mentor, query=query)
    return [h.resource.title for h in hits]


def test_the_starter_set_is_shipped_for_every_organization(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    shipped = Resource.objects.filter(organization__isnull=True)
    assert set(shipped.values_list("code", flat=True)) == {e.code for e in STARTER}
    memo = shipped.get(code="memo-individual-approach")
    for point in (
        "Когда вмешиваться, а когда нет",
        "Исправлять без упрёка",
        "Сначала похвала",
        "Проверять между шагами, а не только в конце",
        "Не делать работу за наставляемого",
    ):
        assert point in memo.body
    guides = shipped.filter(kind="meeting_guide").values_list("title", flat=True)
    assert len(guides) == 5
    forms = set(shipped.filter(kind="event_form").values_list("title", flat=True))
    assert {"Педагогический ринг", "Квик-настройка", "Фестиваль (конкурс) наставнических пар"} <= (
        forms
    )
    # One source: the library's interactive forms are the events' catalogue, word for word.
    ring = shipped.get(code="form-pedagogical-ring")
    assert ring.summary == get_form("ring").description
    assert get_form("ring").agenda in ring.body
    for tenant in (tenant_a, tenant_b):
        page = login(tenant.mentee).get(reverse("library:detail", kwargs={"resource_id": memo.pk}))
        assert page.status_code == 200
        assert "Сначала похвала" in page.content.decode()


def test_search_finds_every_form_of_a_word(tenant_a: Tenant) -> None:
    _own(tenant_a, "Советы молодому наставнику", "Что делать наставнику на первой встрече.")
    _own(tenant_a, "Роль наставника в школе", "О работе наставника.")
    _own(tenant_a, "Положение о наставничестве", "Порядок организации наставничества.")
    _own(tenant_a, "График дежурств", "Никакого отношения.")
    # «наставники» and «наставник» find «наставнику», «наставника».
    found = _titles(tenant_a, "наставники")
    assert "Советы молодому наставнику" in found
    assert "Роль наставника в школе" in found
    assert "График дежурств" not in found
    # «наставничество» finds «наставничестве», «наставничества» (the same lexeme, any case).
    assert "Положение о наставничестве" in _titles(tenant_a, "наставничество")
    # The starter set answers too: «встречи» finds the meeting guides («Встреча 1. Знакомство»).
    assert "Встреча 1. Знакомство" in _titles(tenant_a, "встречи")
    hits, read_as = selectors.resource_search(user=tenant_a.mentor, query="наставникам")
    assert read_as == ["наставник"]
    assert "<mark>наставнику</mark>" in str(
        next(h.title for h in hits if h.resource.title == "Советы молодому наставнику")
    )


def test_search_finds_a_word_family_below_the_word_itself(tenant_a: Tenant) -> None:
    _own(tenant_a, "Роль наставника в школе", "О работе наставника.")
    _own(tenant_a, "Положение о наставничестве", "Порядок наставничества.")
    _own(tenant_a, "Памятка наставляемому", "Что взять на первую встречу.")
    _own(tenant_a, "Математика для малышей", "Счёт до десяти.")
    _own(tenant_a, "Профессия учителя", "Кем быть.")
    _own(tenant_a, "Профессор в гостях", "Лекция.")
    _own(tenant_a, "Настольные игры", "Шашки.")
    found = _titles(tenant_a, "наставничество")
    # The lemma itself first, then its family (наставник, наставлять); not «настольный».
    assert found.index("Положение о наставничестве") < found.index("Роль наставника в школе")
    assert "Памятка наставляемому" in found
    assert "Настольные игры" not in found
    assert "Математика для малышей" not in found
    hits, _read_as = selectors.resource_search(user=tenant_a.mentor, query="наставничество")
    titles = {h.resource.title: str(h.title) for h in hits}
    assert titles["Роль наставника в школе"] == "Роль <mark>наставника</mark> в школе"
    assert titles["Положение о наставничестве"] == "Положение о <mark>наставничестве</mark>"
    # A short word has no family but by one suffix; a longer one only its own stem.
    assert "Математика для малышей" not in _titles(tenant_a, "мат")
    _own(tenant_a, "Школьные кружки", "Для школьников.")
    _own(tenant_a, "Школить малышей", "Строго.")
    by_school = _titles(tenant_a, "школа")
    assert by_school.index("Роль наставника в школе") < by_school.index("Школьные кружки")
    assert "Школить малышей" not in by_school
    assert "Математика для малышей" in _titles(tenant_a, "математический")
    by_profession = _titles(tenant_a, "профессиональный")
    assert "Профессия учителя" in by_profession
    assert "Профессор в гостях" not in by_profession


def test_filters_by_kind_form_and_model(tenant_a: Tenant) -> None:
    hits, _ = selectors.resource_search(user=tenant_a.mentor, kind="event_form")
    assert len(hits) == 9
    memo = Resource.objects.get(code="memo-individual-approach")
    hits, _ = selectors.resource_search(user=tenant_a.mentor, model_id=memo.model_id, kind="memo")
    assert [h.resource for h in hits] == [memo]


def test_an_organizations_resources_stay_inside_it(tenant_a: Tenant, tenant_b: Tenant) -> None:
    own = _own(tenant_a, "Наша памятка", upload=SimpleUploadedFile("memo.txt", "Памятка".encode()))
    assert "Наша памятка" in _titles(tenant_a, "памятка")
    assert "Наша памятка" not in _titles(tenant_b, "памятка")
    outsider = login(tenant_b.curator)
    for name in ("library:detail", "library:file", "library:edit", "library:delete"):
        url = reverse(name, kwargs={"resource_id": own.pk})
        assert outsider.get(url).status_code in (404, 405)
        assert outsider.post(url, {"title": "x", "kind": "memo", "body": "x"}).status_code in (
            404,
            405,
        )
    own.refresh_from_db()
    assert own.title == "Наша памятка"
    member = login(tenant_a.mentee).get(reverse("library:file", kwargs={"resource_id": own.pk}))
    assert member.status_code == 200
    assert member.content == "Памятка".encode()


def test_only_a_curator_adds_and_the_starter_set_is_not_edited(tenant_a: Tenant) -> None:
    with pytest.raises(PermissionDenied):
        services.resource_create(
            actor=tenant_a.mentor, organization_id=tenant_a.organization.pk, title="X", body="Y"
        )
    memo = Resource.objects.get(code="memo-individual-approach")
    client = login(tenant_a.curator)
    assert client.get(reverse("library:edit", kwargs={"resource_id": memo.pk})).status_code == 404
    with pytest.raises(ValidationError):
        services.resource_update(actor=tenant_a.curator, resource=memo, title="X", kind="memo")


def test_bad_input_is_refused_in_russian_and_nothing_is_saved(tenant_a: Tenant) -> None:
    before = Resource.objects.count()
    with pytest.raises(ValidationError) as caught:
        _own(tenant_a, "   ")
    assert caught.value.message_dict["title"] == ["Дайте материалу название."]
    with pytest.raises(ValidationError) as caught:
        _own(tenant_a, "Программа", upload=SimpleUploadedFile("virus.exe", b"MZ\x90\x00"))
    assert "Файлы такого типа" in caught.value.message_dict["attachment"][0]
    with pytest.raises(ValidationError) as caught:
        _own(tenant_a, "Программа", upload=SimpleUploadedFile("fake.pdf", b"not a pdf"))
    assert caught.value.message_dict["attachment"]
    with override_settings(NASTAVNIK_PAIRWORK_ATTACHMENT_MB=1):
        big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (1024 * 1024 + 10))
        with pytest.raises(ValidationError) as caught:
            _own(tenant_a, "Программа", upload=big)
    assert "больше 1 МБ" in caught.value.message_dict["attachment"][0]
    assert Resource.objects.count() == before
    # Through the page: the Russian message is shown, nothing saved.
    page = login(tenant_a.curator).post(
        reverse("library:new"),
        {
            "organization": tenant_a.organization.pk,
            "title": "Шаблон",
            "kind": "template",
            "attachment": SimpleUploadedFile("x.exe", b"MZ"),
        },
    )
    assert page.status_code == 200
    assert "Файлы такого типа" in page.content.decode()
    assert Resource.objects.count() == before


def test_a_curator_adds_a_pdf_through_the_page(tenant_a: Tenant) -> None:
    response = login(tenant_a.curator).post(
        reverse("library:new"),
        {
            "organization": tenant_a.organization.pk,
            "title": "Программа наставничества школы",
            "kind": "program",
            "attachment": SimpleUploadedFile("programma.pdf", b"%PDF-1.4 test"),
        },
    )
    own = Resource.objects.get(organization=tenant_a.organization)
    assert response.status_code == 302
    assert own.attachment_name == "programma.pdf"
    assert own.attachment_type == "application/pdf"
    assert "Программа наставничества школы" in _titles(tenant_a, "программы")
