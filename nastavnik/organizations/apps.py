from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "nastavnik.organizations"
    label = "organizations"
    verbose_name = _("Organizations")

    def ready(self) -> None:
        from nastavnik.core.navigation import register_start_page
        from nastavnik.organizations.views import start

        register_start_page(start, position=100)
