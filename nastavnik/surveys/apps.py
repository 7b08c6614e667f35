from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "nastavnik.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from nastavnik.core.navigation import register_nav

        register_nav(_("Surveys"), "surveys:index", position=60)
