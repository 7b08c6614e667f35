from django.urls import path

from nastavnik.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list_view, name="list"),
    path("new/", views.person_create, name="create"),
    path("choices/", views.person_choices_view, name="choices"),
    path("<int:person_id>/", views.person_detail, name="detail"),
    path("<int:person_id>/edit/", views.person_edit, name="edit"),
    path("<int:person_id>/profile/", views.profile_edit, name="profile_edit"),
    path("<int:person_id>/login/", views.login_grant, name="login_grant"),
    path("<int:person_id>/relatives/", views.relative_add, name="relative_add"),
    path("relatives/<int:kinship_id>/remove/", views.relative_remove, name="relative_remove"),
]
