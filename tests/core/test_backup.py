"""Backup and restore round trip: every table's row count and checksum, and the media files."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from nastavnik.core.backup import table_states
from nastavnik.people.models import Person
from tests.factories import PersonFactory


@pytest.mark.django_db(transaction=True)
def test_round_trip_restores_every_table_and_file(tmp_path: Path) -> None:
    media = tmp_path / "media"
    (media / "imports").mkdir(parents=True)
    (media / "imports" / "people.xlsx").write_bytes(b"original file")
    with override_settings(MEDIA_ROOT=media):
        kept = PersonFactory.create(last_name="Сохранённая")
        before = table_states()
        archive = tmp_path / "backup.tar.gz"
        call_command("backup", str(archive))
        assert archive.stat().st_size > 0

        # Change the data and the files after the backup.
        Person.objects.filter(pk=kept.pk).update(last_name="Изменённая")
        PersonFactory(last_name="Лишняя")
        (media / "imports" / "people.xlsx").write_bytes(b"changed")
        (media / "stray.txt").write_text("stray")
        assert table_states() != before

        call_command("restore", str(archive), "--yes")

        assert table_states() == before
        assert Person.objects.get(pk=kept.pk).last_name == "Сохранённая"
        assert not Person.objects.filter(last_name="Лишняя").exists()
        assert (media / "imports" / "people.xlsx").read_bytes() == b"original file"
        assert not (media / "stray.txt").exists()


@pytest.mark.django_db(transaction=True)
def test_restore_needs_confirmation_and_a_real_archive(tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(junk))
    with pytest.raises(CommandError):
        call_command("restore", str(junk), "--yes")
    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "missing.tar.gz"), "--yes")
