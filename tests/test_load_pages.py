"""The pages of the load test (``bench/load/locustfile.py``) take a fixed number of queries.

Each is opened on the compact demo by the demo login the load test uses; the bounds are those
measured on the full demo (``bench/load/pages.py``), so a page whose queries grow with its rows
(an N+1) fails here. Signing in is counted as the form's answer (the POST).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from nastavnik.accounts.models import User
from tests.conftest import DEMO_TEST_PASSWORD

pytestmark = pytest.mark.usefixtures("demo")


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _first(client: Client, url: str, pattern: str) -> str:
    found = sorted(set(re.findall(rf'href="({pattern})"', client.get(url).content.decode())))
    assert found, f"no link {pattern} on {url}"
    return found[0]


def _assert_page(client: Client, url: str, bound: int, max_queries: Any) -> None:
    client.get(url)  # warm: the first request may fill per-process caches
    with max_queries(bound):
        response = client.get(url)
    assert response.status_code == 200, url


CURATOR_PAGES = [
    # (label, how to reach it, bound)
    ("people list", lambda c: "/people/", 12),
    ("a person", lambda c: _first(c, "/people/", r"/people/\d+/"), 21),
    ("programs", lambda c: "/programs/", 8),
    ("a program", lambda c: _first(c, "/programs/", r"/programs/\d+/"), 16),
    ("a program's base", lambda c: _first(c, "/programs/", r"/programs/\d+/") + "base/", 12),
    ("a program's stages", lambda c: _first(c, "/programs/", r"/programs/\d+/") + "stages/", 25),
    (
        "matching runs",
        lambda c: (
            "/matching/program/"
            + _first(c, "/programs/", r"/programs/\d+/").strip("/").split("/")[-1]
            + "/"
        ),
        11,
    ),
    ("reports", lambda c: "/reports/", 6),
    ("a report", lambda c: _first(c, "/reports/", r"/reports/[^\"]*\d+[^\"]*/"), 40),
    ("«Требует внимания»", lambda c: "/pairwork/attention/", 18),
    ("imports", lambda c: "/imports/", 7),
]


@pytest.mark.parametrize(
    ("label", "url", "bound"), CURATOR_PAGES, ids=[p[0] for p in CURATOR_PAGES]
)
def test_a_curators_page(
    label: str, url: Any, bound: int, django_assert_max_num_queries: Any
) -> None:
    client = _client("curator")
    _assert_page(client, url(client), bound, django_assert_max_num_queries)


@pytest.mark.parametrize(
    ("username", "home_bound", "pair_bound"), [("mentor", 24, 29), ("young-teacher", 15, 18)]
)
def test_my_pairs_and_a_pair(
    username: str, home_bound: int, pair_bound: int, django_assert_max_num_queries: Any
) -> None:
    client = _client(username)
    _assert_page(client, "/pairwork/", home_bound, django_assert_max_num_queries)
    pair = _first(client, "/pairwork/", r"/pairwork/pair/\d+/")
    _assert_page(client, pair, pair_bound, django_assert_max_num_queries)


def test_logging_a_meeting(django_assert_max_num_queries: Any) -> None:
    client = _client("mentor")
    pair = _first(client, "/pairwork/", r"/pairwork/pair/\d+/")
    _assert_page(client, pair + "meetings/new/", 9, django_assert_max_num_queries)


def test_the_login_page_and_signing_in(django_assert_max_num_queries: Any) -> None:
    client = Client()
    _assert_page(client, "/accounts/login/", 3, django_assert_max_num_queries)
    with django_assert_max_num_queries(20):
        response = client.post(
            "/accounts/login/", {"username": "curator", "password": DEMO_TEST_PASSWORD}
        )
    assert response.status_code == 302
