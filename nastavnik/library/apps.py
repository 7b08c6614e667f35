from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "nastavnik.library"
    label = "library"
    verbose_name = _("Resource library")

    def ready(self) -> None:
        from nastavnik.core.navigation import register_nav

        register_nav(
            _("Resource library"),
            "library:list",
            visible=lambda access: access.is_authenticated,
            position=66,
        )
