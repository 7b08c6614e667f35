from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "nastavnik.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from nastavnik.core.navigation import register_nav
        from nastavnik.demo.registry import register_demo_step
        from nastavnik.surveys.demo import POSITION, seed_demo_surveys

        register_nav(_("Surveys"), "surveys:index", position=60)
        register_demo_step("surveys", seed_demo_surveys, position=POSITION)
