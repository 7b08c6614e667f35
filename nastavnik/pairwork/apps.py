from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PairworkConfig(AppConfig):
    name = "nastavnik.pairwork"
    label = "pairwork"
    verbose_name = _("The work of pairs and groups")

    def ready(self) -> None:
        from nastavnik.accounts.models import Role
        from nastavnik.core.navigation import register_nav, register_start_page
        from nastavnik.pairwork.views import start

        register_nav(
            _("My pairs"),
            "pairwork:home",
            visible=lambda access: bool({Role.MENTOR, Role.MENTEE} & access.roles),
            position=19,
        )
        register_nav(
            _("Needs attention"),
            "pairwork:attention",
            visible=lambda access: access.is_admin or bool(access.staff_org_ids),
            position=22,
        )
        register_start_page(start, position=10)
