from django.urls import path

from standards import views

app_name = "standards"
LO = "staff/local-offer/"
urlpatterns = [
    path(LO, views.offer, name="offer"),
    path(LO + "load/", views.preset_load, name="preset"),
    path(LO + "measures/<int:pk>/", views.measure_detail, name="measure-detail"),
    path(LO + "measures/<int:pk>/change/", views.measure_change, name="measure-change"),
    path(LO + "commitments/<int:pk>/change/", views.commitment_change, name="commitment-change"),
    path(LO + "milestones/", views.milestone_list, name="milestones"),
    path(LO + "milestones/<int:pk>/done/", views.milestone_complete, name="milestone-complete"),
    path(LO + "milestones/<int:pk>/evidence/", views.milestone_evidence, name="milestone-evidence"),
    path(LO + "asb-categories/", views.categories, name="categories"),
]
