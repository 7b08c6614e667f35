from django.urls import path

from nastavnik.organizations import views

app_name = "organizations"

urlpatterns = [
    path("", views.organization_list_view, name="list"),
    path("<int:organization_id>/", views.organization_detail, name="detail"),
]
