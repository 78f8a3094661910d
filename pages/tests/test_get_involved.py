"""The public 'Get involved' form: creates one pending resident, resists spam and double submits."""

from __future__ import annotations

import pytest
from django.core import signing

from core.models import Message
from pages.forms import SALT, new_form_token
from people.models import Consent, Interest, Resident


def _answers(**overrides):
    data = {
        "first_name": "Joan",
        "last_name": "Clarke",
        "address": "12 Canal Street",
        "postcode": "ox2 6aa",
        "tenure": "secure_assured",
        "preferred_channel": "email",
        "email": "joan@example.org",
        "involvement_level": "armchair",
        "time_available": "month",
        "interests": [Interest.objects.get(code="repairs").pk, Interest.objects.get(code="asb").pk],
        "preferred_language": "",
        "agree": "on",
        "website": "",
        "form_token": new_form_token(),
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_single_landlord_goes_straight_to_its_form(client, org):
    response = client.get("/get-involved/")
    assert response.status_code == 302 and response["Location"] == f"/get-involved/{org.slug}/"


@pytest.mark.django_db
def test_choose_between_landlords(client, org, other_org):
    page = client.get("/get-involved/").content.decode()
    assert org.name in page and other_org.name in page


@pytest.mark.django_db(transaction=True)
def test_submission_creates_a_pending_resident_with_consent_and_acknowledgement(client, org):
    response = client.post(f"/get-involved/{org.slug}/", _answers())
    assert response.status_code == 302
    resident = Resident.objects.get()
    assert resident.status == Resident.Status.PENDING and resident.source == Resident.Source.WEB
    assert resident.organisation == org
    assert resident.stated_postcode == "OX2 6AA" and resident.postcode_key == "OX26AA"
    assert set(resident.interests.values_list("code", flat=True)) == {"repairs", "asb"}
    assert resident.consents.get().purpose == Consent.Purpose.INVOLVEMENT_CONTACT
    message = Message.objects.get()
    assert message.channel == "email" and message.to == "joan@example.org"
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you, Joan" in thanks


@pytest.mark.django_db
def test_double_submit_makes_one_record(client, org):
    answers = _answers()
    first = client.post(f"/get-involved/{org.slug}/", answers)
    second = client.post(f"/get-involved/{org.slug}/", answers)
    assert first.status_code == second.status_code == 302
    assert Resident.objects.count() == 1
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_honeypot_is_refused_and_nothing_saved(client, org):
    response = client.post(f"/get-involved/{org.slug}/", _answers(website="http://spam.example"))
    assert response.status_code == 200 and "could not accept this form" in response.content.decode()
    assert Resident.objects.count() == 0


@pytest.mark.django_db
def test_forged_or_instant_tokens_are_refused(client, org, settings):
    assert client.post(f"/get-involved/{org.slug}/", _answers(form_token="forged")).status_code == 200
    settings.EXPRESSION_OF_INTEREST_MIN_SECONDS = 60
    assert client.post(f"/get-involved/{org.slug}/", _answers()).status_code == 200
    assert Resident.objects.count() == 0


@pytest.mark.django_db
def test_expired_token_asks_to_send_again(client, org, monkeypatch):
    # Sign the token as if it had been issued in 1970.
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(0))
    token = signing.dumps({"k": "abc", "t": 0}, salt=SALT)
    monkeypatch.undo()
    response = client.post(f"/get-involved/{org.slug}/", _answers(form_token=token))
    assert "open for too long" in response.content.decode()


@pytest.mark.django_db
def test_errors_are_clear_and_answers_kept(client, org):
    response = client.post(
        f"/get-involved/{org.slug}/", _answers(first_name="", email="", postcode="nowhere", agree="")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter your first name" in page
    assert "Enter your email address, or choose another way" in page
    assert "Enter a real postcode" in page
    assert "Confirm you agree" in page
    assert 'value="Clarke"' in page  # nothing the person typed is lost
    assert Resident.objects.count() == 0


@pytest.mark.django_db
def test_form_works_without_javascript_and_has_no_inline_script(client, org):
    page = client.get(f"/get-involved/{org.slug}/").content.decode()
    assert '<form method="post"' in page
    # Only scripts carrying the CSP nonce are allowed; none is needed for the form.
    assert "onclick=" not in page and "javascript:" not in page
