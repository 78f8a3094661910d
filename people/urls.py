from django.urls import path

from people import views

app_name = "people"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("residents/", views.resident_list, name="resident-list"),
    path("residents/<int:pk>/", views.resident_detail, name="resident-detail"),
    path("residents/<int:pk>/preferences/", views.resident_preferences, name="resident-preferences"),
    path("residents/<int:pk>/match/", views.resident_match, name="resident-match"),
    path("residents/<int:pk>/consent/", views.resident_consent, name="resident-consent"),
    path("residents/<int:pk>/equality/", views.equality_profile, name="equality-profile"),
    path("residents/<int:pk>/equality/edit/", views.equality_profile_edit, name="equality-profile-edit"),
    path("residents/<int:pk>/history/", views.resident_history, name="resident-history"),
    path("equality/", views.equality_report, name="equality-report"),
]
