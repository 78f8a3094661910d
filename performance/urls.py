from django.urls import path

from performance import views

app_name = "performance"
P = "staff/performance/"
MINE = "your-groups/performance/"
urlpatterns = [
    path(P, views.overview, name="overview"),
    path(P + "refresh/", views.refresh, name="refresh"),
    path(P + "thresholds/", views.thresholds, name="thresholds"),
    path(P + "measures/<int:pk>/", views.measure_detail, name="measure"),
    path(P + "measures/<int:pk>/comment/", views.comment_add, name="comment"),
    path(P + "measures/<int:pk>/remedial-action/", views.action_open, name="action-open"),
    path(P + "remedial-actions/<int:pk>/close/", views.action_close, name="action-close"),
    path(MINE, views.monitor_overview, name="monitor"),
    path(MINE + "measures/<int:pk>/", views.monitor_measure, name="monitor-measure"),
]
