from django.urls import path

from nastavnik.programs import views

app_name = "programs"

urlpatterns = [
    path("", views.program_list_view, name="list"),
    path("new/", views.program_create, name="create"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("<int:program_id>/", views.program_detail, name="detail"),
    path("<int:program_id>/edit/", views.program_edit, name="edit"),
    path("<int:program_id>/stages/", views.program_stages, name="stages"),
    path("<int:program_id>/stages/advance/", views.program_stage_advance, name="stage_advance"),
    path("<int:program_id>/stages/back/", views.program_stage_back, name="stage_back"),
    path("<int:program_id>/stages/items/", views.stage_task_add, name="stage_task_add"),
    path("checklist/<int:stage_task_id>/", views.stage_task_toggle, name="stage_task_toggle"),
    path("<int:program_id>/base/", views.program_base, name="base"),
    path("<int:program_id>/base/choices/", views.base_choices, name="base_choices"),
    path("enrolments/<int:enrolment_id>/", views.enrolment_edit, name="enrolment_edit"),
    path(
        "enrolments/<int:enrolment_id>/trained/", views.enrolment_trained, name="enrolment_trained"
    ),
    path("<int:program_id>/roadmap/", views.roadmap, name="roadmap"),
    path("<int:program_id>/roadmap/export/", views.roadmap_export, name="roadmap_export"),
    path("<int:program_id>/roadmap/calendar/", views.roadmap_calendar, name="roadmap_calendar"),
    path("roadmap/<int:roadmap_item_id>/", views.roadmap_item_edit, name="roadmap_item"),
    path("<int:program_id>/contours/", views.contours, name="contours"),
    path("contours/<int:contour_task_id>/", views.contour_task_edit, name="contour_task"),
    path("partners/<int:partner_id>/", views.partner_edit, name="partner"),
    path("<int:program_id>/training/", views.training, name="training"),
    path("training/<int:training_session_id>/", views.training_session, name="training_session"),
    path("<int:program_id>/tandems/", views.tandems, name="tandems"),
    path("tandems/<int:tandem_id>/", views.tandem_detail, name="tandem"),
    path("public/<int:program_id>/", views.public_page, name="public"),
    path("public/organizations/<int:organization_id>/", views.public_index, name="public_index"),
]
