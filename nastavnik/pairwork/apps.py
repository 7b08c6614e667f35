from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PairworkConfig(AppConfig):
    name = "nastavnik.pairwork"
    label = "pairwork"
    verbose_name = _("The work of pairs and groups")

    def ready(self) -> None:
        from nastavnik.accounts.models import Role
        from nastavnik.core.navigation import register_nav
        from nastavnik.demo.registry import register_demo_step
        from nastavnik.pairwork.demo import seed_demo_pairwork

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
        # After matching (300): the pairs of the programs at «the work of pairs» are published.
        register_demo_step("pairwork", seed_demo_pairwork, position=350)
