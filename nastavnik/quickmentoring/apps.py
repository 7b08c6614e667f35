from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuickmentoringConfig(AppConfig):
    name = "nastavnik.quickmentoring"
    label = "quickmentoring"
    verbose_name = _("Speed and flash mentoring")

    def ready(self) -> None:
        from nastavnik.consents.services import register_anonymizer
        from nastavnik.core.calendar import register_calendar_source
        from nastavnik.core.navigation import register_nav
        from nastavnik.quickmentoring.selectors import calendar_sessions, calendar_slots

        register_nav(
            _("Flash mentoring"),
            "quickmentoring:flash",
            visible=lambda access: bool(access.member_org_ids) or access.is_admin,
            position=24,
        )
        register_nav(
            _("Speed mentoring"),
            "quickmentoring:sessions",
            visible=lambda access: access.is_admin or bool(access.staff_org_ids),
            position=25,
        )
        register_calendar_source(calendar_sessions)
        register_calendar_source(calendar_slots)
        # A withdrawn consent to processing: feedback text, wishes and future seats go.
        from nastavnik.quickmentoring.services import quickmentoring_forget_person

        register_anonymizer(quickmentoring_forget_person)
