from django.urls import path

from nastavnik.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.index, name="index"),
    path("program/<int:program_id>/", views.program_surveys, name="program"),
    path("<int:survey_id>/", views.detail, name="detail"),
    path("<int:survey_id>/preview/", views.preview, name="preview"),
    path("<int:survey_id>/results/", views.results, name="results"),
    path("<int:survey_id>/results.xlsx", views.export, name="export"),
    path("<int:survey_id>/respond/", views.respond, name="respond"),
    path("questions/<int:question_id>/move/", views.question_move, name="question_move"),
    path("questions/<int:question_id>/delete/", views.question_delete, name="question_delete"),
    path("answer/<str:key>/", views.answer, name="answer"),
]
