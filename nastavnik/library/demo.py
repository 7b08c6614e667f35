"""The demo's library: two resources of the demo school's own (the starter set is shipped by
the migration). Written through the services, by the school's curator."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from nastavnik.accounts.models import User
from nastavnik.library import services as library_services
from nastavnik.library.models import ResourceKind
from nastavnik.organizations.models import Organization

POSITION = 475

SCHOOL = "demo-school-1"


class DemoContext(Protocol):
    """What the step reads of the demo's context."""

    @property
    def organizations(self) -> Mapping[str, Organization]: ...
    @property
    def curators(self) -> Mapping[str, User]: ...


def step(context: DemoContext) -> None:
    school = context.organizations.get(SCHOOL)
    curator = context.curators.get(SCHOOL)
    if school is None or curator is None:
        return
    library_services.resource_create(
        actor=curator,
        organization_id=school.pk,
        title="Положение о наставничестве школы",
        kind=ResourceKind.PROGRAM,
        summary="Положение о системе наставничества, утверждённое приказом директора.",
        body="Положение определяет цели, задачи, формы наставничества в школе, права и "
        "обязанности наставника и наставляемого, порядок формирования наставнических пар.",
    )
    library_services.resource_create(
        actor=curator,
        organization_id=school.pk,
        title="План методической недели наставников",
        kind=ResourceKind.MATERIAL,
        summary="Мастер-классы наставников и открытые уроки молодых специалистов.",
        body="Понедельник — педагогическая гостиная. Среда — мастер-класс. Пятница — "
        "ярмарка педагогических идей и голосование в банке идей.",
    )
