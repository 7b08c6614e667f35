"""The URL map. Every app brings its own ``urls.py``; the isolation test walks all of them."""

from django.contrib import admin
from django.urls import include, path

from nastavnik.api import api

urlpatterns = [
    path("", include("nastavnik.core.urls")),
    path("accounts/", include("nastavnik.accounts.urls")),
    path("organizations/", include("nastavnik.organizations.urls")),
    path("people/", include("nastavnik.people.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
