"""The competence market: who appears, morphology-aware ranked search, assembling a team."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from nastavnik.market import selectors
from nastavnik.market.selectors import market_search, team_assemble
from nastavnik.market.text import (
    FAMILY_WEIGHT,
    family_stem,
    highlight,
    lemmas,
    match_strength,
    relation,
)
from nastavnik.people.models import Level, PersonCategory, Profile, ProfileCompetency
from tests.conftest import login
from tests.factories import TeacherFactory, competency, consents_grant


def colleague(
    tenant: Any, last_name: str, skills: dict[str, int], interests: str = "", **kw: Any
) -> Any:
    person = TeacherFactory(organization=tenant.organization, last_name=last_name, **kw)
    profile = Profile.objects.get(person=person)
    profile.interests = interests
    profile.save()
    for code, level in skills.items():
        ProfileCompetency.objects.create(
            organization=tenant.organization,
            profile=profile,
            competency=competency(code),
            level=level,
        )
    consents_grant(person)
    return person


def test_lemmas_fold_yo_and_drop_filler_words() -> None:
    assert lemmas("нужен кто-то, кто умеет вести робототехнику с дошкольниками") == [
        "робототехника",
        "дошкольник",
    ]
    assert lemmas("Ёлки и ёжики") == ["елка", "ежик"]
    assert str(highlight("Люблю <b>шахматы</b>", {"шахматы"})) == (
        "Люблю &lt;b&gt;<mark>шахматы</mark>&lt;/b&gt;"
    )


def test_free_text_search_is_ranked_and_highlighted(tenant_a: Any) -> None:
    both = colleague(
        tenant_a, "Обоева", {"robotics": Level.EXPERT, "preschool-methods": Level.CONFIDENT}
    )
    robots = colleague(tenant_a, "Роботова", {"robotics": Level.EXPERT})
    colleague(tenant_a, "Шахматова", {"chess": Level.EXPERT}, interests="шахматные задачи")
    cards, read_as = market_search(
        user=tenant_a.mentor,
        query="нужен кто-то, кто умеет вести робототехнику с дошкольниками",
    )
    assert read_as == ["робототехника", "дошкольник"]
    assert [c.person for c in cards] == [both, robots]
    assert ("Робототехника", "экспертный", True) in cards[0].competencies


def test_interests_match_by_lemma(tenant_a: Any) -> None:
    chess = colleague(tenant_a, "Игрова", {}, interests="Играю в шахматы, веду кружок")
    cards, _ = market_search(user=tenant_a.mentor, query="шахматам")
    assert [c.person for c in cards] == [chess]
    assert "<mark>шахматы</mark>" in str(cards[0].interests)


def test_word_families_by_the_documented_rule() -> None:
    # A lemma of 6+ letters: its first max(6, len − 8) letters are the family stem.
    assert family_stem("наставничество") == "настав"
    assert family_stem("профессиональный") == "професси"
    assert family_stem("шахматы") == "шахмат"
    assert family_stem("мат") == family_stem("игра") == family_stem("2026") == ""
    assert relation("наставничество", "наставничество") == 1.0
    for kin in ("наставник", "наставлять", "наставляемый", "наставление"):
        assert relation("наставничество", kin) == FAMILY_WEIGHT < 1.0, kin
    assert relation("наставник", "наставничество") == FAMILY_WEIGHT
    assert relation("профессиональный", "профессия") == FAMILY_WEIGHT
    # Not of one family: a short word is not a stem, nor is a shared start below the stem.
    assert relation("мат", "математик") == 0.0
    assert relation("профессиональный", "профессор") == 0.0
    assert relation("наставничество", "настольный") == 0.0
    assert match_strength("наставничество", ["клуб", "наставник"]) == FAMILY_WEIGHT
    assert match_strength("наставничество", []) == 0.0
    assert str(highlight("Клуб наставников, матч", {"наставничество", "мат"})) == (
        "Клуб <mark>наставников</mark>, матч"
    )


def test_short_nouns_reach_their_family_by_one_suffix() -> None:
    # 4–5 letters: the base (no final vowel or ь) and one derivational suffix with its ending.
    kin = {
        "школа": ("школьный", "школьник", "школьница"),
        "класс": ("классный", "классовый"),
        "язык": ("языковой", "язычный"),
        "урок": ("урочный",),  # к → ч before -н-
        "книга": ("книжный",),  # г → ж
        "успех": ("успешный",),  # х → ш
        "спорт": ("спортивный",),
        "право": ("правовой",),
    }
    for word, family in kin.items():
        assert relation(word, word) == 1.0
        for found in family:
            assert relation(word, found) == FAMILY_WEIGHT, (word, found)
            assert found.startswith(family_stem(word)), (word, found)  # the library's filter
    assert family_stem("школа") == "школ"
    assert family_stem("урок") == "уро"  # урок, уроч…
    not_kin = {
        "мат": ("математика", "математик", "матовый"),  # a base of 3 letters: no family
        "мать": ("матовый", "матный"),
        "тема": ("темный", "темп"),
        "школа": ("школить", "школоведение"),  # a verb; a compound, not a suffix
        "урок": ("уроженец",),
        "класс": ("классика", "классификация", "классический"),
        "язык": ("язычник",),  # the alternation only before an adjective's -н-
        "курс": ("курсивный",),  # курсив + -ный, another word
        "право": ("правило", "правда", "правнук", "правоверный"),
        "обед": ("обеднеть", "обедня"),
        "буква": ("буквальный",),  # no -альный
        "радио": ("радиальный", "радий"),  # indeclinable: keeps its vowel
        "часто": ("частный", "частник"),  # not a noun
    }
    for word, strangers in not_kin.items():
        for found in strangers:
            assert relation(word, found) == 0.0, (word, found)
    assert str(highlight("Школьники школят школу", {"школа"})) == (
        "<mark>Школьники</mark> школят <mark>школу</mark>"
    )


def test_the_market_finds_pupils_when_asked_about_school(tenant_a: Any) -> None:
    pupils = colleague(tenant_a, "Школьникова", {}, interests="Веду кружок для школьников")
    colleague(tenant_a, "Математикова", {}, interests="Математика и шахматы")
    cards, read_as = market_search(user=tenant_a.mentor, query="школа")
    assert read_as == ["школа"]
    assert [c.person for c in cards] == [pupils]
    assert "<mark>школьников</mark>" in str(cards[0].interests)
    assert market_search(user=tenant_a.mentor, query="мат")[0] == []


def test_the_market_finds_a_word_family_below_the_word_itself(tenant_a: Any) -> None:
    family = colleague(tenant_a, "Клубова", {}, interests="Веду клуб наставников")
    exact = colleague(tenant_a, "Прямова", {}, interests="Интересуюсь наставничеством")
    colleague(tenant_a, "Столова", {}, interests="Настольные игры и математика")
    cards, read_as = market_search(user=tenant_a.mentor, query="наставничество")
    assert read_as == ["наставничество"]
    assert [c.person for c in cards] == [exact, family]
    assert cards[0].score > cards[1].score
    assert "<mark>наставничеством</mark>" in str(cards[0].interests)
    assert "<mark>наставников</mark>" in str(cards[1].interests)
    # «мат» is no stem: it does not find «математика».
    assert market_search(user=tenant_a.mentor, query="мат")[0] == []


def test_who_appears(tenant_a: Any, tenant_b: Any) -> None:
    visible = colleague(tenant_a, "Видимова", {"robotics": 2})
    no_consent = TeacherFactory(organization=tenant_a.organization, last_name="Безсогласова")
    ProfileCompetency.objects.create(
        organization=tenant_a.organization,
        profile=no_consent.profile,
        competency=competency("robotics"),
        level=2,
    )
    pupil = tenant_a.student
    consents_grant(pupil)
    ProfileCompetency.objects.create(
        organization=tenant_a.organization,
        profile=pupil.profile,
        competency=competency("robotics"),
        level=3,
    )
    other_org = colleague(tenant_b, "Чужова", {"robotics": 3})
    cards, _ = market_search(user=tenant_a.mentor, query="робототехника")
    found = [c.person for c in cards]
    assert found == [visible]
    assert pupil.category == PersonCategory.STUDENT
    assert other_org not in found
    page = login(tenant_a.mentor).get(reverse("market:search"), {"q": "робототехника"})
    body = page.content.decode()
    assert "Видимова" in body
    assert "Секретов" not in body
    assert "Чужова" not in body


def test_filter_by_competency(tenant_a: Any) -> None:
    colleague(tenant_a, "Однаова", {"robotics": 2})
    both = colleague(tenant_a, "Двеова", {"robotics": 2, "programming": 2})
    ids = [competency("robotics").pk, competency("programming").pk]
    cards, _ = market_search(user=tenant_a.curator, competency_ids=ids)
    assert [c.person for c in cards] == [both]


def test_the_smallest_team_is_exact(tenant_a: Any) -> None:
    # Greedy takes the widest first (3 skills) and then needs two more; the exact answer is 2.
    colleague(tenant_a, "Широкова", {"robotics": 2, "programming": 2, "chess": 2})
    a = colleague(tenant_a, "Первова", {"robotics": 2, "programming": 2, "drones": 2})
    b = colleague(tenant_a, "Вторая", {"chess": 2, "electronics": 2, "web-design": 2})
    codes = ["robotics", "programming", "chess", "drones", "electronics", "web-design"]
    ids = [competency(code).pk for code in codes]
    proposal = team_assemble(user=tenant_a.curator, competency_ids=ids)
    assert proposal.exact
    assert set(proposal.members) == {a, b}
    assert proposal.uncovered == []
    greedy = selectors._greedy_cover(_skills(tenant_a, ids), set(ids))
    assert len(greedy) == 3, "the greedy fallback is worse here, which is why the ILP is used"


def _skills(tenant: Any, ids: list[int]) -> dict[int, dict[int, int]]:
    found: dict[int, dict[int, int]] = {}
    for pc in ProfileCompetency.objects.filter(
        organization=tenant.organization, competency_id__in=ids
    ):
        found.setdefault(pc.profile.person_id, {})[pc.competency_id] = pc.level
    return found


def test_the_greedy_fallback_is_labelled(tenant_a: Any, monkeypatch: Any) -> None:
    colleague(tenant_a, "Первова", {"robotics": 2})
    monkeypatch.setattr(selectors, "EXACT_MAX_CANDIDATES", 0)
    ids = [competency("robotics").pk, competency("chess").pk]
    proposal = team_assemble(user=tenant_a.curator, competency_ids=ids)
    assert not proposal.exact
    assert [c.code for c in proposal.uncovered] == ["chess"]
    url = reverse("market:team")
    page = login(tenant_a.curator).get(url, {"competency": [str(i) for i in ids]}).content.decode()
    assert "приближённо" in page
    assert "Ни у кого нет этих компетенций" in page


def test_a_mentor_edits_their_own_competencies_from_the_market(tenant_a: Any) -> None:
    client = login(tenant_a.mentor)
    page = client.get(reverse("market:search")).content.decode()
    url = reverse("people:profile_edit", kwargs={"person_id": tenant_a.mentor_person.pk})
    assert url in page
    robotics = competency("robotics")
    response = client.post(
        url,
        {
            "interests": "робототехника с малышами",
            "request": "",
            "preferred_format": "any",
            "notes": "",
            f"competency_{robotics.pk}": "3",
        },
    )
    assert response.status_code == 302
    assert ProfileCompetency.objects.filter(
        profile__person=tenant_a.mentor_person, competency=robotics, level=3
    ).exists()
    other = reverse("people:profile_edit", kwargs={"person_id": tenant_a.student.pk})
    assert client.get(other).status_code in (403, 404)
