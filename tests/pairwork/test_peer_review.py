"""Peer review inside groups (взаимоконтроль): a group task asks the mentees to review each
other's work by a short rubric; the mentor sees the reviews; bad input is refused in Russian."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nastavnik.accounts.models import Role
from nastavnik.mentorships.models import Mentorship
from nastavnik.mentorships.services import mentorship_create
from nastavnik.pairwork import services
from nastavnik.pairwork.models import PeerReview, PeerWork, Task
from tests.conftest import login
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.matching.factories import enrol, matching_program
from tests.pairwork.factories import goal, working_pair

pytestmark = pytest.mark.django_db

RUBRIC = "Решение верное\nОформление аккуратное\nЕсть проверка ответа"


def _group(tenant: Any) -> tuple[Mentorship, Any, Any]:
    """The tenant's mentor leads a group of the tenant's mentee and a second pupil, both with a
    login."""
    program = matching_program(tenant.organization)
    teacher = enrol(program, tenant.mentor_person, "mentor", capacity=3)
    user = UserFactory(username=f"second-{tenant.organization.pk}")
    MembershipFactory(user=user, role=Role.MENTEE, organization=tenant.organization)
    second = PersonFactory(organization=tenant.organization, user=user, last_name="Второва")
    group = mentorship_create(
        actor=tenant.curator,
        program=program,
        mentors=[teacher],
        mentees=[enrol(program, tenant.mentee_person, "mentee"), enrol(program, second, "mentee")],
    )
    return group, second, user


def _peer_task(tenant: Any, group: Mentorship) -> Task:
    return services.task_create(
        actor=tenant.mentor,
        mentorship=group,
        goal=goal(group),
        title="Решить задачу на движение и проверить работу соседа",
        peer_review=True,
        rubric=RUBRIC,
    )


def test_the_mentor_asks_for_peer_review_with_a_rubric_on_the_page(tenant_a: Any) -> None:
    group, _second, _user = _group(tenant_a)
    client = login(tenant_a.mentor)
    client.post(
        reverse("pairwork:task_new", kwargs={"mentorship_id": group.pk}),
        {
            "goal": str(goal(group).pk),
            "title": "Взаимопроверка",
            "peer_review": "on",
            "rubric": "Верно\n\n  Аккуратно  ",
        },
    )
    task = Task.objects.get(mentorship=group, title="Взаимопроверка")
    assert task.peer_review
    assert task.criteria == ["Верно", "Аккуратно"]


def test_peer_review_is_refused_for_a_pair_and_without_a_rubric(tenant_a: Any) -> None:
    pair = working_pair(tenant_a)
    with pytest.raises(ValidationError) as refused:
        services.task_create(
            actor=tenant_a.mentor,
            mentorship=pair,
            goal=goal(pair),
            title="Проверить друг друга",
            peer_review=True,
            rubric="Верно",
        )
    assert "для группы" in str(refused.value)
    group, *_ = _group(tenant_a)
    for rubric, words in (("  \n ", "Укажите критерии"), ("\n".join("abcdef"), "не больше 5")):
        with pytest.raises(ValidationError) as refused:
            services.task_create(
                actor=tenant_a.mentor,
                mentorship=group,
                goal=goal(group),
                title="Проверить друг друга",
                peer_review=True,
                rubric=rubric,
            )
        assert words in str(refused.value)
    assert not Task.objects.filter(title="Проверить друг друга").exists()
    # The form of a pair does not offer peer review at all.
    page = login(tenant_a.mentor).get(reverse("pairwork:pair", kwargs={"mentorship_id": pair.pk}))
    assert 'name="rubric"' not in page.content.decode()


def test_mentees_hand_in_and_review_each_other_and_the_mentor_sees_it(tenant_a: Any) -> None:
    group, second, second_user = _group(tenant_a)
    task = _peer_task(tenant_a, group)
    first_client, second_client = login(tenant_a.mentee), login(second_user)

    first_client.post(
        reverse("pairwork:peer_work", kwargs={"task_id": task.pk}),
        {"text": "Ответ 12 км/ч, проверка подстановкой", "link": ""},
    )
    second_client.post(
        reverse("pairwork:peer_work", kwargs={"task_id": task.pk}),
        {"text": "Ответ 15 км/ч", "link": "https://example.org/work"},
    )
    mine = PeerWork.objects.get(task=task, author=tenant_a.mentee_person)
    theirs = PeerWork.objects.get(task=task, author=second)

    # The second pupil sees the first one's work with a review form, and reviews it.
    page = second_client.get(reverse("pairwork:pair", kwargs={"mentorship_id": group.pk}))
    text = page.content.decode()
    assert "Ответ 12 км/ч" in text
    assert reverse("pairwork:peer_review", kwargs={"work_id": mine.pk}) in text
    assert reverse("pairwork:peer_review", kwargs={"work_id": theirs.pk}) not in text
    second_client.post(
        reverse("pairwork:peer_review", kwargs={"work_id": mine.pk}),
        {"c0": "2", "c1": "1", "c2": "2", "comment": "Аккуратнее с единицами"},
    )
    review = PeerReview.objects.get(work=mine)
    assert (review.reviewer, review.scores, review.total) == (second, [2, 1, 2], 5)

    # Rewriting a review replaces it.
    second_client.post(
        reverse("pairwork:peer_review", kwargs={"work_id": mine.pk}),
        {"c0": "2", "c1": "2", "c2": "2", "comment": ""},
    )
    assert PeerReview.objects.get(work=mine).scores == [2, 2, 2]

    # The author reads the review of their work; the mentor reads every review with the mean.
    assert (
        "Второва"
        in first_client.get(
            reverse("pairwork:pair", kwargs={"mentorship_id": group.pk})
        ).content.decode()
    )
    mentor_page = login(tenant_a.mentor).get(
        reverse("pairwork:pair", kwargs={"mentorship_id": group.pk})
    )
    body = mentor_page.content.decode()
    assert "Взаимоконтроль" in body
    assert "Ответ 15 км/ч" in body
    assert "средний балл 6.0 из 6" in body or "средний балл 6,0 из 6" in body


def test_a_mentee_does_not_review_their_own_work_nor_read_others_reviews(tenant_a: Any) -> None:
    group, second, second_user = _group(tenant_a)
    task = _peer_task(tenant_a, group)
    mine = services.peer_work_submit(actor=tenant_a.mentee, task=task, text="Моя работа")
    with pytest.raises(ValidationError) as refused:
        services.peer_review_write(actor=tenant_a.mentee, work=mine, scores=[2, 2, 2])
    assert "не свою" in str(refused.value)
    theirs = services.peer_work_submit(actor=second_user, task=task, text="Работа Второвой")
    # Points outside 0..2, or not one per criterion: refused, nothing saved.
    for scores in ([2, 2], [2, 2, 3], [2, 2, -1]):
        with pytest.raises(ValidationError):
            services.peer_review_write(actor=tenant_a.mentee, work=theirs, scores=scores)
    assert not PeerReview.objects.exists()
    # The mentor and the curator do not hand in works nor review: they read.
    for outsider in (tenant_a.mentor, tenant_a.curator):
        with pytest.raises(PermissionDenied):
            services.peer_work_submit(actor=outsider, task=task, text="Работа")
        with pytest.raises(PermissionDenied):
            services.peer_review_write(actor=outsider, work=theirs, scores=[1, 1, 1])
    # A task without peer review takes no works.
    plain = services.task_create(
        actor=tenant_a.mentor, mentorship=group, goal=goal(group), title="Прочитать параграф"
    )
    with pytest.raises(ValidationError):
        services.peer_work_submit(actor=tenant_a.mentee, task=plain, text="Прочитал")
    assert PeerWork.objects.filter(task=plain).count() == 0
    assert second.pk != tenant_a.mentee_person.pk


def test_a_mentee_of_another_group_gets_404(tenant_a: Any) -> None:
    group, _second, _user = _group(tenant_a)
    task = _peer_task(tenant_a, group)
    work = services.peer_work_submit(actor=tenant_a.mentee, task=task, text="Моя работа")
    outsider = UserFactory(username="other-pupil")
    MembershipFactory(user=outsider, role=Role.MENTEE, organization=tenant_a.organization)
    PersonFactory(organization=tenant_a.organization, user=outsider)
    client = login(outsider)
    response = client.post(
        reverse("pairwork:peer_review", kwargs={"work_id": work.pk}),
        {"c0": "0", "c1": "0", "c2": "0"},
    )
    assert response.status_code == 404
    response = client.post(
        reverse("pairwork:peer_work", kwargs={"task_id": task.pk}), {"text": "чужая"}
    )
    assert response.status_code == 404
    assert PeerWork.objects.count() == 1
    assert not PeerReview.objects.exists()
