from django.urls import path

from nastavnik.consents import views

app_name = "consents"

urlpatterns = [
    path("", views.attention_list, name="list"),
    path("person/<int:person_id>/", views.person_consents_view, name="person"),
    path("person/<int:person_id>/form.pdf", views.consent_form_pdf, name="form_pdf"),
    path("person/<int:person_id>/data.json", views.person_data_download, name="person_data"),
    path("<int:consent_id>/withdraw/", views.consent_withdraw, name="withdraw"),
]
