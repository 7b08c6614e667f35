"""Committing an import: one transaction, idempotent, recorded, enrolling with consent only."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from nastavnik.consents.models import ConsentPurpose
from nastavnik.consents.services import consent_record
from nastavnik.core.models import AuditEntry
from nastavnik.imports import apply as apply_module
from nastavnik.imports.columns import COLUMNS
from nastavnik.imports.models import ImportBatch, ImportStatus
from nastavnik.imports.services import import_analyze, import_commit, import_upload
from nastavnik.people.models import Person, ProfileCompetency
from nastavnik.programs.models import Enrolment, Program
from tests.imports.helpers import PUPIL, TEACHER, row, xlsx_bytes


def upload(tenant: Any, data: bytes, **options: Any) -> ImportBatch:
    batch = import_upload(
        actor=tenant.curator,
        organization=tenant.organization,
        source=io.BytesIO(data),
        original_name="people.xlsx",
        **options,
    )
    return import_analyze(batch_id=batch.pk)


def commit(tenant: Any, data: bytes, **options: Any) -> ImportBatch:
    return import_commit(actor=tenant.curator, batch=upload(tenant, data), **options)


def people(tenant: Any) -> Any:
    return Person.objects.filter(organization=tenant.organization)


def test_a_clean_file_creates_people_with_profiles(tenant_a: Any) -> None:
    before = people(tenant_a).count()
    batch = commit(tenant_a, xlsx_bytes([row(**PUPIL), row(**TEACHER)]))
    assert batch.status == ImportStatus.DONE
    assert (batch.created_count, batch.updated_count, batch.skipped_count) == (2, 0, 0)
    assert people(tenant_a).count() == before + 2
    pupil = people(tenant_a).get(snils="112-233-445 95")
    assert pupil.full_name == "Петров Пётр Иванович"
    assert pupil.class_name == "7Б"
    assert pupil.search_name == "петров петр иванович"
    teacher = people(tenant_a).get(last_name="Смирнова")
    assert teacher.email == "smirnova@example.ru"
    assert teacher.phone == "+7 (912) 345-67-89"
    assert teacher.profile.interests == "шахматы"
    assert set(
        ProfileCompetency.objects.filter(profile=teacher.profile).values_list(
            "competency__code", flat=True
        )
    ) == {"robotics", "programming"}
    assert not batch.file.name, "the file holds personal data: deleted after the import"


def test_the_import_is_recorded_in_the_audit_log(tenant_a: Any) -> None:
    batch = commit(tenant_a, xlsx_bytes([row(**PUPIL)]))
    entry = AuditEntry.objects.get(action="import.commit", object_id=str(batch.pk))
    assert entry.actor == tenant_a.curator
    assert entry.data["sha256"] == batch.sha256
    assert len(batch.sha256) == 64
    assert entry.data["created"] == 1
    assert entry.data["rows"] == 1
    person = people(tenant_a).get(snils="112-233-445 95")
    assert AuditEntry.objects.filter(person_id=person.pk, action="person.import_create").exists()


def test_reimporting_the_same_file_changes_nothing(tenant_a: Any) -> None:
    data = xlsx_bytes([row(**PUPIL), row(**TEACHER)])
    first = commit(tenant_a, data)
    state = list(people(tenant_a).order_by("pk").values_list("pk", "updated_at"))
    audit_count = AuditEntry.objects.filter(action__startswith="person.").count()
    second = upload(tenant_a, data)
    assert second.duplicate_of == first, "the same file is recognized by its hash"
    assert (second.to_create, second.to_update, second.unchanged) == (0, 0, 2)
    second = import_commit(actor=tenant_a.curator, batch=second)
    assert (second.created_count, second.updated_count) == (0, 0)
    assert list(people(tenant_a).order_by("pk").values_list("pk", "updated_at")) == state
    assert AuditEntry.objects.filter(action__startswith="person.").count() == audit_count


def test_an_edited_file_updates_only_what_changed(tenant_a: Any) -> None:
    commit(tenant_a, xlsx_bytes([row(**PUPIL), row(**TEACHER)]))
    teacher_before = people(tenant_a).get(last_name="Смирнова")
    edited = {**PUPIL, "class_name": "8б", "last_name": "Петров-Водкин"}
    batch = upload(tenant_a, xlsx_bytes([row(**edited), row(**TEACHER)]))
    assert (batch.to_create, batch.to_update, batch.unchanged) == (0, 1, 1)
    assert batch.preview[0]["changes"] == ["last_name", "class_name"]
    batch = import_commit(actor=tenant_a.curator, batch=batch)
    pupil = people(tenant_a).get(snils="112-233-445 95")
    assert (pupil.last_name, pupil.class_name) == ("Петров-Водкин", "8Б")
    assert people(tenant_a).get(pk=teacher_before.pk).updated_at == teacher_before.updated_at


def test_a_person_is_found_by_name_and_birth_date_without_snils(tenant_a: Any) -> None:
    commit(tenant_a, xlsx_bytes([row(**{**PUPIL, "snils": ""})]))
    batch = upload(tenant_a, xlsx_bytes([row(**{**PUPIL, "last_name": "ПЕТРОВ"})]))
    assert (batch.to_create, batch.to_update) == (0, 1)  # adds the СНИЛС to the same person
    import_commit(actor=tenant_a.curator, batch=batch)
    assert people(tenant_a).filter(last_name="Петров").count() == 1


def test_any_invalid_row_imports_nothing_by_default(tenant_a: Any) -> None:
    before = people(tenant_a).count()
    batch = upload(tenant_a, xlsx_bytes([row(**TEACHER), row(**{**PUPIL, "category": "?"})]))
    with pytest.raises(ValidationError) as caught:
        import_commit(actor=tenant_a.curator, batch=batch)
    assert "1" in caught.value.messages[0]
    assert people(tenant_a).count() == before
    batch.refresh_from_db()
    assert batch.status == ImportStatus.READY  # the user may still choose to skip


def test_skip_invalid_imports_the_valid_rows_and_reports_the_rest(tenant_a: Any) -> None:
    before = people(tenant_a).count()
    bad = {**PUPIL, "category": "директор"}
    batch = commit(tenant_a, xlsx_bytes([row(**TEACHER), row(**bad)]), skip_invalid=True)
    assert (batch.created_count, batch.skipped_count) == (1, 1)
    assert people(tenant_a).count() == before + 1
    assert batch.skipped_rows[0]["row"] == 3
    assert batch.skipped_rows[0]["cells"][0] == "Петров"
    assert "директор" in batch.skipped_rows[0]["problems"][0]


def last_audit_id() -> int:
    """The newest audit row's id (ids keep growing across tests on PostgreSQL: not a count)."""
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_nothing_partial_survives_a_crash(tenant_a: Any, monkeypatch: Any) -> None:
    before = people(tenant_a).count()
    audit_before = last_audit_id()

    def crash(*args: Any, **kwargs: Any) -> int:
        raise RuntimeError("the disk is full")

    # Fail after the people and profiles are written, before the enrolments.
    monkeypatch.setattr(apply_module, "_enrol", crash)
    batch = upload(tenant_a, xlsx_bytes([row(**PUPIL), row(**TEACHER)]))
    with pytest.raises(ValidationError):
        import_commit(actor=tenant_a.curator, batch=batch)
    assert people(tenant_a).count() == before
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "ничего не импортировано" in batch.error
    # Only the batch's own bookkeeping, no person rows, survived.
    assert not AuditEntry.objects.filter(pk__gt=audit_before, action__startswith="person.").exists()


def grant(tenant: Any, person: Person) -> None:
    import datetime as dt

    for purpose in (ConsentPurpose.PERSONAL_DATA, ConsentPurpose.PARTICIPATION):
        consent_record(
            actor=tenant.curator,
            person=person,
            purpose=purpose,
            given_on=dt.date(2026, 9, 1),
            given_by="parent" if person.category == "student" else "person",
            representative_name="Петрова Мария Ивановна" if person.category == "student" else "",
        )


def test_rows_with_a_role_enrol_people_with_consent_only(tenant_a: Any) -> None:
    commit(tenant_a, xlsx_bytes([row(**PUPIL), row(**TEACHER)]))
    pupil = people(tenant_a).get(snils="112-233-445 95")
    teacher = people(tenant_a).get(last_name="Смирнова")
    grant(tenant_a, teacher)
    rows = [
        row(
            **PUPIL,
            role="наставляемый",
            form="Учитель-ученик",
            variant="учитель – одарённый ребёнок",
        ),
        row(**TEACHER, role="наставник", form="учитель – ученик", capacity="3"),
    ]
    batch = upload(tenant_a, xlsx_bytes(rows))
    assert batch.enrolments == 1
    assert batch.enrolments_blocked == 1
    assert "согласия" in batch.warnings[0]["message"]
    import_commit(actor=tenant_a.curator, batch=batch)
    program = Program.objects.get(organization=tenant_a.organization, form__code="teacher-student")
    enrolment = Enrolment.objects.get(program=program, person=teacher)
    assert (enrolment.role, enrolment.status, enrolment.capacity) == ("mentor", "candidate", 3)
    assert not Enrolment.objects.filter(person=pupil).exists()

    grant(tenant_a, pupil)
    batch = import_commit(actor=tenant_a.curator, batch=upload(tenant_a, xlsx_bytes(rows)))
    enrolment = Enrolment.objects.get(person=pupil)
    assert enrolment.variant is not None
    assert enrolment.variant.code == "teacher-gifted"
    assert (batch.updated_count, batch.unchanged) == (1, 1)
    again = upload(tenant_a, xlsx_bytes(rows))
    assert (again.to_update, again.unchanged) == (0, 2)


def test_another_organization_is_untouched(tenant_a: Any, tenant_b: Any) -> None:
    commit(tenant_b, xlsx_bytes([row(**PUPIL)]))
    batch = commit(tenant_a, xlsx_bytes([row(**PUPIL)]))
    assert batch.created_count == 1  # the same СНИЛС in another organization is another record
    assert Person.objects.filter(snils="112-233-445 95").count() == 2


def test_a_mentor_may_not_import(tenant_a: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_upload(
            actor=tenant_a.mentor,
            organization=tenant_a.organization,
            source=io.BytesIO(xlsx_bytes([row(**PUPIL)])),
            original_name="people.xlsx",
        )


def test_the_command_line(tenant_a: Any, tmp_path: Any) -> None:
    path = tmp_path / "people.xlsx"
    path.write_bytes(xlsx_bytes([row(**PUPIL), row(**{**TEACHER, "snils": "1"})]))
    out = io.StringIO()
    before = people(tenant_a).count()
    with pytest.raises(Exception) as caught:
        call_command(
            "import_people", str(path), organization=tenant_a.organization.code, stdout=out
        )
    assert "ничего не импортировано" in str(caught.value)
    assert "строка 3, столбец «СНИЛС»" in out.getvalue()
    call_command(
        "import_people",
        str(path),
        organization=tenant_a.organization.code,
        dry_run=True,
        stdout=out,
    )
    assert people(tenant_a).count() == before
    out = io.StringIO()
    call_command(
        "import_people",
        str(path),
        organization=tenant_a.organization.code,
        skip_invalid=True,
        stdout=out,
    )
    assert people(tenant_a).count() == before + 1
    assert "создано: 1" in out.getvalue()
    assert AuditEntry.objects.filter(action="import.commit", actor__isnull=True).count() == 1


def test_namesakes_born_the_same_day_with_different_snils_are_two_people(tenant_a: Any) -> None:
    twin = {**PUPIL, "snils": "112-233-446 96"}
    batch = commit(tenant_a, xlsx_bytes([row(**PUPIL), row(**twin)]))
    assert batch.created_count == 2
    again = upload(tenant_a, xlsx_bytes([row(**PUPIL), row(**twin)]))
    assert again.unchanged == 2


def test_anonymization_drops_the_person_from_stored_import_rows(tenant_a: Any) -> None:
    from nastavnik.consents.services import person_anonymize

    commit(tenant_a, xlsx_bytes([row(**PUPIL)]))
    pupil = people(tenant_a).get(snils="112-233-445 95")
    bad = {**PUPIL, "class_name": "x" * 40}
    batch = commit(tenant_a, xlsx_bytes([row(**TEACHER), row(**bad)]), skip_invalid=True)
    assert batch.skipped_rows[0]["cells"][0] == "Петров"
    pending = upload(tenant_a, xlsx_bytes([row(**PUPIL)]))
    assert pending.preview[0]["name"] == "Петров Пётр Иванович"
    person_anonymize(actor=tenant_a.curator, person=pupil)
    batch.refresh_from_db()
    pending.refresh_from_db()
    assert batch.skipped_rows == []
    assert pending.preview == []


CONSENTED_PUPIL = {
    **PUPIL,
    "role": "наставляемый",
    "form": "учитель – ученик",
    "consent_date": "01.09.2026",
    "representative": "Петрова Мария Ивановна",
}


def test_a_new_pupil_with_a_consent_date_gets_both_consents_and_is_enrolled(
    tenant_a: Any,
) -> None:
    from nastavnik.consents.models import Consent

    data = xlsx_bytes([row(**CONSENTED_PUPIL)])
    batch = upload(tenant_a, data)
    assert (batch.to_create, batch.enrolments, batch.enrolments_blocked) == (1, 1, 0)
    assert batch.warnings == []
    import_commit(actor=tenant_a.curator, batch=batch)
    pupil = people(tenant_a).get(snils="112-233-445 95")
    consents = Consent.objects.filter(person=pupil)
    assert {c.purpose for c in consents} == {
        ConsentPurpose.PERSONAL_DATA,
        ConsentPurpose.PARTICIPATION,
    }
    for consent in consents:
        assert (consent.given_by, consent.representative_name) == (
            "parent",
            "Петрова Мария Ивановна",
        )
        assert consent.given_on.isoformat() == "2026-09-01"
        assert consent.text_id is not None
        assert consent.valid_until is not None
        assert consent.recorded_by == tenant_a.curator
    assert AuditEntry.objects.filter(action="consent.record", person_id=pupil.pk).count() == 2
    enrolment = Enrolment.objects.get(person=pupil)
    assert (enrolment.role, enrolment.status) == ("mentee", "candidate")

    audit_before = last_audit_id()
    again = upload(tenant_a, data)
    assert (again.to_create, again.to_update, again.unchanged, again.enrolments) == (0, 0, 1, 0)
    import_commit(actor=tenant_a.curator, batch=again)
    assert Consent.objects.filter(person=pupil).count() == 2
    assert Enrolment.objects.filter(person=pupil).count() == 1
    assert not AuditEntry.objects.filter(
        pk__gt=audit_before, action__startswith="consent."
    ).exists()


def test_a_known_person_without_consent_gets_it_from_the_file(tenant_a: Any) -> None:
    from nastavnik.consents.models import Consent

    commit(tenant_a, xlsx_bytes([row(**TEACHER)]))
    teacher = people(tenant_a).get(last_name="Смирнова")
    rows = [row(**TEACHER, role="наставник", form="учитель – ученик", consent_date="02.09.2026")]
    batch = upload(tenant_a, xlsx_bytes(rows))
    assert (batch.to_update, batch.enrolments) == (1, 1)
    import_commit(actor=tenant_a.curator, batch=batch)
    assert set(Consent.objects.filter(person=teacher).values_list("given_by", flat=True)) == {
        "person"
    }
    assert Enrolment.objects.filter(person=teacher, role="mentor").exists()


def test_checking_a_file_stores_no_academic_year(tenant_a: Any) -> None:
    from nastavnik.organizations.models import AcademicYear

    AcademicYear.objects.filter(organization=tenant_a.organization).delete()
    batch = upload(tenant_a, xlsx_bytes([row(**CONSENTED_PUPIL)]))
    assert (batch.to_create, batch.enrolments) == (1, 1)
    assert not AcademicYear.objects.filter(organization=tenant_a.organization).exists()
    import_commit(actor=tenant_a.curator, batch=batch)
    (year,) = AcademicYear.objects.filter(organization=tenant_a.organization)
    assert Enrolment.objects.get(person__snils="112-233-445 95").program.academic_year == year


def test_a_representative_of_an_adult_is_a_warning_not_a_silent_drop(tenant_a: Any) -> None:
    from nastavnik.consents.models import Consent

    rows = [
        row(
            **TEACHER,
            role="наставник",
            form="учитель – ученик",
            consent_date="02.09.2026",
            representative="Петрова Мария Ивановна",
        )
    ]
    batch = upload(tenant_a, xlsx_bytes(rows))
    assert batch.invalid_rows == 0
    (warning,) = batch.warnings
    assert (warning["row"], warning["column"]) == (2, "Законный представитель")
    assert "совершеннолет" in warning["message"]
    import_commit(actor=tenant_a.curator, batch=batch)
    teacher = people(tenant_a).get(last_name="Смирнова")
    assert set(
        Consent.objects.filter(person=teacher).values_list("given_by", "representative_name")
    ) == {("person", "")}


def test_a_minor_without_a_representative_is_a_row_error(tenant_a: Any) -> None:
    from nastavnik.consents.models import Consent

    batch = upload(tenant_a, xlsx_bytes([row(**{**CONSENTED_PUPIL, "representative": ""})]))
    assert batch.invalid_rows == 1
    issue = batch.issues[0]
    assert (issue["row"], issue["column"]) == (2, "Законный представитель")
    assert "несовершеннолет" in issue["message"]
    with pytest.raises(ValidationError):
        import_commit(actor=tenant_a.curator, batch=batch)
    assert not people(tenant_a).filter(snils="112-233-445 95").exists()
    assert not Consent.objects.filter(person__last_name="Петров").exists()


def test_a_bad_consent_date_is_a_row_error(tenant_a: Any) -> None:
    batch = upload(tenant_a, xlsx_bytes([row(**{**CONSENTED_PUPIL, "consent_date": "1 сент"})]))
    assert batch.invalid_rows == 1
    issue = batch.issues[0]
    assert (issue["row"], issue["column"]) == (2, "Согласие получено")
    assert "дд.мм.гггг" in issue["message"]


def test_without_the_consent_columns_a_new_person_is_not_enrolled(tenant_a: Any) -> None:
    from nastavnik.consents.models import Consent

    header = [c.header for c in COLUMNS if c.key not in ("consent_date", "representative")]
    values = row(**CONSENTED_PUPIL)[: len(header)]
    batch = upload(tenant_a, xlsx_bytes([values], header=header))
    assert (batch.enrolments, batch.enrolments_blocked) == (0, 1)
    assert "согласия" in batch.warnings[0]["message"]
    import_commit(actor=tenant_a.curator, batch=batch)
    pupil = people(tenant_a).get(snils="112-233-445 95")
    assert not Consent.objects.filter(person=pupil).exists()
    assert not Enrolment.objects.filter(person=pupil).exists()


# The command line on behalf of a curator (--actor), without one, and the dry run's counts.

OLD_CONSENT_TEACHER = {
    **TEACHER,
    "role": "наставник",
    "form": "учитель – ученик",
    "consent_date": "15.05.2025",  # valid until the end of that academic year: over
}
SECOND_PUPIL = {
    **PUPIL,
    "last_name": "Сидорова",
    "first_name": "Анна",
    "middle_name": "Павловна",
    "snils": "112-233-446 96",
    "role": "наставляемый",
    "form": "учитель – ученик",
}  # no consent date and no consent: not enrolled
ADULT_MENTOR = {
    "last_name": "Кузнецов",
    "first_name": "Андрей",
    "middle_name": "Олегович",
    "birth_date": "01.02.1975",
    "category": "педагог",
    "role": "наставник",
    "form": "учитель – ученик",
    "capacity": "2",
    "consent_date": "02.09.2026",
}


def write_xlsx(tmp_path: Any, rows: list[dict[str, Any]], name: str = "people.xlsx") -> Any:
    path = tmp_path / name
    path.write_bytes(xlsx_bytes([row(**values) for values in rows]))
    return path


def run_command(tenant: Any, path: Any, **options: Any) -> str:
    out = io.StringIO()
    call_command(
        "import_people",
        str(path),
        organization=tenant.organization.code,
        stdout=out,
        stderr=io.StringIO(),
        **options,
    )
    return out.getvalue()


def test_the_command_line_with_an_actor_records_consents_and_enrols(
    tenant_a: Any, tmp_path: Any
) -> None:
    from nastavnik.consents.models import Consent

    path = write_xlsx(tmp_path, [CONSENTED_PUPIL, ADULT_MENTOR])
    out = run_command(tenant_a, path, actor=tenant_a.curator.username)
    assert "создано: 2" in out
    assert "включить в базы: 2; не включены, нет согласия: 0" in out
    pupil = people(tenant_a).get(snils="112-233-445 95")
    mentor = people(tenant_a).get(last_name="Кузнецов")
    for consent in Consent.objects.filter(person=pupil):
        assert (consent.given_by, consent.representative_name) == (
            "parent",
            "Петрова Мария Ивановна",
        )
        assert consent.recorded_by == tenant_a.curator
    assert Consent.objects.filter(person=pupil).count() == 2
    assert set(Consent.objects.filter(person=mentor).values_list("given_by", flat=True)) == {
        "person"
    }
    assert Consent.objects.filter(person=mentor, recorded_by=tenant_a.curator).count() == 2
    assert Enrolment.objects.get(person=pupil).role == "mentee"
    assert Enrolment.objects.get(person=mentor).capacity == 2
    program = Program.objects.get(organization=tenant_a.organization, form__code="teacher-student")
    assert program.curator == tenant_a.curator, "created on the curator's behalf, as on the page"
    for action in ("import.upload", "import.commit", "consent.record", "person.import_create"):
        assert AuditEntry.objects.filter(action=action).exists()
        assert not AuditEntry.objects.filter(action=action).exclude(actor=tenant_a.curator)
    batch = ImportBatch.objects.get(organization=tenant_a.organization)
    assert batch.created_by == tenant_a.curator


def test_the_command_line_without_an_actor_records_no_consent_and_says_so(
    tenant_a: Any, tmp_path: Any
) -> None:
    from django.core.management.base import CommandError

    from nastavnik.consents.models import Consent

    plain = {**TEACHER, "snils": ""}
    path = write_xlsx(tmp_path, [CONSENTED_PUPIL, plain])
    before = people(tenant_a).count()
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(
            "import_people",
            str(path),
            organization=tenant_a.organization.code,
            stdout=out,
            stderr=io.StringIO(),
        )
    assert "ничего не импортировано" in str(caught.value)
    assert (
        "строка 2, столбец «Согласие получено»: согласия не могут быть записаны: импорт "
        "выполняется без --actor" in out.getvalue()
    )
    assert people(tenant_a).count() == before

    dry = run_command(tenant_a, path, dry_run=True)
    assert "создать: 1; обновить: 0; без изменений: 0; с ошибками: 1" in dry
    done = run_command(tenant_a, path, skip_invalid=True)
    assert "создано: 1; обновлено: 0; пропущено: 1" in done
    assert people(tenant_a).count() == before + 1
    assert not people(tenant_a).filter(snils="112-233-445 95").exists()
    assert not Consent.objects.filter(person__organization=tenant_a.organization).exists()
    assert AuditEntry.objects.get(action="import.commit").actor is None

    # A person whose consents are valid already needs no actor: nothing is to be recorded.
    grant(tenant_a, people(tenant_a).get(last_name="Смирнова"))
    again = write_xlsx(
        tmp_path,
        [{**plain, "role": "наставник", "form": "учитель – ученик", "consent_date": "01.09.2026"}],
        name="again.xlsx",
    )
    out_again = run_command(tenant_a, again)
    assert "с ошибками: 0; включить в базы: 1" in out_again
    assert Enrolment.objects.filter(person__last_name="Смирнова", role="mentor").exists()


@pytest.mark.parametrize("who", ["mentor", "head", "other_curator", "unknown", "inactive"])
def test_an_actor_who_is_not_a_curator_of_the_organization_is_refused(
    tenant_a: Any, tenant_b: Any, tmp_path: Any, who: str
) -> None:
    from django.core.management.base import CommandError

    usernames = {
        "mentor": tenant_a.mentor.username,
        "head": tenant_a.head.username,
        "other_curator": tenant_b.curator.username,
        "unknown": "nobody",
        "inactive": tenant_a.curator.username,
    }
    if who == "inactive":
        tenant_a.curator.is_active = False
        tenant_a.curator.save(update_fields=["is_active"])
    path = write_xlsx(tmp_path, [CONSENTED_PUPIL])
    with pytest.raises(CommandError) as caught:
        run_command(tenant_a, path, actor=usernames[who])
    message = str(caught.value)
    expected = {
        "unknown": "Нет пользователя с логином «nobody».",
        "inactive": f"Пользователь «{usernames[who]}» отключён",
    }.get(
        who,
        f"Пользователь «{usernames[who]}» не куратор организации «{tenant_a.organization}»: "
        "импортировать людей организации и записывать их согласия может только её куратор.",
    )
    assert expected in message
    assert not ImportBatch.objects.exists(), "refused before the file is even stored"
    assert not people(tenant_a).filter(snils="112-233-445 95").exists()


def plan_line(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("строк: "))


def test_the_dry_run_counts_are_what_the_commit_does(tenant_a: Any, tmp_path: Any) -> None:
    from nastavnik.consents.models import Consent

    # The teacher is known and has no consent; the file's date for her is long over.
    commit(tenant_a, xlsx_bytes([row(**TEACHER)]))
    plain = {**PUPIL, "last_name": "Орлов", "snils": "", "birth_date": "03.03.2013"}
    rows = [CONSENTED_PUPIL, OLD_CONSENT_TEACHER, SECOND_PUPIL, ADULT_MENTOR, plain]
    path = write_xlsx(tmp_path, rows)
    curator = tenant_a.curator.username

    dry_out = run_command(tenant_a, path, actor=curator, dry_run=True)
    dry = ImportBatch.objects.order_by("-pk").first()
    assert dry is not None
    assert dry.status == ImportStatus.CANCELLED
    assert (dry.to_create, dry.to_update, dry.invalid_rows) == (4, 1, 0)
    # The minor with a representative and the adult are enrolled; the pupil without consent and
    # the teacher whose consent is over are not.
    assert (dry.enrolments, dry.enrolments_blocked) == (2, 2)
    warnings = {w["row"]: w for w in dry.warnings}
    assert warnings[3]["column"] == "Согласие получено"
    assert "действовало только до 31.08.2025" in warnings[3]["message"]
    assert warnings[4]["column"] == "Роль в программе"
    assert not Consent.objects.filter(person__organization=tenant_a.organization).exists()
    assert not Enrolment.objects.filter(person__organization=tenant_a.organization).exists()
    # The page's preview shares the plan: the same counts.
    preview = upload(tenant_a, path.read_bytes())
    assert (preview.to_create, preview.to_update, preview.enrolments) == (4, 1, 2)
    assert preview.enrolments_blocked == 2

    out = run_command(tenant_a, path, actor=curator)
    assert plan_line(out) == plan_line(dry_out)
    done = ImportBatch.objects.filter(status=ImportStatus.DONE).order_by("-pk").first()
    assert done is not None
    assert (done.created_count, done.updated_count) == (dry.to_create, dry.to_update)
    enrolled = Enrolment.objects.filter(person__organization=tenant_a.organization)
    assert enrolled.count() == dry.enrolments
    assert set(enrolled.values_list("person__last_name", flat=True)) == {"Петров", "Кузнецов"}
    entry = AuditEntry.objects.get(action="import.commit", object_id=str(done.pk))
    assert entry.data["enrolled"] == dry.enrolments
    teacher = people(tenant_a).get(last_name="Смирнова")
    assert Consent.objects.filter(person=teacher).count() == 2, "recorded, though over"
    assert not Consent.objects.filter(person__last_name="Сидорова").exists()


def test_without_an_actor_the_dry_run_counts_are_the_commits_too(
    tenant_a: Any, tmp_path: Any
) -> None:
    rows = [CONSENTED_PUPIL, SECOND_PUPIL, ADULT_MENTOR, TEACHER]
    path = write_xlsx(tmp_path, rows)
    dry_out = run_command(tenant_a, path, dry_run=True, skip_invalid=True)
    dry = ImportBatch.objects.order_by("-pk").first()
    assert dry is not None
    assert (dry.to_create, dry.invalid_rows, dry.enrolments, dry.enrolments_blocked) == (2, 2, 0, 1)
    out = run_command(tenant_a, path, skip_invalid=True)
    assert plan_line(out) == plan_line(dry_out)
    assert "создано: 2; обновлено: 0; пропущено: 2" in out
    assert not Enrolment.objects.filter(person__organization=tenant_a.organization).exists()
