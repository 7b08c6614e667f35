"""Pagination links keep the filters and replace the page number (issue 16, item 16)."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from tests.conftest import Tenant, login
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@override_settings(NASTAVNIK_PAGE_SIZE=2)
def test_page_links_do_not_pile_up(tenant_a: Tenant) -> None:
    PersonFactory.create_batch(6, organization=tenant_a.organization, class_name="9А")
    client = login(tenant_a.curator)
    body = client.get("/people/?class_name=9А&page=2").content.decode()
    links = re.findall(r'href="(\?[^"]*)"', body)
    assert links, body
    for link in links:
        assert link.count("page=") == 1, link
        assert "class_name=" in link
    assert "?class_name=9%D0%90&amp;page=3" in body
