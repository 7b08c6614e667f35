from django.urls import path

from nastavnik.reports import views

app_name = "reports"

_ORG = "organization/<int:organization_id>/<int:start_year>/"
_TERRITORY = "territory/<int:territory_id>/<int:start_year>/"

urlpatterns = [
    path("", views.index, name="index"),
    path(_ORG, views.organization_report, name="organization"),
    path(_ORG + "report.xlsx", views.organization_report_file, {"fmt": "xlsx"}, name="xlsx"),
    path(_ORG + "report.pdf", views.organization_report_pdf, name="pdf"),
    path("files/<int:report_file_id>/", views.file_job, name="file_job"),
    path("files/<int:report_file_id>/status/", views.file_job_status, name="file_job_status"),
    path("files/<int:report_file_id>/download/", views.file_download, name="file_download"),
    path(_ORG + "report.json", views.organization_report_file, {"fmt": "json"}, name="json"),
    path(_ORG + "submit/", views.organization_report_submit, name="submit"),
    path(_ORG + "targets/", views.targets_edit, name="targets"),
    path(_ORG + "new-year/", views.year_start, name="year_start"),
    path("new-year/<int:year_start_id>/", views.year_start_job, name="year_start_job"),
    path("new-year/<int:year_start_id>/status/", views.year_start_status, name="year_start_status"),
    path("new-year/<int:year_start_id>/cancel/", views.year_start_cancel, name="year_start_cancel"),
    path("submission/<int:submission_id>/decide/", views.submission_decide, name="decide"),
    path(_TERRITORY, views.territory_report, name="territory"),
    path(_TERRITORY + "rollup.xlsx", views.territory_report_xlsx, name="territory_xlsx"),
]
