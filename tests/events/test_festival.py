"""Jury scores aggregated per nomination on known data: means, sums, shared places."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nastavnik.events import selectors, services
from nastavnik.events.festival import rank_entries
from nastavnik.events.models import Score
from tests.conftest import Tenant
from tests.events.factories import entry, festival, juror, nomination, pair
from tests.factories import UserFactory


def test_rank_by_mean_with_shared_places_and_unscored_last() -> None:
    results = rank_entries(
        [
            (1, [8, 6]),  # mean 7
            (2, [9, 9, 9]),  # mean 9
            (3, [7]),  # mean 7: shares place 2 with entry 1
            (4, []),  # no score: no place
            (5, [5, 6]),  # mean 5.5: place 4 (place 3 is skipped)
        ]
    )
    assert [(r.entry_id, r.place, r.total, r.count) for r in results] == [
        (2, 1, 27, 3),
        (1, 2, 14, 2),
        (3, 2, 7, 1),
        (5, 4, 11, 2),
        (4, None, 0, 0),
    ]
    assert results[0].mean == 9.0
    assert results[3].mean == 5.5
    assert results[4].mean is None


def test_equal_means_tie_whatever_the_number_of_scores() -> None:
    # 20/3 from three jurors and 40/6 from six are the same mean: a tie, the sum does not break
    # it; 19/3 comes third (the second place is skipped).
    results = rank_entries([(1, [6, 7, 7]), (2, [7, 7, 6, 7, 6, 7]), (3, [6, 6, 7])])
    assert [(r.entry_id, r.place) for r in results] == [(1, 1), (2, 1), (3, 3)]


@pytest.mark.django_db
def test_festival_results_per_nomination(tenant_a: Tenant) -> None:
    ev = festival(tenant_a.organization, score_max=10)
    best, second = nomination(ev, "Лучшая пара"), nomination(ev, "Лучший проект")
    pair_1, pair_2 = pair(tenant_a), pair(tenant_a)
    e1, e2 = entry(best, pair_1), entry(best, pair_2)
    e3 = entry(second, pair_1)
    jurors = [tenant_a.curator, tenant_a.head, UserFactory(username="jury-a3")]
    for user in jurors:
        juror(ev, user)
    for user, (v1, v2, v3) in zip(jurors, [(9, 7, 5), (7, 9, 5), (8, 8, 6)], strict=True):
        services.score_set(actor=user, entry=e1, value=v1)
        services.score_set(actor=user, entry=e2, value=v2)
        services.score_set(actor=user, entry=e3, value=v3)
    results = selectors.festival_results(user=tenant_a.curator, event=ev)
    assert [block.nomination.name for block in results] == ["Лучшая пара", "Лучший проект"]
    rows = results[0].rows
    assert [(r.entry_id, r.place, r.total, r.mean) for r in rows] == [
        (e1.pk, 1, 24, 8.0),
        (e2.pk, 1, 24, 8.0),
    ]
    assert [(r.entry_id, r.place, r.total) for r in results[1].rows] == [(e3.pk, 1, 16)]
    # A juror corrects their score: one score per juror and entry.
    services.score_set(actor=tenant_a.curator, entry=e2, value=10)
    assert Score.objects.filter(entry=e2).count() == 3
    rows = selectors.festival_results(user=tenant_a.curator, event=ev)[0].rows
    assert [(r.entry_id, r.place) for r in rows] == [(e2.pk, 1), (e1.pk, 2)]


@pytest.mark.django_db
def test_a_score_outside_the_scale_is_refused_in_russian(tenant_a: Tenant) -> None:
    ev = festival(tenant_a.organization, score_max=10)
    e1 = entry(nomination(ev), pair(tenant_a))
    juror(ev, tenant_a.curator)
    for value in (0, 11, 100):
        with pytest.raises(ValidationError) as info:
            services.score_set(actor=tenant_a.curator, entry=e1, value=value)
        assert info.value.message_dict["value"] == ["Оценка должна быть от 1 до 10."]
    assert not Score.objects.exists()


@pytest.mark.django_db
def test_only_the_jury_scores(tenant_a: Tenant) -> None:
    ev = festival(tenant_a.organization)
    e1 = entry(nomination(ev), pair(tenant_a))
    with pytest.raises(PermissionDenied):
        services.score_set(actor=tenant_a.curator, entry=e1, value=5)
    assert not Score.objects.exists()


@pytest.mark.django_db
def test_jury_and_nominations_belong_to_a_festival(tenant_a: Tenant, tenant_b: Tenant) -> None:
    ev = festival(tenant_a.organization)
    services.nomination_add(actor=tenant_a.curator, event=ev, name="Лучшая пара")
    services.jury_add(actor=tenant_a.curator, event=ev, user_id=tenant_a.mentor.pk)
    with pytest.raises(ValidationError):
        services.jury_add(actor=tenant_a.curator, event=ev, user_id=tenant_b.mentor.pk)
    other_pair = pair(tenant_b)
    nom = ev.nominations.get()
    with pytest.raises(ValidationError):
        services.entry_add(actor=tenant_a.curator, nomination=nom, mentorship_id=other_pair)


@pytest.mark.django_db
def test_festival_page_shows_results_and_the_jurors_sheet(tenant_a: Tenant, client: Any) -> None:
    from tests.conftest import login

    ev = festival(tenant_a.organization)
    e1 = entry(nomination(ev, "Лучшая пара"), pair(tenant_a))
    juror(ev, tenant_a.mentor)
    mentor = login(tenant_a.mentor)
    response = mentor.post(f"/events/entries/{e1.pk}/score/", {"value": "12"})
    assert response.status_code == 302
    page = mentor.get(f"/events/{ev.pk}/festival/").content.decode()
    assert "Оценка должна быть от 1 до 10." in page
    mentor.post(f"/events/entries/{e1.pk}/score/", {"value": "9"})
    page = login(tenant_a.curator).get(f"/events/{ev.pk}/festival/").content.decode()
    assert "Лучшая пара" in page
    assert "9,00" in page or "9.00" in page
