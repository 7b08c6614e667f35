from django.urls import path

from nastavnik.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("template.xlsx", views.import_template, name="template"),
    path("bases/<int:organization_id>.xlsx", views.bases_export, name="bases_export"),
    path("<int:import_id>/", views.import_detail, name="detail"),
    path("<int:import_id>/status/", views.import_status, name="status"),
    path("<int:import_id>/options/", views.import_options, name="options"),
    path("<int:import_id>/program/", views.import_program, name="program"),
    path("<int:import_id>/commit/", views.import_commit, name="commit"),
    path("<int:import_id>/cancel/", views.import_cancel, name="cancel"),
    path("<int:import_id>/rerun/", views.import_rerun, name="rerun"),
    path("<int:import_id>/skipped.xlsx", views.import_skipped_report, name="skipped"),
]
