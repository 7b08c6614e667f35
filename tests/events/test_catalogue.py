"""The shipped forms of events: the list is pinned, each has a description and an agenda."""

from __future__ import annotations

from nastavnik.events.catalogue import BY_CODE, FORMS, get_form, suggested_form


def test_the_shipped_forms_are_pinned() -> None:
    assert [(f.code, f.name) for f in FORMS] == [
        ("ring", "Педагогический ринг"),
        ("lounge", "Педагогическая гостиная"),
        ("workshop", "Педагогическая мастерская"),
        ("fair", "Ярмарка педагогических идей"),
        ("coaching", "Коучинг-сессия"),
        ("seminar", "Семинар-практикум"),
        ("quick_setup", "Квик-настройка"),
        ("master_class", "Мастер-класс"),
        ("final", "Итоговое мероприятие программы наставничества"),
        ("festival", "Фестиваль (конкурс) наставнических пар"),
    ]


def test_every_form_has_a_description_an_agenda_and_a_duration() -> None:
    for form in FORMS:
        assert len(form.description) > 40, form.code
        steps = [line for line in form.agenda.splitlines() if line.strip()]
        assert len(steps) >= 4, form.code
        assert steps[0].startswith("1."), form.code
        assert 10 <= form.minutes <= 240
    assert len(BY_CODE) == len(FORMS)
    assert get_form("quick_setup").minutes == 20


def test_suggested_form_follows_who_covers_the_deficit() -> None:
    assert suggested_form(experts=1, confident=0) == "master_class"
    assert suggested_form(experts=0, confident=2) == "seminar"
    assert suggested_form(experts=0, confident=0) == "workshop"
