from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "nastavnik.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from nastavnik.core.navigation import register_nav

        register_nav(
            _("Import"),
            "imports:list",
            visible=lambda access: access.is_admin or bool(access.staff_org_ids),
            position=40,
        )
        from nastavnik.consents.services import register_anonymizer
        from nastavnik.imports.anonymize import forget_person_in_imports

        register_anonymizer(forget_person_in_imports)
