from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "nastavnik.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from nastavnik.accounts.models import Role
        from nastavnik.core.navigation import register_nav
        from nastavnik.demo.registry import register_demo_step
        from nastavnik.matching.demo import seed_demo_matching
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
        # After programs (150), consents (200) and relatives (250): the bases are complete and
        # the runs keep relatives apart.
        register_demo_step("matching", seed_demo_matching, position=300)
