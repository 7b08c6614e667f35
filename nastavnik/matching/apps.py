from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "nastavnik.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from nastavnik.accounts.models import Role
        from nastavnik.core.navigation import register_nav
        from nastavnik.matching.panels import mentorship_explanation, my_incoming_requests
        from nastavnik.mentorships.panels import register_detail_context, register_my_page_context

        register_my_page_context(my_incoming_requests)
        register_detail_context(mentorship_explanation)

        register_nav(
            _("Choose a mentor"),
            "matching:suggestions",
            visible=lambda access: Role.MENTEE in access.roles,
            position=21,
        )
