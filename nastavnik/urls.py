"""The URL map. Every app brings its own ``urls.py``; the isolation test walks all of them."""

from django.contrib import admin
from django.urls import include, path

from nastavnik.api import api

urlpatterns = [
    path("", include("nastavnik.core.urls")),
    path("accounts/", include("nastavnik.accounts.urls")),
    path("organizations/", include("nastavnik.organizations.urls")),
    path("people/", include("nastavnik.people.urls")),
    path("programs/", include("nastavnik.programs.urls")),
    path("consents/", include("nastavnik.consents.urls")),
    path("imports/", include("nastavnik.imports.urls")),
    path("market/", include("nastavnik.market.urls")),
    path("documents/", include("nastavnik.documents.urls")),
    path("matching/", include("nastavnik.matching.urls")),
    path("mentorships/", include("nastavnik.mentorships.urls")),
    path("surveys/", include("nastavnik.surveys.urls")),
    path("pairwork/", include("nastavnik.pairwork.urls")),
    path("reports/", include("nastavnik.reports.urls")),
    path("events/", include("nastavnik.events.urls")),
    path("quick/", include("nastavnik.quickmentoring.urls")),
    path("ideas/", include("nastavnik.ideas.urls")),
    path("library/", include("nastavnik.library.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
