from __future__ import annotations

from django.urls import reverse

from nastavnik.core.models import AuditEntry
from nastavnik.people.models import Person
from tests.conftest import Tenant, login
from tests.factories import competency


def test_people_list_filters_through_htmx(tenant_a: Tenant) -> None:
    client = login(tenant_a.curator)
    response = client.get(
        reverse("people:list"), {"q": tenant_a.student.last_name}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body  # only the results fragment
    assert tenant_a.student.full_name in body
    assert tenant_a.mentor_person.full_name not in body
    assert "Найден 1 человек" in body


def test_person_form_shows_russian_errors_and_keeps_input(tenant_a: Tenant) -> None:
    client = login(tenant_a.curator)
    response = client.post(
        reverse("people:create"),
        {
            "last_name": "Орлова",
            "first_name": "Ксения",
            "category": "student",
            "birth_date": "31.02.2012",
            "snils": "112-233-445 96",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Неверная контрольная сумма СНИЛС" in body
    assert "Укажите дату в формате дд.мм.гггг" in body
    assert 'value="Орлова"' in body
    assert not Person.objects.filter(last_name="Орлова").exists()


def test_person_form_accepts_russian_dates(tenant_a: Tenant) -> None:
    client = login(tenant_a.curator)
    response = client.post(
        reverse("people:create"),
        {
            "last_name": "Орлова",
            "first_name": "Ксения",
            "category": "student",
            "birth_date": "01.09.2012",
            "class_name": "5 «в»",
        },
    )
    person = Person.objects.get(last_name="Орлова")
    assert response.status_code == 302
    assert person.birth_date is not None
    assert (person.birth_date.isoformat(), person.class_name) == ("2012-09-01", "5В")


def test_profile_editor_saves_everything(tenant_a: Tenant) -> None:
    client = login(tenant_a.mentor)  # a person edits their own profile
    person = tenant_a.mentor_person
    url = reverse("people:profile_edit", kwargs={"person_id": person.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert "Робототехника" in page.content.decode()
    robotics, math = competency("robotics"), competency("mathematics")
    response = client.post(
        url,
        {
            "interests": "Шахматы",
            "request": "",
            "preferred_format": "in_person",
            "notes": "",
            "availability": ["0", "5"],
            "deficits": [str(competency("public-speaking").pk)],
            f"competency_{robotics.pk}": "3",
            f"achievement_{math.pk}": "2",
        },
    )
    assert response.status_code == 302
    profile = Person.objects.get(pk=person.pk).profile
    assert profile.interests == "Шахматы"
    assert profile.availability == (1 << 0) | (1 << 5)
    assert list(profile.competency_levels.values_list("competency__code", "level")) == [
        ("robotics", 3)
    ]
    assert list(profile.achievements.values_list("subject__code", "level")) == [("mathematics", 2)]
    detail = client.get(reverse("people:detail", kwargs={"person_id": person.pk})).content.decode()
    assert "Робототехника · экспертный" in detail


def test_a_mentee_cannot_edit_someone_elses_profile(tenant_a: Tenant) -> None:
    client = login(tenant_a.mentee)
    url = reverse("people:profile_edit", kwargs={"person_id": tenant_a.mentor_person.pk})
    assert client.get(url).status_code == 404  # not even visible


def test_organization_home_page(tenant_a: Tenant, coordinator: object) -> None:
    url = reverse("organizations:detail", kwargs={"organization_id": tenant_a.organization.pk})
    body = login(tenant_a.curator).get(url).content.decode()
    assert "Учебный год" in body
    assert "Добавить человека" in body
    # The coordinator sees the aggregates of the territory, not the people.
    response = login(coordinator).get(url)
    assert response.status_code == 200
    assert tenant_a.student.last_name not in response.content.decode()


def test_login_page_is_russian_and_logs_in(tenant_a: Tenant) -> None:
    from django.test import Client

    client = Client()
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Войти" in page
    assert "Логин" in page
    bad = client.post(reverse("accounts:login"), {"username": "curator-a", "password": "x"})
    assert "Неверный логин или пароль" in bad.content.decode()
    good = client.post(reverse("accounts:login"), {"username": "curator-a", "password": "password"})
    assert good.status_code == 302
    home = client.get(reverse("core:home"))
    assert home.status_code == 302  # one organization: straight to its page


def test_editing_a_person_saves_the_change_and_audits_it(tenant_a: Tenant) -> None:
    """The form works on a copy: on the stored person itself it would leave nothing to save."""
    from nastavnik.core.models import AuditEntry
    from nastavnik.people.forms import PersonForm
    from tests.isolation import form_data

    person = tenant_a.student
    data = form_data(PersonForm(instance=person), middle_name="Петровна")
    response = login(tenant_a.curator).post(
        reverse("people:edit", kwargs={"person_id": person.pk}), data
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.middle_name == "Петровна"
    assert AuditEntry.objects.filter(action="person.update", person_id=person.pk).exists()


def test_opening_a_childs_record_is_audited_with_the_address(tenant_a: Tenant) -> None:
    client = login(tenant_a.curator)
    child_url = reverse("people:detail", kwargs={"person_id": tenant_a.student.pk})
    assert client.get(child_url, REMOTE_ADDR="10.0.0.7").status_code == 200
    entry = AuditEntry.objects.get(action="person.read")
    assert entry.actor == tenant_a.curator
    assert entry.person_id == tenant_a.student.pk
    assert entry.organization_id == tenant_a.student.organization_id
    assert entry.data == {"ip": "10.0.0.7"}

    # an adult colleague's record is not logged on read
    adult_url = reverse("people:detail", kwargs={"person_id": tenant_a.mentor_person.pk})
    assert client.get(adult_url).status_code == 200
    assert AuditEntry.objects.filter(action="person.read").count() == 1


def test_reading_a_childs_record_through_the_api_is_audited_too(tenant_a: Tenant) -> None:
    client = login(tenant_a.curator)
    response = client.get(f"/api/v1/people/{tenant_a.student.pk}")
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="person.read", person_id=tenant_a.student.pk).exists()
