from django.urls import path

from nastavnik.events import views

app_name = "events"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("calendar.ics", views.calendar_ics, name="calendar_ics"),
    path("forms/", views.forms_catalogue, name="forms"),
    path("new/", views.event_new, name="new"),
    path("planning/", views.plan, name="planning"),
    path("contests/", views.contests, name="contests"),
    path("<int:event_id>/", views.detail, name="detail"),
    path("<int:event_id>/edit/", views.event_edit, name="edit"),
    path("<int:event_id>/event.ics", views.event_ics, name="ics"),
    path("<int:event_id>/register/", views.register, name="register"),
    path("<int:event_id>/unregister/", views.unregister, name="unregister"),
    path("<int:event_id>/cancel/", views.cancel, name="cancel"),
    path("<int:event_id>/attendance/", views.attendance, name="attendance"),
    path("<int:event_id>/materials/", views.material_add, name="material_add"),
    path("<int:event_id>/feedback/", views.feedback, name="feedback"),
    path("<int:event_id>/festival/", views.festival, name="festival"),
    path("<int:event_id>/nominations/", views.nomination_add, name="nomination_add"),
    path("<int:event_id>/jury/", views.jury_add, name="jury_add"),
    path("<int:event_id>/entries/", views.entry_add, name="entry_add"),
    path("entries/<int:entry_id>/score/", views.score, name="score"),
    path("entries/<int:entry_id>/delete/", views.entry_delete, name="entry_delete"),
    path("materials/<int:material_id>/", views.material_download, name="material"),
    path("materials/<int:material_id>/delete/", views.material_delete, name="material_delete"),
]
