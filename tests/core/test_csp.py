"""The Content Security Policy holds: no inline script anywhere, the header on every page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Tenant, login

ROOT = Path(__file__).resolve().parents[2] / "nastavnik"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def _policy(response: object) -> dict[str, str]:
    header = response["Content-Security-Policy"]  # type: ignore[index]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


def test_no_template_holds_an_inline_script_or_an_event_handler() -> None:
    offenders = []
    for template in ROOT.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or HANDLER.search(text):
            offenders.append(str(template.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db
def test_pages_forbid_inline_scripts_and_framing(tenant_a: Tenant) -> None:
    for response in (
        Client().get(reverse("accounts:login")),
        login(tenant_a.curator).get("/", follow=True),
    ):
        policy = _policy(response)
        assert policy["script-src"] == "script-src 'self'"
        assert "frame-ancestors 'none'" in policy["frame-ancestors"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]
