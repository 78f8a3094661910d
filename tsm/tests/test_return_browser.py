"""A manager opens the TSM return from the benchmarks page, chooses another year with the year
chooser (a GET form: no JavaScript needed) and reads it, in a real Chromium with axe."""

from __future__ import annotations

import os
from datetime import date

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from performance.models import Stock
from tsm.returns import year_choices
from tsm.tests import return_records as rec
from tsm.tests.test_browser import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_reads_the_return_for_two_years(page, axe_check, org, make_user):
    make_user(Role.MANAGER, username="tsm-manager")
    years = year_choices()
    latest, earlier = years[1], years[2]
    year_end = date(latest + 1, 3, 31)
    rec.stock_count(org, as_at=year_end, item="homes", total=2000)
    rec.stock_count(org, as_at=year_end, item="homes", total=150, stock=Stock.LCHO)
    rec.stock_count(org, as_at=year_end, item="rp01", total=2000, count=31)
    rec.repairs(org, year=latest, completed=20, on_time=17)
    rec.repairs(org, year=latest, completed=5, on_time=5, emergency=True)
    rec.asb_cases(org, year=latest, cases=43, hate=2)
    rec.complaints(org, year=latest, stage=1, received=90, in_time=70, in_time_extended=9)
    rec.repairs(org, year=earlier, completed=4, on_time=1)

    _sign_in(page, "tsm-manager")
    page.goto("/staff/tsm/")
    page.get_by_role("link", name="Our TSM return from our own records").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(f"Tenant Satisfaction Measures return: {latest}/{str(latest + 1)[-2:]}")
    table = page.locator("table")
    expect(table).to_contain_text("85.0%")  # 17 of 20 non-emergency repairs
    expect(table).to_contain_text("20.0 per 1,000 homes")  # 43 ASB cases / 2,150 homes
    expect(table).to_contain_text("Not available")
    axe_check(page, "TSM return")
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.environ["SCREENSHOTS"], full_page=True)
    page.get_by_label("Reporting year").select_option(str(earlier))
    page.get_by_role("button", name="Show this year").click()
    expect(heading).to_have_text(f"Tenant Satisfaction Measures return: {earlier}/{str(earlier + 1)[-2:]}")
    expect(table).to_contain_text("25.0%")  # 1 of 4
    axe_check(page, "TSM return, an earlier year")
    page.goto("/staff/tsm/return/?year=1990")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a reporting year from the list")
    axe_check(page, "TSM return with an error")
