from django.urls import path

from nastavnik.pairwork import views, views_peer, views_thread

app_name = "pairwork"

urlpatterns = [
    path("", views.home, name="home"),
    path("attention/", views.attention, name="attention"),
    path("programs/<int:program_id>/thresholds/", views.thresholds, name="thresholds"),
    path("calendar/issue/", views.feed_issue, name="feed_issue"),
    path("calendar/revoke/", views.feed_revoke, name="feed_revoke"),
    path("calendar/<str:feed_token>.ics", views.feed, name="feed"),
    path("reminders/", views.reminders, name="reminders"),
    path("pair/<int:mentorship_id>/", views.pair, name="pair"),
    path("pair/<int:mentorship_id>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("pair/<int:mentorship_id>/goals/new/", views.goal_new, name="goal_new"),
    path("pair/<int:mentorship_id>/tasks/new/", views.task_new, name="task_new"),
    path("pair/<int:mentorship_id>/plan/template/", views.plan_template, name="plan_template"),
    path("pair/<int:mentorship_id>/messages/", views_thread.thread, name="thread"),
    path("pair/<int:mentorship_id>/problem/", views_thread.problem, name="problem"),
    path(
        "pair/<int:mentorship_id>/problem/close/", views_thread.problem_close, name="problem_close"
    ),
    path("pair/<int:mentorship_id>/progress/new/", views_thread.progress_new, name="progress_new"),
    path(
        "pair/<int:mentorship_id>/observations/new/",
        views_thread.observation_new,
        name="observation_new",
    ),
    path("messages/<int:message_id>/file/", views_thread.attachment, name="attachment"),
    path("tasks/<int:task_id>/done/", views.task_done, name="task_done"),
    path("tasks/<int:task_id>/work/", views_peer.peer_work, name="peer_work"),
    path("works/<int:work_id>/review/", views_peer.peer_review, name="peer_review"),
    path("meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path("meetings/<int:meeting_id>/held/", views.meeting_held, name="meeting_held"),
    path("meetings/<int:meeting_id>/ics/", views.meeting_ics, name="meeting_ics"),
    path("meetings/<int:meeting_id>/cancel/", views.meeting_cancel, name="meeting_cancel"),
]
