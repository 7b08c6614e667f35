from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "nastavnik.market"
    label = "market"
    verbose_name = _("Competence market")

    def ready(self) -> None:
        from nastavnik.core.navigation import register_nav

        register_nav(
            _("Competence market"),
            "market:search",
            visible=lambda access: access.is_admin or bool(access.member_org_ids),
            position=60,
        )
