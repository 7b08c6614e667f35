from django.urls import path

from nastavnik.market import views

app_name = "market"

urlpatterns = [
    path("", views.market, name="search"),
    path("team/", views.team, name="team"),
]
