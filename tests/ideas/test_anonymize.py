"""A withdrawn consent scrubs the bank of ideas (``ideas_forget_person``, run by
``consents.person_anonymize``): the person's ideas stay with «Автор скрыт», their comments go,
their votes stay counted but belong to nobody; the others' rows are untouched."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nastavnik.accounts.access import access_for
from nastavnik.consents.services import person_anonymize
from nastavnik.ideas import services
from nastavnik.ideas.models import Comment, Idea, Vote
from nastavnik.ideas.selectors import colleague_org_ids
from tests.conftest import Tenant, login
from tests.ideas.factories import idea

pytestmark = pytest.mark.django_db


def test_anonymizing_the_author_hides_them_and_keeps_the_counts(tenant_a: Tenant) -> None:
    mine = idea(tenant_a, author=tenant_a.mentor, title="Гостиная по пятницам")
    theirs = idea(tenant_a, author=tenant_a.curator, title="Ярмарка идей весной")
    services.idea_vote(actor=tenant_a.mentor, idea=theirs)
    services.idea_vote(actor=tenant_a.curator, idea=mine)
    services.idea_comment(actor=tenant_a.mentor, idea=theirs, text="Согласна, Иванова поможет.")
    services.idea_comment(actor=tenant_a.curator, idea=mine, text="Хорошая мысль.")
    mentor_id = tenant_a.mentor.pk

    person_anonymize(actor=tenant_a.curator, person=tenant_a.mentor_person)

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.author_id is None
    assert mine.title == "Гостиная по пятницам"  # the methodological text stays
    assert theirs.author_id == tenant_a.curator.pk
    # Their comment is gone, the curator's on their idea stays.
    assert list(Comment.objects.values_list("text", flat=True)) == ["Хорошая мысль."]
    # Their vote still counts, but nobody's.
    assert theirs.votes_count == 1
    assert Vote.objects.filter(idea=theirs).count() == 1
    assert not Vote.objects.filter(user_id=mentor_id).exists()
    assert Vote.objects.get(idea=theirs).user_id is None
    assert Vote.objects.get(idea=mine).user_id == tenant_a.curator.pk

    page = login(tenant_a.curator).get(reverse("ideas:detail", kwargs={"idea_id": mine.pk}))
    assert "Автор скрыт" in page.content.decode()
    listing = login(tenant_a.curator).get(reverse("ideas:list")).content.decode()
    assert "Автор скрыт" in listing
    # A colleague may still vote: an unlinked vote is nobody's second vote.
    services.idea_vote(actor=tenant_a.head, idea=theirs)
    assert Idea.objects.get(pk=theirs.pk).votes_count == 2


def test_the_menu_check_costs_one_query_per_request(tenant_a: Tenant) -> None:
    access = access_for(tenant_a.mentor)
    with CaptureQueriesContext(connection) as first:
        assert colleague_org_ids(access) == {tenant_a.organization.pk}
    with CaptureQueriesContext(connection) as again:
        assert colleague_org_ids(tenant_a.mentor) == {tenant_a.organization.pk}
    assert (len(first), len(again)) == (1, 0)
    # A page of the bank for a non-staff colleague: the menu and the page ask once together.
    with CaptureQueriesContext(connection) as page:
        assert login(tenant_a.mentor).get(reverse("ideas:list")).status_code == 200
    colleague_checks = [
        q
        for q in page.captured_queries
        if '"category" IN' in q["sql"] and "people_person" in q["sql"]
    ]
    assert len(colleague_checks) == 1
