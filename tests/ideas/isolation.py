"""Object makers for the bank of ideas (see tests/isolation.py): an idea of the victim's mentor
(a colleague of the same organization may read it)."""

from __future__ import annotations

from typing import Any

from tests.conftest import Tenant
from tests.factories import ProgramFactory
from tests.ideas.factories import idea
from tests.isolation import Maker, PostBody


def _idea_id(tenant: Tenant) -> object:
    return idea(tenant, title="Идея для проверки изоляции").pk


def _adopt(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    program: Any = ProgramFactory(organization=victim.organization)
    return {"program": program.pk}


OBJECT_MAKERS: dict[str, Maker] = {"idea_id": Maker(_idea_id, mentor_may_see=True)}
POST_BODIES: dict[str, PostBody] = {
    "ideas:comment": lambda victim, values: {"text": "Поддерживаю"},
    "ideas:adopt": _adopt,
}
NO_FORM = {"ideas:detail", "ideas:vote"}
