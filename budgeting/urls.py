from django.urls import path

from budgeting import views

app_name = "budgeting"
urlpatterns = [
    # Staff
    path("staff/estate-funds/", views.fund_list, name="fund-list"),
    path("staff/estate-funds/new/", views.fund_create, name="fund-create"),
    path("staff/estate-funds/<int:pk>/", views.fund_detail, name="fund-detail"),
    path("staff/estate-funds/<int:pk>/edit/", views.fund_edit, name="fund-edit"),
    path("staff/estate-funds/<int:pk>/ideas/new/", views.proposal_create, name="proposal-create"),
    path("staff/estate-funds/<int:pk>/paper-ballot/", views.paper_ballot, name="paper-ballot"),
    path("staff/estate-funds/<int:pk>/decide/", views.fund_decide, name="fund-decide"),
    path("staff/estate-fund-ideas/<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("staff/estate-fund-ideas/<int:pk>/check/", views.proposal_check, name="proposal-check"),
    path("staff/estate-fund-ideas/<int:pk>/progress/", views.proposal_progress, name="proposal-progress"),
    # Public and residents
    path("estate-funds/<slug:slug>/", views.public_fund_list, name="public-fund-list"),
    path("estate-funds/<slug:slug>/<slug:fund_slug>/", views.public_fund, name="public-fund"),
    path("estate-funds/<slug:slug>/<slug:fund_slug>/vote/", views.vote_household, name="vote"),
    path("estate-funds/<slug:slug>/<slug:fund_slug>/vote/ballot/", views.vote_ballot, name="vote-ballot"),
    path("estate-funds/<slug:slug>/<slug:fund_slug>/vote/done/", views.vote_done, name="vote-done"),
    path("estate-funds/<slug:slug>/<slug:fund_slug>/ideas/new/", views.resident_propose, name="resident-propose"),
]
