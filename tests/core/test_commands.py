"""Every management command of the project prints its help (argparse needs plain strings)."""

from __future__ import annotations

import pytest
from django.core.management import get_commands, load_command_class
from django.utils import translation

OURS = sorted((name, app) for name, app in get_commands().items() if app.startswith("nastavnik."))


def test_the_project_has_commands() -> None:
    assert {"seed_demo", "import_people", "serve"} <= {name for name, _ in OURS}


@pytest.mark.parametrize(("name", "app"), OURS)
@pytest.mark.parametrize("language", ["ru", "en"])
def test_help_prints(name: str, app: str, language: str) -> None:
    with translation.override(language):
        command = load_command_class(app, name)
        text = command.create_parser("manage.py", name).format_help()
    assert f"manage.py {name}" in text
