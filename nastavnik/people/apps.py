from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "nastavnik.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from nastavnik.people.panels import register_person_panel, relatives_panel

        register_person_panel(relatives_panel)
