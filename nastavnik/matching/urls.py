from django.urls import path

from nastavnik.matching import views

app_name = "matching"

urlpatterns = [
    path("program/<int:program_id>/", views.program_runs, name="program"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:run_id>/rerun/", views.run_rerun, name="rerun"),
    path("runs/<int:run_id>/publish/", views.run_publish, name="publish"),
    path("runs/<int:run_id>/accept-all/", views.run_accept_all, name="accept_all"),
    path("runs/<int:run_id>/swap/", views.proposal_swap, name="swap"),
    path("proposals/<int:proposal_id>/", views.proposal_compare, name="compare"),
    path("proposals/<int:proposal_id>/decide/", views.proposal_decide, name="decide"),
    path("proposals/<int:proposal_id>/never/", views.proposal_never, name="never"),
    path("proposals/<int:proposal_id>/remove/", views.group_member_remove, name="group_remove"),
    path("groups/<int:group_id>/decide/", views.group_decide, name="group_decide"),
    path("groups/<int:group_id>/move/", views.group_member_move, name="group_move"),
    path("exclusions/<int:exclusion_id>/remove/", views.exclusion_remove, name="exclusion_remove"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("requests/", views.requests_view, name="requests"),
    path(
        "requests/<int:request_id>/accept/",
        views.request_answer,
        {"answer": "accept"},
        name="request_accept",
    ),
    path(
        "requests/<int:request_id>/decline/",
        views.request_answer,
        {"answer": "decline"},
        name="request_decline",
    ),
    path(
        "requests/<int:request_id>/cancel/",
        views.request_answer,
        {"answer": "cancel"},
        name="request_cancel",
    ),
]
