from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PairworkConfig(AppConfig):
    name = "nastavnik.pairwork"
    label = "pairwork"
    verbose_name = _("The work of pairs and groups")

    def ready(self) -> None:
        from nastavnik.demo.registry import register_demo_step
        from nastavnik.pairwork.demo import seed_demo_pairwork

        # After matching (300): the pairs of the programs at «the work of pairs» are published.
        register_demo_step("pairwork", seed_demo_pairwork, position=350)
