from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "nastavnik.ideas"
    label = "ideas"
    verbose_name = _("Bank of ideas")

    def ready(self) -> None:
        from nastavnik.consents.services import register_anonymizer
        from nastavnik.core.navigation import register_nav
        from nastavnik.ideas.selectors import colleague_org_ids
        from nastavnik.ideas.services import ideas_forget_person

        # A withdrawn consent to processing unlinks the person from their ideas, comments, votes.
        register_anonymizer(ideas_forget_person)

        register_nav(
            _("Bank of ideas"),
            "ideas:list",
            visible=lambda access: access.is_admin or bool(colleague_org_ids(access)),
            position=64,
        )
