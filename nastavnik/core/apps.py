from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "nastavnik.core"
    label = "core"
    verbose_name = _("Common")

    def ready(self) -> None:
        from nastavnik.core import signals, two_factor  # noqa: F401 — connect the login receivers
