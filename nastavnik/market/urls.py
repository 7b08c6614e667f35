from django.urls import URLPattern, URLResolver

app_name = "market"

urlpatterns: list[URLPattern | URLResolver] = []
