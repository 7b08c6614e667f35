"""The bank of ideas: who takes part, posting with tags, one vote per person, comments, the
curator's adoption into a program of the same organization, the pages and their scoping."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nastavnik.core.models import AuditEntry
from nastavnik.ideas import selectors, services
from nastavnik.ideas.models import Comment, Idea, IdeaStatus, IdeaTag, Vote
from tests.conftest import Tenant, login
from tests.factories import ProgramFactory
from tests.ideas.factories import idea

pytestmark = pytest.mark.django_db


def test_colleagues_are_staff_and_adults_never_pupils(tenant_a: Tenant, tenant_b: Tenant) -> None:
    org = tenant_a.organization.pk
    for user in (tenant_a.curator, tenant_a.head, tenant_a.mentor):
        assert selectors.colleague_org_ids(user) == {org}
    # The mentee of the tenant is a pupil: no part in the bank of ideas.
    assert selectors.colleague_org_ids(tenant_a.mentee) == frozenset()
    with pytest.raises(PermissionDenied):
        services.idea_create(actor=tenant_a.mentee, organization_id=org, title="Идея", text="Текст")
    # Nor a colleague of another organization.
    with pytest.raises(PermissionDenied):
        idea(tenant_a, author=tenant_b.curator)


def test_an_idea_is_posted_with_its_tags(tenant_a: Tenant) -> None:
    posted = idea(tenant_a, tags=["Урок", " рефлексия ", "урок"])
    assert posted.author == tenant_a.mentor
    assert sorted(IdeaTag.objects.filter(idea=posted).values_list("name", flat=True)) == [
        "рефлексия",
        "урок",
    ]
    assert services.parse_tags("урок; #Рефлексия, , урок") == ["урок", "рефлексия"]
    assert AuditEntry.objects.filter(action="ideas.idea_create").count() == 1


def test_an_empty_title_is_refused_in_russian_and_nothing_is_saved(tenant_a: Tenant) -> None:
    with pytest.raises(ValidationError) as caught:
        idea(tenant_a, title="   ")
    assert caught.value.message_dict["title"] == ["Дайте идее название."]
    assert not Idea.objects.exists()
    assert not IdeaTag.objects.exists()
    with pytest.raises(ValidationError) as caught:
        services.parse_tags(", ".join(f"тег{n}" for n in range(11)))
    assert "Не больше 10 тегов." in caught.value.messages


def test_one_vote_per_person(tenant_a: Tenant) -> None:
    posted = idea(tenant_a)
    services.idea_vote(actor=tenant_a.curator, idea=posted)
    with pytest.raises(ValidationError) as caught:
        services.idea_vote(actor=tenant_a.curator, idea=posted)
    assert caught.value.messages == [
        "Вы уже голосовали за эту идею: каждый коллега голосует один раз."
    ]
    services.idea_vote(actor=tenant_a.mentor, idea=posted)
    posted.refresh_from_db()
    assert posted.votes_count == 2
    assert Vote.objects.filter(idea=posted).count() == 2
    assert AuditEntry.objects.filter(action="ideas.idea_vote").count() == 2


def test_a_pupil_does_not_vote(tenant_a: Tenant) -> None:
    posted = idea(tenant_a)
    with pytest.raises(PermissionDenied):
        services.idea_vote(actor=tenant_a.mentee, idea=posted)
    assert not Vote.objects.exists()


def test_comments(tenant_a: Tenant) -> None:
    posted = idea(tenant_a)
    services.idea_comment(actor=tenant_a.head, idea=posted, text="Поддерживаю, давайте попробуем.")
    with pytest.raises(ValidationError) as caught:
        services.idea_comment(actor=tenant_a.head, idea=posted, text="  ")
    assert caught.value.message_dict["text"] == ["Напишите комментарий."]
    assert list(
        selectors.idea_comments(user=tenant_a.mentor, idea=posted).values_list("text", flat=True)
    ) == ["Поддерживаю, давайте попробуем."]


def test_the_curator_adopts_an_idea_into_a_program_of_the_organization(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    posted = idea(tenant_a)
    program = ProgramFactory(organization=tenant_a.organization)
    foreign = ProgramFactory(organization=tenant_b.organization)
    with pytest.raises(PermissionDenied):
        services.idea_adopt(actor=tenant_a.mentor, idea=posted, program=program)
    with pytest.raises(ValidationError) as caught:
        services.idea_adopt(actor=tenant_a.curator, idea=posted, program=foreign)
    assert caught.value.message_dict["program"] == [
        "Выберите программу организации, где подана идея."
    ]
    posted.refresh_from_db()
    assert posted.status == IdeaStatus.PROPOSED
    assert posted.program is None

    adopted = services.idea_adopt(actor=tenant_a.curator, idea=posted, program=program)
    assert adopted.is_adopted
    assert adopted.program == program
    assert adopted.adopted_by == tenant_a.curator
    assert adopted.adopted_at is not None
    page = login(tenant_a.mentor).get(reverse("ideas:detail", kwargs={"idea_id": posted.pk}))
    body = page.content.decode()
    assert "Принята в программе" in body
    assert str(program.title) in body


def test_the_list_filters_by_tag_and_sorts_by_votes_or_new(tenant_a: Tenant) -> None:
    first = idea(tenant_a, title="Ярмарка идей весной", tags=["ярмарка"])
    second = idea(tenant_a, title="Квик-настройка перед педсоветом", tags=["педсовет"])
    services.idea_vote(actor=tenant_a.curator, idea=first)
    client = login(tenant_a.mentor)
    by_votes = client.get(reverse("ideas:list")).content.decode()
    assert by_votes.index(first.title) < by_votes.index(second.title)
    newest = client.get(reverse("ideas:list"), {"sort": "new"}).content.decode()
    assert newest.index(second.title) < newest.index(first.title)
    tagged = client.get(reverse("ideas:list"), {"tag": "Педсовет"}).content.decode()
    assert second.title in tagged
    assert first.title not in tagged
    assert [i.pk for i in selectors.idea_list(user=tenant_a.mentor, tag="ярмарка")] == [first.pk]
    assert selectors.tag_counts(user=tenant_a.mentor) == [("педсовет", 1), ("ярмарка", 1)]


def test_pages_post_vote_and_comment(tenant_a: Tenant) -> None:
    client = login(tenant_a.mentor)
    response = client.post(
        reverse("ideas:new"),
        {
            "organization": tenant_a.organization.pk,
            "title": "Дневник успехов",
            "kind": "practice",
            "text": "Наставляемый записывает три достижения в неделю.",
            "tags": "рефлексия, ученик – ученик",
        },
    )
    posted = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ideas:detail", kwargs={"idea_id": posted.pk})
    vote_url = reverse("ideas:vote", kwargs={"idea_id": posted.pk})
    client.post(vote_url)
    again = client.post(vote_url, follow=True).content.decode()
    assert "Вы уже голосовали за эту идею" in again
    assert Vote.objects.count() == 1
    client.post(reverse("ideas:comment", kwargs={"idea_id": posted.pk}), {"text": "Попробую в 5Б."})
    assert Comment.objects.get().text == "Попробую в 5Б."
    empty = client.post(
        reverse("ideas:new"),
        {"organization": tenant_a.organization.pk, "title": "", "kind": "idea", "text": "x"},
    )
    assert empty.status_code == 200
    assert "Заполните это поле." in empty.content.decode()
    assert Idea.objects.count() == 1


def test_another_organizations_idea_does_not_exist(tenant_a: Tenant, tenant_b: Tenant) -> None:
    posted = idea(tenant_a)
    outsider = login(tenant_b.curator)
    for name in ("ideas:detail", "ideas:vote", "ideas:comment", "ideas:adopt"):
        url = reverse(name, kwargs={"idea_id": posted.pk})
        assert outsider.get(url).status_code in (404, 405)
        assert outsider.post(url, {"text": "x"}).status_code == 404
    assert posted.title not in outsider.get(reverse("ideas:list")).content.decode()
    # A pupil of the same organization does not see the bank either.
    pupil = login(tenant_a.mentee)
    assert pupil.get(reverse("ideas:detail", kwargs={"idea_id": posted.pk})).status_code == 404
    assert posted.title not in pupil.get(reverse("ideas:list")).content.decode()
    assert not Vote.objects.exists()
    assert not Comment.objects.exists()


def test_menu_entry_for_colleagues_only(tenant_a: Tenant) -> None:
    label = "Банк идей"
    assert label in login(tenant_a.mentor).get(reverse("ideas:list")).content.decode()
    # A pupil's menu has no entry (the page says the bank is the staff's).
    page = login(tenant_a.mentee).get(reverse("ideas:list")).content.decode()
    assert "для педагогов и сотрудников" in page
    assert f">{label}</a>" not in page


def test_admin_reads_all(admin_user: Any, tenant_a: Tenant) -> None:
    posted = idea(tenant_a)
    assert list(selectors.idea_queryset(user=admin_user)) == [posted]
