"""Small things views need from the request, one way each (every app's views used to have its own)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest


def user_organisation(request: HttpRequest) -> Any:
    """The signed-in member of staff's landlord. An account without one (a partnership-wide or a
    broken account) gets "not found" rather than someone else's records."""
    organisation = getattr(request.user, "organisation", None)
    if organisation is None:
        raise Http404("Your account has no organisation")
    return organisation


def site_url(request: HttpRequest) -> str:
    """The address links in messages start with: SITE_URL if set (behind a proxy), else this request's."""
    return getattr(settings, "SITE_URL", "") or request.build_absolute_uri("/").rstrip("/")
