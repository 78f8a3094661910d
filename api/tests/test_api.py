"""The JSON API: bearer tokens, the same permission policy and organisation scope as the pages."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.services import api_token_create
from people.tests.factories import ResidentFactory


def _bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def token(admin_user):
    _, raw = api_token_create(actor=admin_user, name="Housing system")
    return raw


@pytest.mark.django_db
def test_no_or_bad_token_is_refused(client):
    assert client.get("/api/v1/residents").status_code == 401
    assert client.get("/api/v1/residents", **_bearer("inv_nonsense")).status_code == 401


@pytest.mark.django_db
def test_lists_only_the_tokens_organisation(client, org, other_org, token):
    mine = ResidentFactory(organisation=org, last_name="Mine")
    ResidentFactory(organisation=other_org, last_name="Theirs")
    response = client.get("/api/v1/residents", **_bearer(token))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == mine.pk and body["items"][0]["last_name"] == "Mine"
    assert "equality_profile" not in body["items"][0]


@pytest.mark.django_db
def test_filters_and_detail(client, org, other_org, token):
    ResidentFactory(organisation=org, last_name="Abbott", involvement_level="armchair")
    ResidentFactory(organisation=org, last_name="Zephyr")
    theirs = ResidentFactory(organisation=other_org)
    body = client.get("/api/v1/residents?level=armchair", **_bearer(token)).json()
    assert [r["last_name"] for r in body["items"]] == ["Abbott"]
    assert client.get(f"/api/v1/residents/{theirs.pk}", **_bearer(token)).status_code == 404


@pytest.mark.django_db
def test_a_token_for_a_role_without_permission_is_forbidden(client, make_user):
    from accounts.models import ApiToken

    resident_user = make_user(Role.RESIDENT, username="portal-user")
    raw, prefix, key_hash = ApiToken.generate()
    ApiToken.objects.create(user=resident_user, name="x", prefix=prefix, key_hash=key_hash)
    assert client.get("/api/v1/residents", **_bearer(raw)).status_code == 403


@pytest.mark.django_db
def test_revoked_token_stops_working(client, token):
    from accounts.models import ApiToken

    ApiToken.objects.update(revoked_at=timezone.now())
    assert client.get("/api/v1/residents", **_bearer(token)).status_code == 401


@pytest.mark.django_db
def test_only_a_hash_of_the_token_is_stored(token):
    from accounts.models import ApiToken

    stored = ApiToken.objects.get()
    assert token not in (stored.key_hash, stored.prefix) and token.startswith(stored.prefix)


@pytest.mark.django_db
def test_openapi_description_is_published(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/residents" in schema["paths"]
    assert schema["components"]["securitySchemes"]


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_rows(client, org, token, django_assert_max_num_queries):
    for _ in range(30):
        ResidentFactory(organisation=org)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/residents?limit=30", **_bearer(token)).status_code == 200


@pytest.mark.django_db
def test_docs_page_is_served_locally_without_inline_script(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "cdn.jsdelivr.net" not in page and "/static/ninja/swagger-ui-bundle.js" in page
    assert "<script>" not in page  # the strict CSP would block it


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("path", ["/api/v1/residents", "/api/v1/residents/{pk}"])
def test_api_role_matrix(client, make_user, org, role, path):
    """The API half of the role matrix: each endpoint answers as core.permissions.POLICY says."""
    from accounts.models import ApiToken
    from core.permissions import POLICY

    resident = ResidentFactory(organisation=org)
    raw, prefix, key_hash = ApiToken.generate()
    ApiToken.objects.create(user=make_user(role, username=f"api-{role}"), name="x", prefix=prefix, key_hash=key_hash)
    response = client.get(path.format(pk=resident.pk), **_bearer(raw))
    assert response.status_code == (200 if role in POLICY["resident.view"] else 403)
