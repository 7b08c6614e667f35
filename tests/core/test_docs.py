"""The repository's docs stand alone (issue 17): nothing sends the reader outside it."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_docs_do_not_point_outside_the_repository() -> None:
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        assert "../shared" not in path.read_text(encoding="utf-8"), path


def test_the_domain_roles_and_glossary_are_written_down() -> None:
    for name in ("domain.md", "roles.md", "glossary.md"):
        assert (ROOT / "docs" / name).stat().st_size > 1000
