import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings.production")

application = get_wsgi_application()


def _warm_up() -> None:
    """Do once, as the process starts, what its first request would otherwise pay for: import
    every URL configuration (and so every view, the API's schemas, openpyxl...) and load the
    Russian catalogues — 0.8 s of CPU on the demo machine. A gunicorn worker is restarted every
    ``max_requests``; without this, the first request a fresh worker takes waits for all of it."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    reverse("core:healthz")  # fills the resolver: every urls.py and the modules they import
    with translation.override(settings.LANGUAGE_CODE):
        translation.gettext("Sign in")


_warm_up()
