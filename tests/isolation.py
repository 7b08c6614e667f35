"""The tenant isolation checker, run over every URL pattern of a URLconf.

For each pattern it fills the URL's keyword arguments with objects of a *victim*
organization and asks, as
- an anonymous visitor: every non-public page must send to the login page (or answer 401/403/404);
- a curator of *another* organization: an object URL answers 404 to GET and POST and changes
  nothing; a list URL may answer, but never shows a name of the victim's people;
- a mentor of the victim organization: what a mentor may not see answers 403/404, and no page shows
  the victim's pupils' names.

A new URL joins the check by itself. Its keyword arguments must have an object maker: add one to
``OBJECT_MAKERS`` of ``tests/<app>/isolation.py`` (collected automatically), or the check fails
with «no object maker for …».

Real POST bodies. An empty POST never reaches the write a form would make, so a leak in a write
would go unnoticed. Every URL with keyword arguments therefore declares what it posts, in the
same module:

- ``POST_BODIES = {"app:url_name": body}``: ``body(victim, values)`` returns the form data a
  curator of the victim organization would send (``values``: the URL's keyword arguments, the
  victim's objects). The outsider posts exactly that;
- ``NO_FORM = {"app:url_name", ...}``: URLs that take no form (pages, downloads, the API's GETs,
  or actions whose POST carries no field); they get the empty body.

A URL with keyword arguments in neither fails the check with «no POST body declared for …». The
test ``test_post_bodies_are_valid`` sends every declared body as the victim's own curator and
requires it to change the victim's data, so a body that would not validate cannot hide there.

«Unchanged» is proven by a fingerprint of the victim organization: every row of every model with
an ``organization`` foreign key that belongs to it (all columns), the organization's own row and
the number of audit entries, taken before and after the outsider's GET and POST.
"""

from __future__ import annotations

import hashlib
import importlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import models
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from nastavnik.core.models import AuditEntry
from nastavnik.organizations.models import Organization
from nastavnik.people.models import Person
from tests.conftest import Tenant, login, make_tenant


@dataclass(frozen=True)
class Maker:
    """Builds an object of the victim tenant and returns the value for the URL kwarg."""

    make: Callable[[Tenant], object]
    # May a mentor of the same organization open it (e.g. the program page)? Then the check only
    # asserts that no pupil's name leaks.
    mentor_may_see: bool = False


def _person(tenant: Tenant) -> object:
    return tenant.student.pk


def _organization(tenant: Tenant) -> object:
    return tenant.organization.pk


OBJECT_MAKERS: dict[str, Maker] = {
    "person_id": Maker(_person),
    "organization_id": Maker(_organization, mentor_may_see=True),
}

# URL names that anyone may open without logging in.
PUBLIC_URL_NAMES: set[str] = {
    "accounts:login",
    "core:healthz",
    "api:openapi-json",
    "api:openapi-view",
}

# What a curator of the victim organization would post to a URL (see the module's docstring).
PostBody = Callable[[Tenant, dict[str, Any]], dict[str, Any]]
POST_BODIES: dict[str, PostBody] = {}
NO_FORM: set[str] = {"organizations:detail", "api:get_organization"}

# Django's own admin has its own staff checks and is tested separately.
SKIPPED_PREFIXES = ("admin/", "static/", "media/")


def _collect_app_makers() -> None:
    for path in sorted(Path(__file__).parent.glob("*/isolation.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.isolation")
        OBJECT_MAKERS.update(getattr(module, "OBJECT_MAKERS", {}))
        PUBLIC_URL_NAMES.update(getattr(module, "PUBLIC_URL_NAMES", set()))
        POST_BODIES.update(getattr(module, "POST_BODIES", {}))
        NO_FORM.update(getattr(module, "NO_FORM", set()))


_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    route: str
    name: str
    kwargs: tuple[str, ...]


@dataclass(frozen=True)
class Violation:
    route: str
    actor: str
    method: str
    status: int
    reason: str

    def __str__(self) -> str:
        return f"{self.method} /{self.route} as {self.actor}: {self.status} — {self.reason}"


def iter_routes(urlconf: str | None = None) -> Iterator[Route]:
    def walk(patterns: Sequence[object], prefix: str, namespace: str) -> Iterator[Route]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace or ""
                full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                if route.startswith(SKIPPED_PREFIXES) or route.startswith("^"):
                    continue
                name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
                kwargs = tuple(m.group("name") for m in _PARAM.finditer(route))
                yield Route(route, name, kwargs)

    yield from walk(get_resolver(urlconf).url_patterns, "", "")


def fill(route: str, values: dict[str, object]) -> str:
    return "/" + _PARAM.sub(lambda m: str(values[m.group("name")]), route)


def _is_login_redirect(response: object) -> bool:
    status = getattr(response, "status_code", 0)
    location = getattr(response, "headers", {}).get("Location", "")
    return status in (301, 302) and "/accounts/login/" in location


def _tenant_models() -> list[type[models.Model]]:
    """Every model with an ``organization`` foreign key to the organization."""
    found = []
    for model in apps.get_models():
        try:
            field = model._meta.get_field("organization")
        except Exception:
            continue
        if getattr(field, "related_model", None) is Organization and field.concrete:
            found.append(model)
    return found


def victim_fingerprint(victim: Tenant) -> str:
    """A hash of every row the victim organization owns (see the module's docstring)."""
    digest = hashlib.sha256()
    org = victim.organization
    digest.update(repr(list(Organization.objects.filter(pk=org.pk).values())).encode())
    for model in _tenant_models():
        rows = model._default_manager.filter(organization=org).order_by("pk").values()
        digest.update(f"{model._meta.label}:{list(rows)!r}".encode())
    # Entries about the visit itself (logins, logouts, refusals) do not change the victim's data.
    changes = AuditEntry.objects.exclude(action__startswith="auth.").exclude(
        action__in=("access.denied", "session.expired")
    )
    digest.update(str(changes.count()).encode())
    return digest.hexdigest()


def victim_tables(victim: Tenant) -> dict[str, str]:
    """The fingerprint per table, to name what changed."""
    org = victim.organization
    return {
        model._meta.label: repr(
            list(model._default_manager.filter(organization=org).order_by("pk").values())
        )
        for model in _tenant_models()
    }


def form_data(form: Any, **changes: Any) -> dict[str, Any]:
    """What a page's form posts when submitted as rendered (its initial values), with changes.

    ``form`` is an unbound form built as the view builds it; ``changes`` use the fields' names
    (without the form's prefix)."""
    data: dict[str, Any] = {}
    for name in form.fields:
        value = changes[name] if name in changes else form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        elif isinstance(value, list | tuple | set):
            value = [getattr(v, "pk", v) for v in value]
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        else:
            value = getattr(value, "pk", value)
        data[form.add_prefix(name)] = value
    return data


def post_body(route: Route, victim: Tenant, values: dict[str, Any]) -> dict[str, Any] | None:
    """The declared body; None when the URL has kwargs and declares neither body nor NO_FORM."""
    key = route.name or route.route
    if key in POST_BODIES:
        return POST_BODIES[key](victim, values)
    if key in NO_FORM or not route.kwargs:
        return {}
    return None


def check_isolation(urlconf: str | None = None, *, only_prefix: str = "") -> list[Violation]:
    """Run the matrix; returns what went wrong (an empty list is a pass)."""
    if urlconf is not None:
        with override_settings(ROOT_URLCONF=urlconf):
            return check_isolation(only_prefix=only_prefix)
    victim = make_tenant("victim")
    intruder = make_tenant("intruder")
    # The names of the victim's people must never reach an outsider; the pupil's name must never
    # reach a mentor who does not work with the pupil.
    outsider_markers = list(
        Person.objects.filter(organization=victim.organization).values_list("last_name", flat=True)
    )
    pupil_markers = [victim.student.last_name]
    violations: list[Violation] = []

    for route in iter_routes():
        if not route.route.startswith(only_prefix):
            continue
        missing = [k for k in route.kwargs if k not in OBJECT_MAKERS]
        if missing:
            violations.append(
                Violation(route.route, "-", "-", 0, f"no object maker for {', '.join(missing)}")
            )
            continue
        values = {k: OBJECT_MAKERS[k].make(victim) for k in route.kwargs}
        url = fill(route.route, values)
        body = post_body(route, victim, values)
        if body is None:
            violations.append(
                Violation(
                    route.route,
                    "-",
                    "POST",
                    0,
                    f"no POST body declared for {route.name or route.route}: add it to "
                    "POST_BODIES or NO_FORM "
                    "of tests/<app>/isolation.py",
                )
            )
            body = {}
        has_object = bool(route.kwargs)
        mentor_may_see = all(OBJECT_MAKERS[k].mentor_may_see for k in route.kwargs)
        # Fresh sessions for every route: a logout URL must not spoil the rest of the run.
        anonymous, outsider, mentor = Client(), login(intruder.curator), login(victim.mentor)

        # Anonymous.
        response = anonymous.get(url)
        if route.name not in PUBLIC_URL_NAMES and not (
            _is_login_redirect(response) or response.status_code in (401, 403, 404, 405)
        ):
            violations.append(
                Violation(route.route, "anonymous", "GET", response.status_code, "not protected")
            )

        # A curator of another organization.
        before = victim_fingerprint(victim)
        for method in ("GET", "POST"):
            response = outsider.get(url) if method == "GET" else outsider.post(url, body)
            content = (
                response.content.decode(errors="replace") if response.status_code == 200 else ""
            )
            if has_object and response.status_code not in (404, 405):
                violations.append(
                    Violation(
                        route.route,
                        "other organization's curator",
                        method,
                        response.status_code,
                        "another organization's object must answer 404",
                    )
                )
            leaked = [m for m in outsider_markers if m in content]
            if leaked:
                violations.append(
                    Violation(
                        route.route,
                        "other organization's curator",
                        method,
                        response.status_code,
                        f"shows {', '.join(leaked)}",
                    )
                )
        if victim_fingerprint(victim) != before:
            violations.append(
                Violation(
                    route.route,
                    "other organization's curator",
                    "POST",
                    0,
                    "changed the victim organization's data",
                )
            )

        # A mentor of the same organization.
        response = mentor.get(url)
        content = response.content.decode(errors="replace") if response.status_code == 200 else ""
        if has_object and not mentor_may_see and response.status_code not in (403, 404, 405):
            violations.append(
                Violation(
                    route.route,
                    "mentor",
                    "GET",
                    response.status_code,
                    "a mentor must not open this object",
                )
            )
        leaked = [m for m in pupil_markers if m in content]
        if leaked:
            violations.append(
                Violation(
                    route.route, "mentor", "GET", response.status_code, f"shows {', '.join(leaked)}"
                )
            )
    return violations


# Last: the app modules import the helpers above.
_collect_app_makers()
