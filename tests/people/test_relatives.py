"""Relatives (kinship links): the constraints, the services, the panel on the person page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nastavnik.core.models import AuditEntry
from nastavnik.people import services
from nastavnik.people.models import Kinship, KinshipKind
from nastavnik.people.selectors import (
    kinship_get,
    kinship_pairs,
    relative_choices,
    relatives_of,
)
from tests.conftest import Tenant, login
from tests.factories import PersonFactory, TeacherFactory
from tests.people.factories import kinship


def test_a_relative_is_added_in_either_order_and_audited(tenant_a: Tenant) -> None:
    pupil, parent = tenant_a.student, tenant_a.mentor_person
    assert pupil.pk > parent.pk  # the pupil was created last: the pair must be turned round
    link = services.relative_add(
        actor=tenant_a.curator, person=pupil, relative=parent, kind=KinshipKind.PARENT_CHILD
    )
    assert (link.person_a_id, link.person_b_id) == (parent.pk, pupil.pk)
    assert (link.organization_id, link.created_by) == (pupil.organization_id, tenant_a.curator)
    entry = AuditEntry.objects.get(action="person.relative_add")
    assert entry.person_id == pupil.pk
    assert entry.data == {"relative": parent.pk, "kind": "parent_child"}
    assert [r.person for r in relatives_of(user=tenant_a.curator, person=pupil)] == [parent]
    assert [r.person for r in relatives_of(user=tenant_a.curator, person=parent)] == [pupil]


def test_self_links_duplicates_and_other_organizations_are_refused_in_russian(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    pupil, parent = tenant_a.student, tenant_a.mentor_person
    add = services.relative_add
    with pytest.raises(ValidationError) as self_link:
        add(actor=tenant_a.curator, person=pupil, relative=pupil, kind=KinshipKind.OTHER)
    assert self_link.value.messages == ["Человек не может быть родственником самому себе."]

    add(actor=tenant_a.curator, person=pupil, relative=parent, kind=KinshipKind.PARENT_CHILD)
    with pytest.raises(ValidationError) as duplicate:
        # The same pair, from the other side and with another kind.
        add(actor=tenant_a.curator, person=parent, relative=pupil, kind=KinshipKind.OTHER)
    assert duplicate.value.messages == [
        f"{parent.full_name} и {pupil.full_name} уже указаны как родственники."
    ]

    with pytest.raises(ValidationError) as other_org:
        add(actor=tenant_a.curator, person=pupil, relative=tenant_b.student, kind="siblings")
    assert other_org.value.messages == ["Родственник относится к другой организации."]
    assert Kinship.objects.count() == 1


def test_only_a_curator_of_the_organization_records_relatives(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    pupil, parent = tenant_a.student, tenant_a.mentor_person
    for actor in (tenant_a.head, tenant_a.mentor, tenant_b.curator):
        with pytest.raises(PermissionDenied):
            services.relative_add(actor=actor, person=pupil, relative=parent, kind="other")
    link = kinship(pupil, parent)
    with pytest.raises(PermissionDenied):
        services.relative_remove(actor=tenant_b.curator, kinship=link)
    assert Kinship.objects.count() == 1
    services.relative_remove(actor=tenant_a.curator, kinship=link)
    assert not Kinship.objects.exists()
    assert AuditEntry.objects.filter(action="person.relative_remove").count() == 1


def test_the_database_refuses_a_self_link_and_a_turned_round_duplicate(tenant_a: Tenant) -> None:
    pupil, parent = tenant_a.student, tenant_a.mentor_person
    org = tenant_a.organization
    with pytest.raises(IntegrityError), transaction.atomic():
        Kinship.objects.create(organization=org, person_a=pupil, person_b=pupil)
    with pytest.raises(IntegrityError), transaction.atomic():
        # Larger id first: the check constraint wants the pair stored normalised.
        Kinship.objects.create(organization=org, person_a=pupil, person_b=parent)
    kinship(pupil, parent)
    with pytest.raises(IntegrityError), transaction.atomic():
        Kinship.objects.create(organization=org, person_a=parent, person_b=pupil)


def test_full_clean_turns_the_pair_round(tenant_a: Tenant) -> None:
    pupil, parent = tenant_a.student, tenant_a.mentor_person
    link = Kinship(organization=tenant_a.organization, person_a=pupil, person_b=parent)
    link.full_clean()
    link.save()
    assert (link.person_a_id, link.person_b_id) == (parent.pk, pupil.pk)


def test_relatives_are_read_by_the_staff_of_the_organization_only(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    link = kinship(tenant_a.student, tenant_a.mentor_person)
    assert relatives_of(user=tenant_a.head, person=tenant_a.student) != []
    for outsider in (tenant_b.curator, tenant_a.mentor, tenant_a.mentee):
        assert relatives_of(user=outsider, person=tenant_a.student) == []
        with pytest.raises(Http404):
            kinship_get(user=outsider, kinship_id=link.pk)
    assert kinship_pairs(organization_id=tenant_a.organization.pk) == {
        (link.person_a_id, link.person_b_id)
    }
    assert kinship_pairs(organization_id=tenant_b.organization.pk) == set()


def test_choices_are_the_rest_of_the_organization_by_name(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    pupil = tenant_a.student
    sister = PersonFactory(organization=tenant_a.organization, last_name="Аверина")
    kinship(pupil, tenant_a.mentor_person)
    choices = list(relative_choices(user=tenant_a.curator, person=pupil))
    assert choices[0] == sister
    assert pupil not in choices  # not themselves
    assert tenant_a.mentor_person not in choices  # already a relative
    assert tenant_b.student not in choices
    names = [p.last_name for p in choices]
    assert names == sorted(names)


def test_the_panel_lists_adds_and_removes_relatives(tenant_a: Tenant) -> None:
    pupil = tenant_a.student
    brother: Any = PersonFactory(organization=tenant_a.organization, last_name="Секретов-мл")
    client = login(tenant_a.curator)
    detail = reverse("people:detail", kwargs={"person_id": pupil.pk})

    page = client.get(detail).content.decode()
    assert "Родственники" in page
    assert "Родственники не указаны." in page
    assert f'<option value="{brother.pk}">{brother.full_name}, 7Б</option>' in page

    response = client.post(
        reverse("people:relative_add", kwargs={"person_id": pupil.pk}),
        {"relative": brother.pk, "kind": KinshipKind.SIBLINGS},
    )
    assert response.headers["Location"] == detail + "#relatives"
    link = Kinship.objects.get()
    page = client.get(detail).content.decode()
    assert "Родственник добавлен." in page
    assert brother.full_name in page
    assert "братья и сёстры" in page

    # The brother's page shows the same link; removing it from there returns there.
    response = client.post(
        reverse("people:relative_remove", kwargs={"kinship_id": link.pk}),
        {"person": brother.pk},
    )
    assert (
        response.headers["Location"]
        == reverse("people:detail", kwargs={"person_id": brother.pk}) + "#relatives"
    )
    assert not Kinship.objects.exists()


def test_a_linked_relative_cannot_be_chosen_again_on_the_page(tenant_a: Tenant) -> None:
    pupil, parent = tenant_a.student, tenant_a.mentor_person
    kinship(pupil, parent)
    client = login(tenant_a.curator)
    # The parent is no longer among the choices: the form itself refuses.
    response = client.post(
        reverse("people:relative_add", kwargs={"person_id": pupil.pk}),
        {"relative": parent.pk, "kind": KinshipKind.PARENT_CHILD},
        follow=True,
    )
    assert "Выберите значение из списка" in response.content.decode()
    assert Kinship.objects.count() == 1


def test_a_head_sees_the_panel_without_the_form_and_a_mentor_sees_nothing(
    tenant_a: Tenant,
) -> None:
    kinship(tenant_a.mentee_person, tenant_a.mentor_person, KinshipKind.PARENT_CHILD)
    detail = reverse("people:detail", kwargs={"person_id": tenant_a.mentee_person.pk})
    page = login(tenant_a.head).get(detail).content.decode()
    assert "родитель – ребёнок" in page
    assert "Добавить родственника" not in page
    assert (
        login(tenant_a.head)
        .post(
            reverse("people:relative_add", kwargs={"person_id": tenant_a.mentee_person.pk}),
            {"relative": tenant_a.student.pk, "kind": "other"},
        )
        .status_code
        == 403
    )
    # The mentee opens their own page: no relatives panel (staff only).
    own = login(tenant_a.mentee).get(detail).content.decode()
    assert "Родственники" not in own


def test_the_person_page_queries_do_not_grow_with_relatives(tenant_a: Tenant) -> None:
    pupil = tenant_a.student
    client = login(tenant_a.curator)
    url = reverse("people:detail", kwargs={"person_id": pupil.pk})
    kinship(pupil, TeacherFactory(organization=tenant_a.organization))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(5):
        kinship(pupil, PersonFactory(organization=tenant_a.organization))
    assert queries() == few
