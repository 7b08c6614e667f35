"""Object makers for the library (see tests/isolation.py): an own resource of the victim
organization with a file (its members may read it)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from nastavnik.library import services
from tests.conftest import Tenant
from tests.isolation import Maker, PostBody


def _resource_id(tenant: Tenant) -> object:
    return services.resource_create(
        actor=tenant.curator,
        organization_id=tenant.organization.pk,
        title="Памятка школы",
        body="Текст памятки",
        upload=SimpleUploadedFile("pamyatka.txt", "Памятка".encode()),
    ).pk


OBJECT_MAKERS: dict[str, Maker] = {"resource_id": Maker(_resource_id, mentor_may_see=True)}
POST_BODIES: dict[str, PostBody] = {
    "library:edit": lambda victim, values: {
        "title": "Новое название",
        "kind": "material",
        "body": "Новый текст",
    },
}
NO_FORM = {"library:detail", "library:file", "library:delete"}
