from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "nastavnik.programs"
    label = "programs"
    verbose_name = _("Mentoring programs")

    def ready(self) -> None:
        from nastavnik.consents.services import register_anonymizer
        from nastavnik.consents.subject_access import register_subject_section
        from nastavnik.core.navigation import register_nav
        from nastavnik.organizations.panels import register_organization_counts
        from nastavnik.people.panels import register_person_panel
        from nastavnik.programs.counts import organization_counts
        from nastavnik.programs.panels import enrolment_panel
        from nastavnik.programs.services import enrolments_export, enrolments_forget

        register_nav(
            _("Programs"),
            "programs:list",
            visible=lambda access: bool(access.member_org_ids) or access.is_admin,
            position=30,
        )
        register_person_panel(enrolment_panel)
        register_anonymizer(enrolments_forget)
        register_subject_section("enrolments", enrolments_export)
        register_organization_counts(organization_counts)
