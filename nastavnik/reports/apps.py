from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "nastavnik.reports"
    label = "reports"
    verbose_name = _("Monitoring reports")

    def ready(self) -> None:
        from nastavnik.core.navigation import register_nav
        from nastavnik.demo.registry import register_demo_step
        from nastavnik.reports.demo import seed_demo_reports

        register_nav(
            _("Reports"),
            "reports:index",
            visible=lambda access: (
                access.is_admin or bool(access.staff_org_ids) or access.is_coordinator
            ),
            position=60,
        )

        # After the pairs are published (matching, 300): the school's report has its figures.
        register_demo_step("reports", seed_demo_reports, position=400)
