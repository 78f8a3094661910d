"""Public journey in a real Chromium: find the form, make mistakes, fix them, send it.
Every page is checked with axe-core for WCAG 2.2 A and AA."""

from __future__ import annotations

import pytest

from people.models import Resident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_expression_of_interest_journey(page, axe_check, org, other_org):
    page.goto("/")
    axe_check(page, "home")
    page.get_by_role("button", name="Tell us you want to get involved").click()
    axe_check(page, "choose landlord")
    page.get_by_role("link", name=org.name).click()
    axe_check(page, "form")

    # Send with nothing filled in: every problem is listed and linked.
    page.get_by_role("button", name="Send").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Enter your first name" in summary.inner_text()
    axe_check(page, "form with errors")

    page.get_by_label("First name").fill("Joan")
    page.get_by_label("Last name").fill("Clarke")
    page.get_by_label("Address", exact=True).fill("12 Canal Street")
    page.get_by_label("Postcode").fill("OX2 6AA")
    page.get_by_label("Secure or assured tenant").check()
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Email address (optional)").fill("joan@example.org")
    page.get_by_label("Large print").check()
    page.get_by_label("Armchair or online only, no meetings").check()
    page.get_by_label("Repairs and maintenance").check()
    page.get_by_label("Anti-social behaviour").check()  # several interests can be chosen
    page.get_by_label("I agree to be contacted about getting involved").check()
    page.get_by_role("button", name="Send").click()

    page.get_by_role("heading", name="Thank you, Joan").wait_for()
    axe_check(page, "thank you")
    resident = Resident.objects.get()
    assert resident.status == Resident.Status.PENDING
    assert list(resident.format_needs.values_list("code", flat=True)) == ["large-print"]
    assert set(resident.interests.values_list("code", flat=True)) == {"repairs", "asb"}
    assert page.console_errors == []


def test_public_pages_pass_axe(page, axe_check, org):
    for path in ("/accessibility/", "/privacy/", "/account/sign-in/"):
        page.goto(path)
        axe_check(page, path)
    assert page.console_errors == []
