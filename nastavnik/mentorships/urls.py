from django.urls import path

from nastavnik.mentorships import views

app_name = "mentorships"

urlpatterns = [
    path("my/", views.my_mentorships_view, name="my"),
    path("program/<int:program_id>/", views.program_mentorships_view, name="program"),
    path("program/<int:program_id>/order/", views.order_view, name="order"),
    path("program/<int:program_id>/complete/", views.complete_view, name="complete"),
    path("<int:mentorship_id>/", views.mentorship_detail, name="detail"),
    path("<int:mentorship_id>/status/", views.mentorship_status, name="status"),
]
