from django.urls import path

from core import views

app_name = "core"
urlpatterns = [
    path("imports/", views.import_list, name="import-list"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/commit/", views.import_commit, name="import-commit"),
    path("imports/<int:pk>/rejected.csv", views.import_rejected, name="import-rejected"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/office-hours/", views.receipt_rule, name="receipt-rule"),
    path("calendar/closures/", views.closure_day_add, name="closure-day-add"),
    path("calendar/closures/<int:pk>/remove/", views.closure_day_remove, name="closure-day-remove"),
    path("messages/", views.message_list, name="message-list"),
    path("api-tokens/", views.api_tokens, name="api-tokens"),
    path("api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api-token-revoke"),
]
