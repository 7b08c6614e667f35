from django.urls import path

from nastavnik.library import views

app_name = "library"

urlpatterns = [
    path("", views.resource_list, name="list"),
    path("new/", views.resource_new, name="new"),
    path("<int:resource_id>/", views.resource_detail, name="detail"),
    path("<int:resource_id>/file/", views.resource_file, name="file"),
    path("<int:resource_id>/edit/", views.resource_edit, name="edit"),
    path("<int:resource_id>/delete/", views.resource_delete, name="delete"),
]
