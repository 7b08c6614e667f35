from django.urls import path

from nastavnik.quickmentoring import views

app_name = "quickmentoring"

urlpatterns = [
    path("speed/", views.sessions, name="sessions"),
    path("speed/<int:session_id>/", views.session_detail, name="session"),
    path("speed/<int:session_id>/print/", views.session_print, name="session_print"),
    path("speed/<int:session_id>/schedule.pdf", views.session_pdf, name="session_pdf"),
    path("speed/<int:session_id>/participants/", views.participant_add, name="participant_add"),
    path("speed/<int:session_id>/rotation/", views.rotation_generate, name="rotation"),
    path("speed/<int:session_id>/wishes/", views.wishes_save, name="wishes"),
    path("speed/<int:session_id>/proposals/", views.proposals_make, name="proposals"),
    path("flash/", views.flash, name="flash"),
    path("flash/new/", views.flash_new, name="flash_new"),
    path("flash/mine/", views.flash_mine, name="flash_mine"),
    path("flash/<int:slot_id>/book/", views.flash_book, name="flash_book"),
    path("flash/<int:slot_id>/cancel/", views.flash_slot_cancel, name="flash_slot_cancel"),
    path("flash/<int:slot_id>/held/", views.flash_held, name="flash_held"),
    path(
        "flash/bookings/<int:booking_id>/cancel/",
        views.flash_booking_cancel,
        name="flash_booking_cancel",
    ),
    path("flash/bookings/<int:booking_id>/feedback/", views.flash_feedback, name="flash_feedback"),
]
