"""Public performance pages and open data, one set per landlord: /performance/<landlord>/."""

from django.urls import path

from performance import public_views as views

app_name = "performance_public"
P = "performance/<slug:slug>/"
urlpatterns = [
    path(P, views.performance_page, name="page"),
    path(P + "measures/<int:pk>/", views.measure_page, name="measure"),
    path(P + "open-data/", views.open_data, name="open-data"),
    path(P + "open-data/results.csv", views.results_csv, name="results-csv"),
    path(P + "open-data/results.json", views.results_json, name="results-json"),
    path(P + "open-data/local-offer.csv", views.offer_csv, name="offer-csv"),
    path(P + "open-data/local-offer.json", views.offer_json, name="offer-json"),
]
