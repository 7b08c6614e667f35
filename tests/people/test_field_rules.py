"""Who sees which field of a person (``people.fields``): a test per role and field, on the person
page, the people list, the pair's pages and the API (issue 16, item 0)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from nastavnik.accounts.models import Role, User
from nastavnik.mentorships.models import Mentorship
from nastavnik.mentorships.services import mentorship_create
from nastavnik.people.fields import RULES, Field, Relation, viewer_for
from nastavnik.people.models import (
    Competency,
    Person,
    Profile,
    ProfileCompetency,
    ProfileDeficit,
    SubjectAchievement,
)
from nastavnik.programs.models import Variant
from tests.conftest import Tenant, login
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.matching.factories import enrol, matching_program
from tests.people.factories import kinship

pytestmark = pytest.mark.django_db


@dataclass
class Pair:
    tenant: Tenant
    mentorship: Mentorship
    peer: User
    markers: dict[str, dict[Field, str]]  # "mentor" / "mentee" -> field -> text on the page


def _fill(person: Person, tag: str) -> dict[Field, str]:
    """Give the person every kind of data, each with a text that shows up only if shown."""
    person.birth_date = dt.date(2009 if tag == "mentee" else 1981, 4, 3)
    person.email = f"{tag}-secret@example.org"
    person.phone = "+7 900 111-22-33" if tag == "mentee" else "+7 900 444-55-66"
    person.save()
    profile, _ = Profile.objects.get_or_create(
        person=person, defaults={"organization_id": person.organization_id}
    )
    profile.interests = f"интерес-{tag}"
    profile.request = f"запрос-{tag}"
    profile.notes = f"заметка-{tag}"
    profile.save()
    skills = list(Competency.objects.filter(is_subject=False).order_by("pk")[:2])
    subject = Competency.objects.filter(is_subject=True).order_by("pk").first()
    assert subject is not None
    assert len(skills) == 2
    org = person.organization_id
    ProfileCompetency.objects.create(
        organization_id=org, profile=profile, competency=skills[0], level=2
    )
    ProfileDeficit.objects.create(organization_id=org, profile=profile, competency=skills[1])
    SubjectAchievement.objects.create(
        organization_id=org, profile=profile, subject=subject, level=0
    )
    return {
        Field.BIRTH_DATE: person.birth_date.strftime("%d.%m.%Y"),
        Field.SNILS: person.snils,
        Field.EMAIL: person.email,
        Field.PHONE: person.phone,
        Field.COMPETENCIES: skills[0].name,
        Field.DEFICITS: skills[1].name,
        Field.ACHIEVEMENTS: f"{subject.name}: ",
        Field.NOTES: profile.notes,
        Field.INTERESTS: profile.interests,
        Field.REQUEST: profile.request,
    }


@pytest.fixture
def pair(tenant_a: Tenant) -> Pair:
    t = tenant_a
    program = matching_program(t.organization)
    mentor_enrolment = enrol(program, t.mentor_person, "mentor", capacity=2)
    mentee_enrolment = enrol(program, t.mentee_person, "mentee")
    variant = Variant.objects.filter(form=program.form).first()
    mentorship = mentorship_create(
        actor=t.curator,
        program=program,
        mentors=[mentor_enrolment],
        mentees=[mentee_enrolment],
        variant=variant,
    )
    markers = {
        "mentor": _fill(t.mentor_person, "mentor"),
        "mentee": _fill(t.mentee_person, "mentee"),
    }
    peer = UserFactory(username="peer-a")
    MembershipFactory(user=peer, role=Role.MENTEE, organization=t.organization)
    PersonFactory(organization=t.organization, user=peer, last_name="Одноклассникова")
    return Pair(t, mentorship, peer, markers)


PAGE_FIELDS = [
    Field.BIRTH_DATE,
    Field.SNILS,
    Field.EMAIL,
    Field.PHONE,
    Field.COMPETENCIES,
    Field.DEFICITS,
    Field.ACHIEVEMENTS,
    Field.NOTES,
    Field.INTERESTS,
    Field.REQUEST,
]

# (viewer, whose page, relation): the staff and the person see everything of the fields above,
# the pair partners only the request and the interests (contacts not shared yet).
CASES = [
    ("curator", "mentee", Relation.STAFF),
    ("head", "mentee", Relation.STAFF),
    ("curator", "mentor", Relation.STAFF),
    ("mentee", "mentee", Relation.SELF),
    ("mentor", "mentor", Relation.SELF),
    ("mentor", "mentee", Relation.MENTOR),
    ("mentee", "mentor", Relation.MENTEE),
]
PAIR_SEES = {Field.INTERESTS, Field.REQUEST}


def _user(pair: Pair, who: str) -> User:
    return getattr(pair.tenant, who)


def _person(pair: Pair, whose: str) -> Person:
    return pair.tenant.mentor_person if whose == "mentor" else pair.tenant.mentee_person


def _expected(relation: Relation, what: Field) -> bool:
    if relation in (Relation.STAFF, Relation.SELF):
        return True
    return what in PAIR_SEES


@pytest.mark.parametrize("what", PAGE_FIELDS, ids=str)
@pytest.mark.parametrize(("who", "whose", "relation"), CASES, ids=lambda c: str(c))
def test_the_person_page_shows_a_field_by_role(
    pair: Pair, who: str, whose: str, relation: Relation, what: Field
) -> None:
    person = _person(pair, whose)
    assert viewer_for(_user(pair, who)).relation(person) == relation
    body = login(_user(pair, who)).get(f"/people/{person.pk}/").content.decode()
    marker = pair.markers[whose][what]
    assert (marker in body) is _expected(relation, what), (who, whose, what)


@pytest.mark.parametrize(("who", "whose", "relation"), CASES, ids=lambda c: str(c))
def test_the_api_blanks_a_field_by_role(
    pair: Pair, who: str, whose: str, relation: Relation
) -> None:
    person = _person(pair, whose)
    client = login(_user(pair, who))
    shown = _expected(relation, Field.BIRTH_DATE)
    one = client.get(f"/api/v1/people/{person.pk}").json()
    listed = {p["id"]: p for p in client.get("/api/v1/people/").json()["items"]}[person.pk]
    for item in (one, listed):
        assert item["full_name"] == person.full_name
        assert (item["birth_date"] is not None) is shown
        assert (item["email"] == person.email) is shown
        assert (item["phone"] == person.phone) is shown
        assert "snils" not in item


@pytest.mark.parametrize("whose", ["mentor", "mentee"])
def test_a_partner_sees_only_the_contacts_the_person_agreed_to_share(
    pair: Pair, whose: str
) -> None:
    person = _person(pair, whose)
    who = "mentee" if whose == "mentor" else "mentor"
    Profile.objects.filter(person=person).update(share_email=True)
    client = login(_user(pair, who))
    body = client.get(f"/people/{person.pk}/").content.decode()
    assert person.email in body
    assert person.phone not in body
    item = client.get(f"/api/v1/people/{person.pk}").json()
    assert (item["email"], item["phone"]) == (person.email, "")
    my = client.get("/mentorships/my/").content.decode()
    assert person.email in my
    assert person.phone not in my


def test_the_my_page_hides_contacts_not_shared(pair: Pair) -> None:
    body = login(pair.tenant.mentor).get("/mentorships/my/").content.decode()
    assert pair.tenant.mentee_person.full_name in body
    assert pair.tenant.mentee_person.email not in body
    assert pair.tenant.mentee_person.phone not in body


def test_the_profile_form_saves_the_consent_to_share(pair: Pair) -> None:
    person = pair.tenant.mentee_person
    client = login(pair.tenant.mentee)
    response = client.post(
        f"/people/{person.pk}/profile/",
        {"preferred_format": "any", "share_phone": "on"},
    )
    assert response.status_code == 302
    profile = Profile.objects.get(person=person)
    assert (profile.share_email, profile.share_phone) == (False, True)
    body = login(pair.tenant.mentor).get(f"/people/{person.pk}/").content.decode()
    assert person.phone in body


def test_a_peer_sees_nothing_of_a_pupil(pair: Pair) -> None:
    client = login(pair.peer)
    person = pair.tenant.mentee_person
    assert client.get(f"/people/{person.pk}/").status_code == 404
    assert client.get(f"/api/v1/people/{person.pk}").status_code == 404
    assert viewer_for(pair.peer).relation(person) == Relation.PEER


def test_the_people_list_hides_a_partners_birth_date(pair: Pair) -> None:
    mentee_person = pair.tenant.mentee_person
    body = login(pair.tenant.mentor).get("/people/").content.decode()
    assert mentee_person.full_name in body
    assert pair.markers["mentee"][Field.BIRTH_DATE] not in body
    staff = login(pair.tenant.curator).get("/people/").content.decode()
    assert pair.markers["mentee"][Field.BIRTH_DATE] in staff


@pytest.mark.parametrize(
    ("who", "sees"), [("curator", True), ("head", True), ("mentor", False), ("mentee", False)]
)
def test_the_variant_label_is_for_the_staff_only(pair: Pair, who: str, sees: bool) -> None:
    variant = pair.mentorship.variant
    assert variant is not None
    body = login(_user(pair, who)).get(f"/mentorships/{pair.mentorship.pk}/").content.decode()
    assert (variant.name in body) is sees


def test_the_rules_never_give_a_partner_or_a_peer_what_sorts_or_identifies_a_child() -> None:
    private = {
        Field.SNILS,
        Field.BIRTH_DATE,
        Field.DEFICITS,
        Field.ACHIEVEMENTS,
        Field.COMPETENCIES,
        Field.LABELS,
        Field.NOTES,
        Field.EMAIL,
        Field.PHONE,
        Field.LOGIN,
        Field.RELATIVES,
    }
    for relation in (Relation.MENTOR, Relation.MENTEE, Relation.PEER, Relation.RELATIVE):
        assert not (RULES[relation] & private), relation
    assert Field.LABELS not in RULES[Relation.SELF]
    assert RULES[Relation.STAFF] == frozenset(Field)


def test_a_relative_with_a_login_is_placed_as_relative(tenant_a: Tenant) -> None:
    parent_user = UserFactory(username="parent-a")
    MembershipFactory(user=parent_user, role=Role.MENTOR, organization=tenant_a.organization)
    parent = PersonFactory(organization=tenant_a.organization, user=parent_user)
    kinship(tenant_a.student, parent, "parent_child")
    viewer = viewer_for(parent_user)
    assert viewer.relation(tenant_a.student) == Relation.RELATIVE
    assert viewer.fields(tenant_a.student) == RULES[Relation.RELATIVE]


@pytest.mark.parametrize(
    ("who", "sees"), [("curator", True), ("head", True), ("mentor", False), ("mentee", False)]
)
def test_the_reasons_of_a_pair_name_marks_for_the_staff_only(
    pair: Pair, who: str, sees: bool
) -> None:
    subject = Competency.objects.filter(is_subject=True).order_by("pk").first()
    assert subject is not None
    Mentorship.objects.filter(pk=pair.mentorship.pk).update(
        explanation=[
            {
                "code": "achievement",
                "value": 0.9,
                "contribution": 1.0,
                "details": {
                    "rule": "strong_helps_weak",
                    "subjects": [{"subject": subject.pk, "mentee_level": 0, "mentor_level": 2}],
                },
            },
            {
                "code": "interests",
                "value": 0.5,
                "contribution": 0.5,
                "details": {"shared_words": ["шахматы"]},
            },
        ]
    )
    body = login(_user(pair, who)).get(f"/mentorships/{pair.mentorship.pk}/").content.decode()
    assert "шахматы" in body
    assert ("слабый → сильный" in body) is sees
