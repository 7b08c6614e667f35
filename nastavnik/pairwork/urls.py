from django.urls import path

app_name = "pairwork"

urlpatterns: list[object] = []
_ = path
