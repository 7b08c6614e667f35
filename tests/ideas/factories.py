"""Ideas of a tenant, written through the service (as a colleague would post them)."""

from __future__ import annotations

from typing import Any

from nastavnik.ideas import services
from nastavnik.ideas.models import Idea
from tests.conftest import Tenant


def idea(
    tenant: Tenant, *, author: Any = None, title: str = "Педагогическая гостиная", **kw: Any
) -> Idea:
    return services.idea_create(
        actor=author or tenant.mentor,
        organization_id=tenant.organization.pk,
        title=title,
        text=kw.pop("text", "Раз в месяц встречаемся после уроков и делимся находками."),
        tags=kw.pop("tags", ["молодые специалисты"]),
        **kw,
    )
