from django.urls import path

from nastavnik.core import two_factor, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("account/two-factor/", two_factor.two_factor_setup, name="two_factor"),
    path("account/two-factor/code/", two_factor.two_factor_verify, name="two_factor_verify"),
]
