from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentsConfig(AppConfig):
    name = "nastavnik.consents"
    label = "consents"
    verbose_name = _("Consents")

    def ready(self) -> None:
        from nastavnik.core.navigation import register_nav

        register_nav(
            _("Consents"),
            "consents:list",
            visible=lambda access: access.is_admin or bool(access.staff_org_ids),
            position=45,
        )
        from nastavnik.consents.panels import consent_panel
        from nastavnik.people.panels import register_person_panel

        register_person_panel(consent_panel)
