from django.urls import path

from nastavnik.ideas import views

app_name = "ideas"

urlpatterns = [
    path("", views.idea_list, name="list"),
    path("new/", views.idea_new, name="new"),
    path("<int:idea_id>/", views.idea_detail, name="detail"),
    path("<int:idea_id>/vote/", views.idea_vote, name="vote"),
    path("<int:idea_id>/comment/", views.idea_comment, name="comment"),
    path("<int:idea_id>/adopt/", views.idea_adopt, name="adopt"),
]
