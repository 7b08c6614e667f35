from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "nastavnik.reports"
    label = "reports"
    verbose_name = _("Monitoring reports")

    def ready(self) -> None:
        from nastavnik.demo.registry import register_demo_step
        from nastavnik.reports.demo import seed_demo_reports

        # After the pairs are published (matching, 300): the school's report has its figures.
        register_demo_step("reports", seed_demo_reports, position=400)
