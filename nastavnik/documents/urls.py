from django.urls import path

from nastavnik.documents import views

app_name = "documents"

urlpatterns = [
    path("programs/<int:program_id>/", views.program_documents, name="program"),
    path("programs/<int:program_id>/<slug:kind>/", views.generate, name="generate"),
    path("organizations/<int:organization_id>/templates/", views.templates, name="templates"),
    path(
        "organizations/<int:organization_id>/templates/<slug:kind>/",
        views.template_edit,
        name="template_edit",
    ),
]
