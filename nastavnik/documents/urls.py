from django.urls import path

from nastavnik.documents import views

app_name = "documents"

urlpatterns = [
    path("programs/<int:program_id>/", views.program_documents, name="program"),
    path("programs/<int:program_id>/<slug:kind>/", views.generate, name="generate"),
    path("jobs/<int:document_job_id>/", views.job_page, name="job"),
    path("jobs/<int:document_job_id>/status/", views.job_status, name="job_status"),
    path("jobs/<int:document_job_id>/download/", views.job_download, name="job_download"),
    path("organizations/<int:organization_id>/templates/", views.templates, name="templates"),
    path(
        "organizations/<int:organization_id>/templates/<slug:kind>/",
        views.template_edit,
        name="template_edit",
    ),
]
