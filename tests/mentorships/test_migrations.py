"""The data migration numbers the existing pairs and groups of each program by id and gives a
pair without a variant its mentees' enrolment variant."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from nastavnik.programs.models import Enrolment, Variant
from tests.factories import PersonFactory, ProgramFactory, form
from tests.shipped import ensure_shipped_data

BEFORE = [("mentorships", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_existing_pairs_are_numbered_per_program_by_id() -> None:
    ensure_shipped_data()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Mentorship = apps.get_model("mentorships", "Mentorship")
    Member = apps.get_model("mentorships", "MentorshipMember")
    # Only the mentorships' tables are rolled back: the other apps' models are current.
    first: Any = ProgramFactory(form=form("teacher-student"))
    org = first.organization
    programs = [first, ProgramFactory(organization=org, form=first.form)]
    variant = Variant.objects.filter(form=first.form).first()
    pupil: Any = PersonFactory(organization=org)
    enrolment = Enrolment.objects.create(
        organization=org, program=first, person=pupil, role="mentee", variant=variant
    )
    # Interleaved ids across the two programs.
    rows = [
        Mentorship.objects.create(
            organization_id=org.pk, program_id=programs[i % 2].pk, status="active"
        )
        for i in range(5)
    ]
    Member.objects.create(
        organization_id=org.pk,
        mentorship=rows[0],
        enrolment_id=enrolment.pk,
        person_id=pupil.pk,
        role="mentee",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from nastavnik.mentorships.models import Mentorship as Current

    numbers = {m.pk: (m.program_id, m.number) for m in Current.objects.all()}
    assert numbers == {
        rows[0].pk: (programs[0].pk, 1),
        rows[1].pk: (programs[1].pk, 1),
        rows[2].pk: (programs[0].pk, 2),
        rows[3].pk: (programs[1].pk, 2),
        rows[4].pk: (programs[0].pk, 3),
    }
    assert variant is not None
    assert Current.objects.get(pk=rows[0].pk).variant_id == variant.pk
    assert Current.objects.get(pk=rows[2].pk).variant_id is None
