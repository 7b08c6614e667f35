from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "nastavnik.events"
    label = "events"
    verbose_name = _("Methodological events")

    def ready(self) -> None:
        from nastavnik.consents.services import register_anonymizer
        from nastavnik.core.calendar import register_calendar_source
        from nastavnik.core.navigation import register_nav
        from nastavnik.events.selectors import calendar_source
        from nastavnik.events.services import events_forget_person

        register_nav(
            _("Events"),
            "events:calendar",
            visible=lambda access: access.is_admin or bool(access.member_org_ids),
            position=50,
        )
        register_calendar_source(calendar_source)
        # A withdrawn consent to processing: future registrations freed, feedback text cleared.
        register_anonymizer(events_forget_person)
