from django.urls import path

from tsm import views

app_name = "tsm"
urlpatterns = [
    path("staff/tsm/", views.benchmark, name="benchmark"),
    path("staff/tsm/benchmark.csv", views.benchmark_csv, name="benchmark-csv"),
    path("staff/tsm/measures/<str:measure>/", views.measure_detail, name="measure"),
    path("staff/tsm/landlord/", views.profile_edit, name="profile"),
    path("staff/tsm/dataset/", views.dataset_page, name="dataset"),
    path("staff/tsm/return/", views.return_page, name="return"),
    path("staff/tsm/return.csv", views.return_csv, name="return-csv"),
]
