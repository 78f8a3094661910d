from django.contrib import admin
from django.urls import include, path

from api.api import api

urlpatterns = [
    path("", include("pages.urls")),
    path("account/", include("accounts.urls")),
    path("staff/", include("people.urls")),
    path("staff/", include("core.urls")),
    # These apps name their own staff/, resident and public paths.
    path("", include("groups.urls")),
    path("", include("opportunities.urls")),
    path("", include("inspections.urls")),
    path("", include("budgeting.urls")),
    path("", include("standards.urls")),
    path("", include("tsm.urls")),
    path("", include("performance.urls")),
    path("", include("performance.urls_public")),
    path("", include("complaints.urls")),
    path("", include("surveys.urls")),
    path("", include("perception.urls")),
    path("api/v1/", api.urls),
    # Django's admin is for system administrators only (is_staff); it is not the back office.
    path("django-admin/", admin.site.urls),
]
