"""The JSON API (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

Integrations authenticate with a bearer token (accounts.ApiToken) that acts as the staff user
who created it, so the API answers to exactly the same permission policy and organisation
scope as the web pages.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import HttpBearer

from accounts.models import ApiToken
from core.permissions import has_permission
from people import selectors


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = ApiToken.find(token)
        if api_token is None or not api_token.user.is_active:
            return None
        # Touch last_used_at at most once a minute, so busy integrations do not write on every call.
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at > datetime.timedelta(minutes=1):
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        return api_token.user


api = NinjaAPI(
    title="Involve API",
    version="1",
    description="Resident involvement data for integrations. Authenticate with `Authorization: Bearer <token>`.",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
)


def require(request: HttpRequest, action: str) -> None:
    if not has_permission(request.auth, action):  # type: ignore[attr-defined]
        raise HttpError(403, "This token's user may not do that.")


class ResidentOut(Schema):
    id: int
    person_ref: str | None
    status: str
    first_name: str
    last_name: str
    preferred_name: str
    tenure: str
    area: str | None
    postcode: str | None
    involvement_level: str
    preferred_channel: str
    interests: list[str]
    format_needs: list[str]
    preferred_language: str
    updated_at: datetime.datetime

    @staticmethod
    def resolve_area(obj: Any) -> str | None:
        return obj.area.name if obj.area_id else None

    @staticmethod
    def resolve_postcode(obj: Any) -> str | None:
        return obj.home.postcode if obj.home_id else obj.stated_postcode or None

    @staticmethod
    def resolve_interests(obj: Any) -> list[str]:
        return [i.code for i in obj.interests.all()]

    @staticmethod
    def resolve_format_needs(obj: Any) -> list[str]:
        return [f.code for f in obj.format_needs.all()]


class ResidentQuery(Schema):
    q: str = ""
    area: int | None = None
    tenure: str = ""
    interest: str = ""
    level: str = ""
    status: str = ""


@api.get("/residents", response=list[ResidentOut], tags=["residents"], summary="List residents")
@paginate(LimitOffsetPagination)
def list_residents(request: HttpRequest, filters: Query[ResidentQuery]) -> Any:
    require(request, "resident.view")
    qs = selectors.resident_list(user=request.auth, filters=selectors.ResidentFilters(**filters.dict()))  # type: ignore[attr-defined]
    return qs.prefetch_related("interests", "format_needs")


@api.get("/residents/{resident_id}", response=ResidentOut, tags=["residents"], summary="One resident")
def get_resident(request: HttpRequest, resident_id: int) -> Any:
    require(request, "resident.view")
    from django.http import Http404

    try:
        return selectors.resident_get(user=request.auth, pk=resident_id)  # type: ignore[attr-defined]
    except Http404:
        raise HttpError(404, "No resident found") from None


# The public performance endpoints (no token): see api/performance.py.
from api.performance import router as performance_router  # noqa: E402

api.add_router("/performance/", performance_router)
