from django.urls import path

from pages import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("get-involved/", views.get_involved, name="get-involved"),
    path("get-involved/<slug:slug>/", views.get_involved_form, name="get-involved-form"),
    path("get-involved/<slug:slug>/thank-you/", views.get_involved_done, name="get-involved-done"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
]
