from django.urls import path

from opportunities import views

app_name = "opportunities"
urlpatterns = [
    # Staff: the menu of involvement.
    path("staff/menu/", views.menu_list, name="menu-list"),
    path("staff/menu/add/", views.menu_item_add, name="menu-item-add"),
    path("staff/menu/load-presets/", views.menu_load_presets, name="menu-load-presets"),
    path("staff/menu/<int:pk>/", views.menu_item_edit, name="menu-item-edit"),
    # Staff: opportunities, invitations, attendance and time given.
    path("staff/opportunities/", views.opportunity_list, name="opportunity-list"),
    path("staff/opportunities/add/", views.opportunity_add, name="opportunity-add"),
    path("staff/opportunities/time/", views.time_given, name="time-given"),
    path("staff/opportunities/time/add/", views.time_add, name="time-add"),
    path("staff/opportunities/settings/", views.settings_edit, name="settings"),
    path("staff/opportunities/<int:pk>/", views.opportunity_detail, name="opportunity-detail"),
    path("staff/opportunities/<int:pk>/edit/", views.opportunity_edit, name="opportunity-edit"),
    path("staff/opportunities/<int:pk>/matches/", views.opportunity_matches, name="opportunity-matches"),
    path("staff/opportunities/<int:pk>/attendance/", views.opportunity_attendance, name="opportunity-attendance"),
    path("staff/opportunities/places/<int:pk>/remove/", views.invitation_remove, name="invitation-remove"),
    path("staff/opportunities/places/<int:pk>/send-again/", views.invitation_send_again, name="invitation-send-again"),
    # Public: the menu in plain English, and answering an invitation without an account.
    path("get-involved/<slug:slug>/ways/", views.public_menu, name="public-menu"),
    path("invitations/<str:token>/", views.invitation_answer, name="invitation-answer"),
    # A signed-in resident's invitations and time given.
    path("your-involvement/", views.own_involvement, name="own-involvement"),
]
