"""Benchmark of the monitoring figures: a region's roll-up and one organization's report.

Run from the repository root::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nastavnik .venv/bin/python -m bench.reports
    .venv/bin/python -m bench.reports --organizations 50     # SQLite, a quicker look

A throwaway database (``test_<name>`` on PostgreSQL, a file under ``var/bench/`` on SQLite) is
migrated and filled with bulk writes (not timed): a region of ``--municipalities`` municipalities
and ``--organizations`` schools of ``--pupils`` pupils and ``--teachers`` teachers, each with three
programs of the year (pupils, teacher–pupil, teachers), 40 % of the pupils and 30 % of the teachers
in the bases, pairs for most mentees and some groups, a few dissolved and completed, and a
program of the year before. Then, warm (one untimed run first), the median of ``--repeat`` runs:

1. **reference**: the naive roll-up, one organization at a time (``figures_by_organization([org])``
   in a loop, ``QUERY_COUNT`` queries per organization), then summed;
2. **roll-up**: the region's figures in one pass (``figures_by_organization(all)``, a fixed number
   of grouped queries) and summed — what the regional coordinator's page does;
3. **one report**: one organization's figures — what the curator's page does.

The ratio reference / roll-up is measured in the same run. Results are printed and written to
``bench/results/reports-<database>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "var" / "bench"
RESULTS_DIR = Path(__file__).resolve().parent / "results"
YEAR = 2026


def generate(args: argparse.Namespace) -> dict[str, int]:
    from nastavnik.mentorships.models import Mentorship, MentorshipMember
    from nastavnik.organizations.models import AcademicYear, Organization, Territory
    from nastavnik.people.models import Person
    from nastavnik.programs.models import Enrolment, MentoringForm, Program, Variant

    rng = random.Random(20261203)
    region = Territory.objects.create(name="Область", level="region", code="bench-region")
    municipalities = [
        Territory.objects.create(
            name=f"Муниципалитет {i}", level="municipality", parent=region, code=f"bench-m{i}"
        )
        for i in range(args.municipalities)
    ]
    organizations = Organization.objects.bulk_create(
        Organization(
            territory=municipalities[i % len(municipalities)],
            kind="school",
            name=f"Школа № {i}",
            short_name=f"Школа № {i}",
            code=f"bench-school-{i}",
        )
        for i in range(args.organizations)
    )
    forms = {f.code: f for f in MentoringForm.objects.all()}
    variants: dict[str, list[Variant]] = {}
    for variant in Variant.objects.filter(organization__isnull=True):
        variants.setdefault(variant.form.code, []).append(variant)
    counts = {"people": 0, "enrolments": 0, "mentorships": 0, "members": 0}
    for org in organizations:
        years = {
            start: AcademicYear.objects.create(organization=org, start_year=start)
            for start in (YEAR - 1, YEAR)
        }
        programs = {
            code: Program.objects.create(
                organization=org, academic_year=years[YEAR], form=forms[code], title=code
            )
            for code in ("student-student", "teacher-student", "teacher-teacher")
        }
        old = Program.objects.create(
            organization=org,
            academic_year=years[YEAR - 1],
            form=forms["student-student"],
            title="old",
        )
        people = []
        for i in range(args.pupils + args.teachers):
            person = Person(
                organization=org,
                last_name=f"Фамилия{i}",
                first_name="Имя",
                category="student" if i < args.pupils else "teacher",
                class_name="7А" if i < args.pupils else "",
            )
            person.normalize()
            people.append(person)
        people = Person.objects.bulk_create(people)
        pupils, teachers = people[: args.pupils], people[args.pupils :]
        rng.shuffle(pupils)
        rng.shuffle(teachers)
        enrolments: list[Enrolment] = []
        pairs: list[tuple[Program, Enrolment, list[Enrolment]]] = []

        def enrol(
            program: Program,
            person: Person,
            role: str,
            org: Organization = org,
            enrolments: list[Enrolment] = enrolments,
        ) -> Enrolment:
            choices: list[Variant | None] = [*variants.get(program.form.code, [])] or [None]
            e = Enrolment(
                organization=org,
                program=program,
                person=person,
                role=role,
                variant=rng.choice(choices) if role == "mentee" else None,
                status="active",
            )
            enrolments.append(e)
            return e

        n_mentors = args.pupils // 10
        n_mentees = args.pupils * 3 // 10
        pupil_mentors = [
            enrol(programs["student-student"], p, "mentor") for p in pupils[:n_mentors]
        ]
        pupil_mentees = [
            enrol(programs["student-student"], p, "mentee")
            for p in pupils[n_mentors : n_mentors + n_mentees]
        ]
        t_count = max(2, args.teachers * 3 // 10)
        t_mentors = [
            enrol(programs["teacher-student"], t, "mentor") for t in teachers[: t_count // 2]
        ]
        gifted = [
            enrol(programs["teacher-student"], p, "mentee") for p in pupils[: args.pupils // 20]
        ]
        tt_mentors = [
            enrol(programs["teacher-teacher"], t, "mentor") for t in teachers[: t_count // 2]
        ]
        tt_mentees = [
            enrol(programs["teacher-teacher"], t, "mentee")
            for t in teachers[t_count // 2 : t_count]
        ]
        old_mentors = [enrol(old, p, "mentor") for p in pupils[:n_mentors]]
        old_mentees = [enrol(old, p, "mentee") for p in pupils[n_mentors : 2 * n_mentors]]
        Enrolment.objects.bulk_create(enrolments)
        counts["people"] += len(people)
        counts["enrolments"] += len(enrolments)

        for index, mentee in enumerate(pupil_mentees):
            mentor = pupil_mentors[index % len(pupil_mentors)]
            if index % 10 == 9:  # every tenth mentee joins the previous one's group
                pairs[-1][2].append(mentee)
            else:
                pairs.append((programs["student-student"], mentor, [mentee]))
        for index, mentee in enumerate(gifted):
            pairs.append((programs["teacher-student"], t_mentors[index % len(t_mentors)], [mentee]))
        for index, mentee in enumerate(tt_mentees):
            pairs.append(
                (programs["teacher-teacher"], tt_mentors[index % len(tt_mentors)], [mentee])
            )
        for mentor, mentee in zip(old_mentors, old_mentees, strict=False):
            pairs.append((old, mentor, [mentee]))
        statuses = ["active"] * 17 + ["completed", "dissolved", "paused"]
        mentorships = Mentorship.objects.bulk_create(
            Mentorship(
                organization=org,
                program=program,
                number=number,  # the pair's number in its program (required since it exists)
                status=rng.choice(statuses),
                is_group=len(mentees) > 1,
            )
            for number, (program, _mentor, mentees) in enumerate(pairs, start=1)
        )
        members = []
        for mentorship, (_program, mentor, mentees) in zip(mentorships, pairs, strict=True):
            for enrolment, role in [(mentor, "mentor"), *((m, "mentee") for m in mentees)]:
                members.append(
                    MentorshipMember(
                        organization=org,
                        mentorship=mentorship,
                        enrolment=enrolment,
                        person_id=enrolment.person_id,
                        role=role,
                    )
                )
        MentorshipMember.objects.bulk_create(members)
        counts["mentorships"] += len(mentorships)
        counts["members"] += len(members)
    return counts


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, int]:
    """Median wall seconds of ``repeat`` warm runs, and the queries of one run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()
    with CaptureQueriesContext(connection) as queries:
        fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--organizations", type=int, default=200)
    parser.add_argument("--municipalities", type=int, default=10)
    parser.add_argument("--pupils", type=int, default=500)
    parser.add_argument("--teachers", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings.base")
    django.setup()
    from django.db import connection

    from nastavnik.organizations.models import Organization
    from nastavnik.reports.figures import Figures, figures_by_organization

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    old_name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(DATA_DIR / "bench-reports.sqlite3")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        started = time.perf_counter()
        counts = generate(args)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        generated = time.perf_counter() - started
        org_ids = list(Organization.objects.values_list("id", flat=True))

        def naive() -> Figures:
            return Figures.sum(figures_by_organization([i], YEAR)[i] for i in org_ids)

        def rollup() -> Figures:
            return Figures.sum(figures_by_organization(org_ids, YEAR).values())

        def one() -> Figures:
            return figures_by_organization(org_ids[:1], YEAR)[org_ids[0]]

        assert naive().as_json() == rollup().as_json(), "the roll-up differs from the sum"
        reference, reference_queries = timed(naive, args.repeat)
        aggregated, aggregated_queries = timed(rollup, args.repeat)
        single, single_queries = timed(one, args.repeat)
        result = {
            "date": dt.date.today().isoformat(),
            "database": connection.vendor,
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}",
            "organizations": len(org_ids),
            **counts,
            "generate_seconds": round(generated, 1),
            "naive_rollup_seconds": round(reference, 4),
            "naive_rollup_queries": reference_queries,
            "rollup_seconds": round(aggregated, 4),
            "rollup_queries": aggregated_queries,
            "ratio_naive_over_rollup": round(reference / aggregated, 2),
            "one_report_seconds": round(single, 4),
            "one_report_queries": single_queries,
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / f"reports-{result['database']}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
