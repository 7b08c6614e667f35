"""Simulated users of the demo region for locust (``bench/load/run.py`` starts it headless).

Curators of several organizations browse the people, programs, matching and reports pages, import
a small table and start matching runs; mentors open their pairs and log meetings; mentees open
their pairs. Every user signs in once with a demo login and then alternates between the web
servers named in ``NASTAVNIK_LOAD_HOSTS`` (round robin by user), as a load balancer would.
Forms are read from the pages (every field's value as the page offers it), so the test follows
the forms as they change.

The users are locust's ``FastHttpUser`` (geventhttpclient): the load generator shares the
machine with the servers, and the lighter client leaves more of the CPU to them
(``NASTAVNIK_LOAD_CLIENT=http``: ``HttpUser``, requests, to compare). Users start
``--spawn-rate`` per second, so their logins (PBKDF2, a deliberately slow hash) are spread out;
when all have started and signed in, the statistics are reset and the run goes on for
``NASTAVNIK_LOAD_STEADY_SECONDS``: the figures cover that steady state only. The logins' own
figures, taken before the reset, are written to ``NASTAVNIK_LOAD_RAMP_STATS`` (JSON) for
``bench/load/run.py`` to report.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

import gevent
from locust import HttpUser, between, events, task
from locust.contrib.fasthttp import FastHttpUser

from bench.load.names import letters

PASSWORD = os.environ.get("NASTAVNIK_LOAD_PASSWORD", "nastavnik-demo")
HOSTS = os.environ.get("NASTAVNIK_LOAD_HOSTS", "http://127.0.0.1:8101").split(",")
_host_cycle = itertools.cycle(HOSTS)
# Seconds of steady state measured once every user has signed in (0: no reset, locust's -t).
STEADY_SECONDS = float(os.environ.get("NASTAVNIK_LOAD_STEADY_SECONDS", "0"))
RAMP_STATS = os.environ.get("NASTAVNIK_LOAD_RAMP_STATS", "")
# Every probe's (wall time, response ms) of the steady state, for run.py to set beside its CPU
# timeline.
PROBE_LOG = os.environ.get("NASTAVNIK_LOAD_PROBE_LOG", "")
# "fast": geventhttpclient (the default, the lighter client); "http": requests, to compare.
BaseUser: Any = HttpUser if os.environ.get("NASTAVNIK_LOAD_CLIENT") == "http" else FastHttpUser
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

CURATORS = ["curator", "curator-lyceum", "curator-college", "curator-lesnogorsk"]
MENTORS = ["mentor", "student-mentor"]
MENTEES = ["mentee", "young-teacher"]

IMPORT_CSV = (
    "Фамилия;Имя;Отчество;Категория;Класс;Дата рождения\r\n"
    "{last};Нагрузка;Тестовна;обучающийся;7 «А»;01.02.2013\r\n"
)


class FormReader(HTMLParser):
    """The forms of a page: action, method and every field's value as the browser would send."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {
                    "action": a.get("action", ""),
                    "method": a.get("method", "get"),
                    "fields": {},
                    "multi": {},
                }
            )
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.forms[-1]["multi"].setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, "")
        elif tag == "option" and self._select:
            if "selected" in a or not self.forms[-1]["fields"].get(self._select):
                fields[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


def forms_of(html: str) -> list[dict[str, Any]]:
    reader = FormReader()
    reader.feed(html)
    return reader.forms


def links(html: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(rf'href="({pattern})"', html)))


def encoded(data: dict[str, Any]) -> str:
    """A form body as a browser sends it: a field with several values (checkboxes) repeated."""
    return urlencode(data, doseq=True)


_ramp = {"spawned": False, "starting": 0, "signed_in": 0, "steady": False}
_probes: list[tuple[float, float]] = []


@events.request.add_listener
def _on_request(name: str, response_time: float, **_kwargs: Any) -> None:
    if name == "/healthz" and _ramp["steady"]:
        _probes.append((time.time(), response_time))


@events.spawning_complete.add_listener
def _on_spawned(**_kwargs: Any) -> None:
    _ramp["spawned"] = True


def _steady_state(environment: Any) -> None:
    """Once every user has started and signed in: keep the logins' figures (they happen only
    then), reset the statistics, run ``STEADY_SECONDS`` more and stop."""
    gevent.sleep(1)
    while not (_ramp["spawned"] and _ramp["signed_in"] >= _ramp["starting"]):
        gevent.sleep(0.5)
    gevent.sleep(2)  # the last pages of the last users to sign in
    stats = environment.stats
    kept = {
        f"{method} {name}": {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "median_ms": entry.median_response_time,
            "p95_ms": entry.get_response_time_percentile(0.95),
        }
        for (name, method), entry in stats.entries.items()
        if name.startswith("login")
    }
    stats.reset_all()
    _ramp["steady"] = True
    if RAMP_STATS:
        with open(RAMP_STATS, "w", encoding="utf-8") as file:
            json.dump({"users": _ramp["signed_in"], "stats": kept}, file)
    gevent.sleep(STEADY_SECONDS)
    if PROBE_LOG:
        with open(PROBE_LOG, "w", encoding="utf-8") as file:
            json.dump(_probes, file)
    environment.runner.quit()


@events.test_start.add_listener
def _on_test_start(environment: Any, **_kwargs: Any) -> None:
    if STEADY_SECONDS > 0:
        gevent.spawn(_steady_state, environment)


class DemoUser(BaseUser):
    abstract = True
    wait_time = between(5, 15)  # a person reads a page before the next click
    logins: list[str] = []

    def on_start(self) -> None:
        self.client.base_url = next(_host_cycle)
        self.username = random.choice(self.logins)
        _ramp["starting"] += 1
        try:
            page = self.client.get("/accounts/login/", name="login page")
            token = forms_of(page.text or "")[0]["fields"].get("csrfmiddlewaretoken", "")
            self.client.post(
                "/accounts/login/",
                data=encoded(
                    {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token}
                ),
                headers=FORM,
                name="login",
            )
        finally:
            # counted even when the login failed (a timeout): the steady state must not wait
            # forever for a user that will never sign in
            _ramp["signed_in"] += 1

    def post_form(
        self, page_url: str, name: str, changes: dict[str, str], index: int = -1, **kwargs: Any
    ) -> Any:
        page = self.client.get(page_url, name=f"{name} (form)")
        forms = [
            f
            for f in forms_of(page.text or "")
            if f["method"].lower() == "post" and "csrfmiddlewaretoken" in f["fields"]
        ]
        if not forms:
            return None
        form = forms[index]
        data: dict[str, Any] = {**form["fields"], **form["multi"], **changes}
        return self.client.post(
            form["action"] or page_url, data=encoded(data), headers=FORM, name=name, **kwargs
        )


class Curator(DemoUser):
    weight = 2
    logins = CURATORS

    @task(4)
    def people(self) -> None:
        page = self.client.get("/people/", name="/people/")
        found = links((page.text or ""), r"/people/\d+/")
        for url in random.sample(found, k=min(2, len(found))):
            self.client.get(url, name="/people/[id]/")

    @task(3)
    def programs(self) -> None:
        page = self.client.get("/programs/", name="/programs/")
        programs = links((page.text or ""), r"/programs/\d+/")
        if programs:
            program = random.choice(programs)
            self.client.get(program, name="/programs/[id]/")
            self.client.get(program + "base/", name="/programs/[id]/base/")
            self.client.get(program + "stages/", name="/programs/[id]/stages/")

    @task(2)
    def matching(self) -> None:
        page = self.client.get("/programs/", name="/programs/")
        ids = re.findall(r'href="/programs/(\d+)/"', (page.text or ""))
        if ids:
            runs = self.client.get(
                f"/matching/program/{random.choice(ids)}/", name="/matching/program/[id]/"
            )
            for url in links((runs.text or ""), r"/matching/runs/\d+/")[:1]:
                self.client.get(url, name="/matching/runs/[id]/")

    @task(1)
    def start_matching(self) -> None:
        page = self.client.get("/programs/", name="/programs/")
        ids = re.findall(r'href="/programs/(\d+)/"', (page.text or ""))
        if ids:
            self.post_form(
                f"/matching/program/{random.choice(ids)}/", "start matching run", {}, index=0
            )

    @task(2)
    def reports(self) -> None:
        page = self.client.get("/reports/", name="/reports/")
        for url in links((page.text or ""), r"/reports/[^\"]*\d+[^\"]*/")[:1]:
            self.client.get(url, name="/reports/[report]/")

    @task(1)
    def attention(self) -> None:
        self.client.get("/pairwork/attention/", name="/pairwork/attention/")

    @task(1)
    def import_people(self) -> None:
        body = IMPORT_CSV.format(last=f"Нагрузкин-{letters(random.randint(1, 10**6))}").encode()
        page = self.client.get("/imports/", name="/imports/")
        form = next((f for f in forms_of((page.text or "")) if "organization" in f["fields"]), None)
        if form is None:
            return
        data = {**form["fields"], "encoding": "utf-8", "delimiter": ";"}
        self.client.post(
            "/imports/",
            data=data,
            files={"file": ("people.csv", body, "text/csv")},
            name="import upload",
        )


class Mentor(DemoUser):
    weight = 3
    logins = MENTORS

    @task(4)
    def home(self) -> None:
        page = self.client.get("/pairwork/", name="/pairwork/")
        pairs = links((page.text or ""), r"/pairwork/pair/\d+/")
        if pairs:
            self.client.get(random.choice(pairs), name="/pairwork/pair/[id]/")

    @task(1)
    def log_meeting(self) -> None:
        page = self.client.get("/pairwork/", name="/pairwork/")
        pairs = re.findall(r'href="/pairwork/pair/(\d+)/"', (page.text or ""))
        if not pairs:
            return
        day = random.randint(1, 28)
        month = random.randint(9, 12)
        hour = random.randint(8, 17)
        self.post_form(
            f"/pairwork/pair/{random.choice(pairs)}/meetings/new/",
            "log a meeting",
            {
                "held": "on",
                "starts_at": f"2025-{month:02d}-{day:02d}T{hour:02d}:{random.choice(['00', '30'])}",
                "topic": "Нагрузочная встреча",
            },
        )


class Mentee(DemoUser):
    weight = 3
    logins = MENTEES

    @task
    def home(self) -> None:
        page = self.client.get("/pairwork/", name="/pairwork/")
        pairs = links((page.text or ""), r"/pairwork/pair/\d+/")
        if pairs:
            self.client.get(random.choice(pairs), name="/pairwork/pair/[id]/")


class Probe(BaseUser):
    """The reference: the cheapest answer of the same servers (no login; one `SELECT 1`)."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.base_url = next(_host_cycle)

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="/healthz")
