"""Staff sign-in: lockout after repeated failures, and the optional two-factor second step."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services

PASSWORD = "correct horse battery staple"


@pytest.mark.django_db
def test_sign_in_and_out(client, officer):
    response = client.post("/account/sign-in/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    client.post("/account/sign-out/")
    assert client.get("/staff/").status_code == 302


@pytest.mark.django_db
def test_wrong_password_gives_a_clear_error(client, officer):
    response = client.post("/account/sign-in/", {"username": "officer", "password": "nope"})
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()


@pytest.mark.django_db
def test_five_failures_lock_the_account_even_with_the_right_password(client, officer):
    for _ in range(5):
        client.post("/account/sign-in/", {"username": "officer", "password": "wrong"})
    response = client.post("/account/sign-in/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 429
    assert "Sign-in is paused" in response.content.decode()
    assert client.get("/staff/").status_code == 302


@pytest.mark.django_db
def test_next_cannot_redirect_off_site(client, officer):
    response = client.post(
        "/account/sign-in/?next=https://evil.example/", {"username": "officer", "password": PASSWORD}
    )
    assert response["Location"] == "/staff/"


def _code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    # A code can be used once; the next step's code is within the device's tolerance.
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_ahead):06d}"


@pytest.mark.django_db
def test_two_factor_setup_then_sign_in_needs_the_code(client, officer, settings):
    # django-otp slows guessing after each wrong code; switched off here so the test need not sleep.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client.force_login(officer)
    page = client.get("/account/security/two-factor/").content.decode()
    assert "data:image/svg+xml;base64," in page
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    response = client.post("/account/security/two-factor/", {"code": _code(device)})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=officer).confirmed
    client.post("/account/sign-out/")

    response = client.post("/account/sign-in/", {"username": "officer", "password": PASSWORD})
    assert response["Location"].startswith("/account/sign-in/code/")
    # Password alone does not open staff pages.
    blocked = client.get("/staff/residents/")
    assert blocked.status_code == 302 and blocked["Location"].startswith("/account/sign-in/code/")
    wrong = client.post("/account/sign-in/code/", {"code": "000000"})
    assert "The code is wrong" in wrong.content.decode()
    device.refresh_from_db()
    ok = client.post(
        "/account/sign-in/code/?next=/staff/residents/",
        {"code": _code(device, steps_ahead=1), "next": "/staff/residents/"},
    )
    assert ok.status_code == 302 and ok["Location"] == "/staff/residents/"
    assert client.get("/staff/residents/").status_code == 200


@pytest.mark.django_db
def test_wrong_setup_code_keeps_two_factor_off(client, officer):
    client.force_login(officer)
    client.get("/account/security/two-factor/")
    response = client.post("/account/security/two-factor/", {"code": "123456"})
    assert "The code is wrong" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=officer, confirmed=True).exists()
    services.two_factor_device_remove(user=officer)


@pytest.mark.django_db
def test_residents_land_on_their_account_page_not_a_forbidden_one(client, make_user):
    from accounts.models import Role

    make_user(Role.INVOLVED_RESIDENT, username="panel")
    response = client.post("/account/sign-in/", {"username": "panel", "password": PASSWORD})
    assert response["Location"] == "/account/security/"
    forbidden = client.get("/staff/")
    assert forbidden.status_code == 403 and "You cannot see this page" in forbidden.content.decode()
