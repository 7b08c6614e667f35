from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "nastavnik.demo"
    label = "demo"
    verbose_name = _("Demo data")

    def ready(self) -> None:
        from nastavnik.core.startup import register_serve_lines
        from nastavnik.demo.logins import serve_login_lines

        register_serve_lines(serve_login_lines)
