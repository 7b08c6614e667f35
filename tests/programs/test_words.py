"""The target model's own words (issue 17): the full names of the seven stages, statuses that do
not assume a man, how many mentees a mentor can take, «флэш-наставничество»."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from nastavnik.programs.models import EnrolmentStatus, MentoringModel, Program, Stage
from tests.conftest import Tenant, login

pytestmark = pytest.mark.django_db

STAGE_NAMES = [
    "подготовка условий для запуска программы наставничества",
    "формирование базы наставляемых",
    "формирование базы наставников",
    "отбор и обучение наставников",
    "формирование наставнических пар или групп",
    "организация работы наставнических пар или групп",
    "завершение наставничества",
]


def test_the_stages_have_the_target_models_full_names() -> None:
    with translation.override("ru"):
        assert [str(label) for label in Stage.labels] == STAGE_NAMES


def test_the_stages_page_shows_the_full_names(tenant_a: Tenant, program: Program) -> None:
    text = login(tenant_a.curator).get(reverse("programs:stages", args=[program.pk]))
    content = text.content.decode()
    for number, name in enumerate(STAGE_NAMES, start=1):
        assert f"{number}. {name[0].upper()}{name[1:]}" in content


def test_statuses_do_not_assume_a_man() -> None:
    with translation.override("ru"):
        labels = [str(label) for label in EnrolmentStatus.labels]
    assert labels == [
        "кандидат",
        "кандидатура одобрена",
        "обучение пройдено",
        "участвует",
        "участие завершено",
        "участие прекращено",
    ]


def test_the_base_says_how_many_mentees_a_mentor_can_take(
    tenant_a: Tenant, program: Program
) -> None:
    response = login(tenant_a.curator).get(reverse("programs:base", args=[program.pk]))
    content = response.content.decode()
    assert "Может взять наставляемых" in content
    assert "Ёмкость" not in content


def test_flash_mentoring_is_spelled_as_in_the_target_model() -> None:
    assert MentoringModel.objects.get(code="flash").name == "флэш-наставничество"
