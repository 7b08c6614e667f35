from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "nastavnik.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from nastavnik.demo.registry import register_demo_step
        from nastavnik.people.demo import seed_demo_relatives
        from nastavnik.people.panels import register_person_panel, relatives_panel

        register_person_panel(relatives_panel)
        # After programs (150): the bases are there to find a mentor and a mentee who are
        # relatives; before matching (300), so its runs already keep them apart.
        register_demo_step("relatives", seed_demo_relatives, position=250)
