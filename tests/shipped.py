"""What the data migrations ship (the catalogue, the competency taxonomy, the consent texts),
put back for transactional tests: a flush by an earlier transactional test empties the tables
(``serialized_rollback`` cannot restore them after a flush that recreated the content types)."""

from __future__ import annotations

import importlib

from django.apps import apps

SEEDS = (
    "nastavnik.programs.migrations.0002_catalogue",
    "nastavnik.programs.migrations.0006_seed_variants",
    "nastavnik.people.migrations.0002_competency_taxonomy",
    "nastavnik.consents.migrations.0002_consent_texts",
    "nastavnik.library.migrations.0002_starter_set",
)


def ensure_shipped_data() -> None:
    """Run the shipping data migrations' seeds again (they update or create: idempotent)."""
    from nastavnik.consents.models import ConsentText
    from nastavnik.programs.models import MentoringForm

    if MentoringForm.objects.exists() and ConsentText.objects.exists():
        return
    for name in SEEDS:
        importlib.import_module(name).seed(apps, None)
