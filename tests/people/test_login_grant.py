"""«Give a login»: a curator gives a person of the organization a login as a mentor or a mentee."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from nastavnik.accounts.access import access_for
from nastavnik.accounts.models import Membership, Role, User
from nastavnik.core.models import AuditEntry
from nastavnik.people.models import Person
from nastavnik.people.selectors import login_username_suggest, transliterate
from nastavnik.people.services import person_login_grant
from tests.conftest import Tenant, login
from tests.factories import PersonFactory, TeacherFactory, UserFactory

pytestmark = pytest.mark.django_db


def _pupil(tenant: Tenant, **fields: object) -> Person:
    values = {"last_name": "Кузнецов", "first_name": "Алексей", "middle_name": "Викторович"}
    values.update(fields)
    return PersonFactory(organization=tenant.organization, email="kuz@example.org", **values)


def test_curator_gives_a_mentee_login(tenant_a: Tenant) -> None:
    person = _pupil(tenant_a)
    user, password = person_login_grant(
        actor=tenant_a.curator, person=person, username="kuznetsov.av", role=Role.MENTEE
    )
    person.refresh_from_db()
    assert person.user == user
    assert (user.last_name, user.first_name, user.middle_name) == (
        "Кузнецов",
        "Алексей",
        "Викторович",
    )
    assert user.email == "kuz@example.org"
    assert len(password) == 12
    assert user.check_password(password)
    assert password not in user.password
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.organization_id) == (
        Role.MENTEE,
        tenant_a.organization.pk,
    )
    assert access_for(user).has_role(tenant_a.organization.pk, Role.MENTEE)
    entry = AuditEntry.objects.get(action="person.login_grant")
    assert entry.actor == tenant_a.curator
    assert entry.person_id == person.pk
    assert entry.organization_id == tenant_a.organization.pk
    assert entry.data == {"user": user.pk, "username": "kuznetsov.av", "role": "mentee"}
    assert password not in str(entry.data) + entry.message


def test_passwords_differ(tenant_a: Tenant) -> None:
    first = person_login_grant(
        actor=tenant_a.curator, person=_pupil(tenant_a), username="one", role=Role.MENTEE
    )[1]
    second = person_login_grant(
        actor=tenant_a.curator, person=_pupil(tenant_a), username="two", role=Role.MENTOR
    )[1]
    assert first != second


@pytest.mark.parametrize(
    "role",
    [Role.CURATOR, Role.HEAD, Role.ADMIN, Role.MUNICIPAL_COORDINATOR, Role.REGIONAL_COORDINATOR],
)
def test_only_mentor_or_mentee(tenant_a: Tenant, role: str) -> None:
    person = _pupil(tenant_a)
    with pytest.raises(ValidationError, match="наставника или наставляемого"):
        person_login_grant(actor=tenant_a.curator, person=person, username="x.y", role=role)
    person.refresh_from_db()
    assert person.user_id is None
    assert not User.objects.filter(username="x.y").exists()


def test_other_organization_and_other_roles_refused(tenant_a: Tenant, tenant_b: Tenant) -> None:
    person = _pupil(tenant_a)
    for actor in (tenant_b.curator, tenant_a.head, tenant_a.mentor, tenant_a.mentee):
        with pytest.raises(PermissionDenied):
            person_login_grant(actor=actor, person=person, username="x.y", role=Role.MENTEE)
    assert not User.objects.filter(username="x.y").exists()
    assert not AuditEntry.objects.filter(action="person.login_grant").exists()


def test_administrator_may(tenant_a: Tenant, admin_user: User) -> None:
    user, _password = person_login_grant(
        actor=admin_user, person=_pupil(tenant_a), username="x.y", role=Role.MENTOR
    )
    assert Membership.objects.get(user=user).role == Role.MENTOR


def test_person_with_a_login_refused(tenant_a: Tenant) -> None:
    with pytest.raises(ValidationError, match="уже есть вход"):
        person_login_grant(
            actor=tenant_a.curator,
            person=tenant_a.mentee_person,
            username="another",
            role=Role.MENTEE,
        )
    # The lock re-reads the row: a stale object does not give a second login.
    person = _pupil(tenant_a)
    stale = Person.objects.get(pk=person.pk)
    person_login_grant(actor=tenant_a.curator, person=person, username="first", role=Role.MENTEE)
    with pytest.raises(ValidationError, match="уже есть вход"):
        person_login_grant(
            actor=tenant_a.curator, person=stale, username="second", role=Role.MENTEE
        )
    assert not User.objects.filter(username="second").exists()


def test_anonymized_refused(tenant_a: Tenant) -> None:
    person = _pupil(tenant_a, anonymized_at=timezone.now())
    with pytest.raises(ValidationError, match="обезличен"):
        person_login_grant(actor=tenant_a.curator, person=person, username="x.y", role=Role.MENTEE)


def test_taken_username_refused(tenant_a: Tenant) -> None:
    UserFactory(username="kuznetsov.av")
    person = _pupil(tenant_a)
    with pytest.raises(ValidationError, match="занят"):
        person_login_grant(
            actor=tenant_a.curator, person=person, username="Kuznetsov.AV", role=Role.MENTEE
        )
    person.refresh_from_db()
    assert person.user_id is None


def test_username_suggestion(tenant_a: Tenant) -> None:
    assert transliterate("Щёкина-Жукова") == "shchekinazhukova"
    person = _pupil(tenant_a)
    assert login_username_suggest(person=person) == "kuznetsov.av"
    UserFactory(username="kuznetsov.av")
    UserFactory(username="kuznetsov.av2")
    assert login_username_suggest(person=person) == "kuznetsov.av3"
    no_patronymic = _pupil(tenant_a, last_name="Юсупова", first_name="Яна", middle_name="")
    assert login_username_suggest(person=no_patronymic) == "yusupova.ya"


def test_page_gives_a_login_and_shows_the_password_once(tenant_a: Tenant) -> None:
    person = _pupil(tenant_a)
    client = login(tenant_a.curator)
    detail = client.get(reverse("people:detail", kwargs={"person_id": person.pk}))
    url = reverse("people:login_grant", kwargs={"person_id": person.pk})
    assert url in detail.content.decode()
    form = client.get(url)
    assert form.status_code == 200
    page = form.content.decode()
    assert 'value="kuznetsov.av"' in page
    assert "Выдать вход в систему" in page
    response = client.post(url, {"username": "kuznetsov.av", "role": "mentee"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    person.refresh_from_db()
    assert person.user is not None
    body = response.content.decode()
    assert "kuznetsov.av" in body
    assert "Передайте их человеку; при первом входе попросите сменить пароль" in body
    password = body.split("<dd><code>")[2].split("</code>")[0]
    assert person.user.check_password(password)
    # The person's page now shows the login and offers no second one; the form sends back.
    page = client.get(reverse("people:detail", kwargs={"person_id": person.pk})).content.decode()
    assert "kuznetsov.av" in page
    assert url not in page
    again = client.get(url)
    assert again.status_code == 302
    assert password not in client.get(again["Location"]).content.decode()


def test_page_shows_a_taken_login(tenant_a: Tenant) -> None:
    person = _pupil(tenant_a)
    client = login(tenant_a.curator)
    url = reverse("people:login_grant", kwargs={"person_id": person.pk})
    response = client.post(url, {"username": tenant_a.mentor.username, "role": "mentor"})
    assert response.status_code == 200
    assert "занят" in response.content.decode()
    person.refresh_from_db()
    assert person.user_id is None


def test_page_refused_to_others(tenant_a: Tenant, tenant_b: Tenant) -> None:
    person = _pupil(tenant_a)
    url = reverse("people:login_grant", kwargs={"person_id": person.pk})
    assert login(tenant_b.curator).get(url).status_code == 404
    assert login(tenant_a.mentor).get(url).status_code in (403, 404)
    assert login(tenant_a.head).get(url).status_code == 403
    response = login(tenant_a.mentor).post(url, {"username": "x.y", "role": "mentor"})
    assert response.status_code in (403, 404)
    person.refresh_from_db()
    assert person.user_id is None
    detail = login(tenant_a.head).get(reverse("people:detail", kwargs={"person_id": person.pk}))
    assert url not in detail.content.decode()


def test_a_teacher_is_offered_the_mentor_role(tenant_a: Tenant) -> None:
    teacher = TeacherFactory.create(organization=tenant_a.organization, last_name="Жукова")
    url = reverse("people:login_grant", kwargs={"person_id": teacher.pk})
    page = login(tenant_a.curator).get(url).content.decode()
    assert 'value="mentor" required id="id_role_0" checked' in page
    assert 'value="zhukova.' in page
