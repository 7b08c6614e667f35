from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorshipsConfig(AppConfig):
    name = "nastavnik.mentorships"
    label = "mentorships"
    verbose_name = _("Mentoring pairs and groups")

    def ready(self) -> None:
        from nastavnik.accounts.models import Role
        from nastavnik.core.navigation import register_nav
        from nastavnik.mentorships.selectors import (
            mentor_load,
            people_i_work_with,
            people_i_work_with_q,
        )
        from nastavnik.people.fields import register_person_relation
        from nastavnik.people.selectors import register_person_visibility
        from nastavnik.programs.load import register_mentor_load

        register_person_visibility(people_i_work_with_q)
        register_person_relation(people_i_work_with)
        register_mentor_load(mentor_load)
        # A withdrawn consent to processing ends the person's open pairs and groups.
        from nastavnik.consents.services import register_anonymizer
        from nastavnik.mentorships.services import mentorships_end_for_withdrawn_consent

        register_anonymizer(mentorships_end_for_withdrawn_consent)
        register_nav(
            _("My mentorships"),
            "mentorships:my",
            visible=lambda access: bool({Role.MENTOR, Role.MENTEE} & access.roles),
            position=20,
        )
