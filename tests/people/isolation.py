"""Object makers for the people URLs (see tests/isolation.py): a kinship link of the victim's
pupil with a teacher of the same organization."""

from __future__ import annotations

from nastavnik.people.models import KinshipKind
from tests.conftest import Tenant
from tests.factories import TeacherFactory
from tests.isolation import Maker
from tests.people.factories import kinship


def _kinship_id(tenant: Tenant) -> object:
    parent = TeacherFactory(organization=tenant.organization, last_name="Секретова")
    return kinship(tenant.student, parent, KinshipKind.PARENT_CHILD).pk


OBJECT_MAKERS: dict[str, Maker] = {"kinship_id": Maker(_kinship_id)}
