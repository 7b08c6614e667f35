from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "nastavnik.reports"
    label = "reports"
    verbose_name = _("Monitoring reports")

    def ready(self) -> None:
        from nastavnik.core.navigation import register_nav

        register_nav(
            _("Reports"),
            "reports:index",
            visible=lambda access: (
                access.is_admin or bool(access.staff_org_ids) or access.is_coordinator
            ),
            position=60,
        )
