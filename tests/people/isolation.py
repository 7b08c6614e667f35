"""Object makers for the people URLs (see tests/isolation.py): a kinship link of the victim's
pupil with a teacher of the same organization."""

from __future__ import annotations

from typing import Any

from nastavnik.people.forms import PersonForm, ProfileForm
from nastavnik.people.models import Competency, KinshipKind, Person
from nastavnik.people.services import profile_ensure
from tests.conftest import Tenant
from tests.factories import TeacherFactory
from tests.isolation import Maker, PostBody, form_data
from tests.people.factories import kinship


def _kinship_id(tenant: Tenant) -> object:
    parent = TeacherFactory.create(organization=tenant.organization, last_name="Секретова")
    return kinship(tenant.student, parent, KinshipKind.PARENT_CHILD).pk


OBJECT_MAKERS: dict[str, Maker] = {"kinship_id": Maker(_kinship_id)}


# --- POST bodies: what the victim's curator would send (see tests/isolation.py) ----------------


def _person_edit(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    form = PersonForm(instance=Person.objects.get(pk=values["person_id"]))
    return form_data(form, middle_name="Изменённое")


def _profile_edit(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    profile = profile_ensure(person=Person.objects.get(pk=values["person_id"]))
    competencies = list(Competency.objects.select_related("area").order_by("area__position"))
    form = ProfileForm(profile=profile, competencies=competencies)
    return form_data(form, interests="Изменённые интересы")


def _relative_add(victim: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    parent = TeacherFactory.create(organization=victim.organization, last_name="Роднова")
    return {"relative": parent.pk, "kind": KinshipKind.PARENT_CHILD}


POST_BODIES: dict[str, PostBody] = {
    "people:edit": _person_edit,
    "people:profile_edit": _profile_edit,
    "people:relative_add": _relative_add,
    # The victim's pupil has no login: the curator's POST gives one.
    "people:login_grant": lambda victim, values: {"username": "sekretov.login", "role": "mentee"},
    # The link is removed by the POST itself; «person» is where to go back.
    "people:relative_remove": lambda victim, values: {"person": victim.student.pk},
}

NO_FORM: set[str] = {"people:detail", "api:get_person"}
