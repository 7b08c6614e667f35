from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "nastavnik.ideas"
    label = "ideas"
    verbose_name = _("Bank of ideas")

    def ready(self) -> None:
        from nastavnik.core.navigation import register_nav
        from nastavnik.ideas.selectors import colleague_org_ids

        register_nav(
            _("Bank of ideas"),
            "ideas:list",
            visible=lambda access: access.is_admin or bool(colleague_org_ids(access)),
            position=64,
        )
