from django.urls import path

from perception import views

app_name = "perception"

S = "staff/tenant-satisfaction/"
P = S + "<int:pk>/"

urlpatterns = [
    path(S, views.perception_list, name="list"),
    path(S + "sample-size/", views.sample_size, name="sample-size"),
    path(P, views.perception_detail, name="detail"),
    path(P + "exclusions/", views.exclusion_list, name="exclusions"),
    path(P + "exclusions/<int:exclusion_pk>/remove/", views.exclusion_remove, name="exclusion-remove"),
    path(P + "details/", views.details_edit, name="details"),
    path(P + "draw/<str:stock>/", views.sample_draw, name="draw"),
    path(P + "open/", views.fieldwork_open, name="open"),
    path(P + "invite/<str:stock>/", views.sample_invite, name="invite"),
    path(P + "close/", views.fieldwork_close, name="close"),
    path(P + "publish/", views.publish, name="publish"),
    path(P + "results/", views.results, name="results"),
    path("tenant-satisfaction/<slug:slug>/", views.published, name="published"),
    path("tenant-satisfaction/<slug:slug>/<int:year>/", views.published, name="published-year"),
]
