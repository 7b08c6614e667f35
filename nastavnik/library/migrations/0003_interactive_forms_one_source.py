"""The interactive forms of the starter set are now built from ``core.interactive_forms`` (the
events' catalogue reads the same text): the shipped rows are brought up to date by the same
upsert as ``0002_starter_set``."""

import importlib

from django.db import migrations

_starter_set = importlib.import_module("nastavnik.library.migrations.0002_starter_set")


def noop(apps, schema_editor):
    """The rows of the step before stay as they are (their text is no longer shipped)."""


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0002_starter_set"),
    ]

    operations = [migrations.RunPython(_starter_set.seed, noop)]
