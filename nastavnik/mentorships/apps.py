from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorshipsConfig(AppConfig):
    name = "nastavnik.mentorships"
    label = "mentorships"
    verbose_name = _("Mentoring pairs and groups")

    def ready(self) -> None:
        from nastavnik.accounts.models import Role
        from nastavnik.core.navigation import register_nav
        from nastavnik.mentorships.selectors import mentor_load, people_i_work_with_q
        from nastavnik.people.selectors import register_person_visibility
        from nastavnik.programs.load import register_mentor_load

        register_person_visibility(people_i_work_with_q)
        # The programs app asks how many places its mentors use before a group rule changes.
        register_mentor_load(mentor_load)
        register_nav(
            _("My mentorships"),
            "mentorships:my",
            visible=lambda access: bool({Role.MENTOR, Role.MENTEE} & access.roles),
            position=20,
        )
