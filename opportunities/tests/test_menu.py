"""The menu of involvement: presets, staff editing and the public page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Role
from opportunities.models import MenuItem
from opportunities.presets import PRESETS
from opportunities.services import menu_item_update, menu_load_presets
from opportunities.tests.factories import MenuItemFactory

pytestmark = pytest.mark.django_db

POOLE_21 = {
    "magazine",
    "website",
    "satisfaction-survey",
    "peoples-panel",
    "focus-groups",
    "mystery-shopping",
    "halo-groups",
    "environmental-visual-audits",
    "fun-day",
    "stakeholder-conference",
    "estate-improvement-grants",
    "training",
    "working-groups",
    "local-community-representatives",
    "sheltered-residents-associations",
    "residents-associations",
    "leaseholder-panel",
    "sheltered-housing-forum",
    "community-housing-action-teams",
    "strategy-panel",
    "board",
}
OXFORD_EXTRA = {"staff-shadowing", "editorial-group", "walkabouts", "armchair-advisers"}


def test_presets_are_poole_21_and_oxford_tool_box():
    codes = [p["code"] for p in PRESETS]
    assert len(codes) == len(set(codes)) == 25
    assert set(codes) == POOLE_21 | OXFORD_EXTRA
    levels = {p["level"] for p in PRESETS}
    assert levels == {"informing", "consulting", "involving", "engaging", "decision_making"}


def test_loading_presets_twice_adds_nothing_and_keeps_edits(org, officer):
    assert menu_load_presets(organisation=org, actor=officer) == 25
    board = MenuItem.objects.get(organisation=org, preset_code="board")
    menu_item_update(item=board, actor=officer, values={"name": "Our board", "is_published": False})
    MenuItem.objects.get(organisation=org, preset_code="magazine").delete()

    assert menu_load_presets(organisation=org, actor=officer) == 1  # only the one missing
    assert menu_load_presets(organisation=org, actor=officer) == 0
    assert MenuItem.objects.filter(organisation=org).count() == 25
    board.refresh_from_db()
    assert board.name == "Our board" and board.is_published is False


def test_presets_are_per_landlord(org, other_org, officer, make_user):
    menu_load_presets(organisation=org, actor=officer)
    other_officer = make_user(Role.INVOLVEMENT_OFFICER, organisation=other_org, username="other")
    assert menu_load_presets(organisation=other_org, actor=other_officer) == 25


def test_manager_cannot_load_presets_or_edit(org, manager):
    with pytest.raises(PermissionDenied):
        menu_load_presets(organisation=org, actor=manager)
    item = MenuItemFactory(organisation=org)
    with pytest.raises(PermissionDenied):
        menu_item_update(item=item, actor=manager, values={"name": "x"})


def test_officer_cannot_edit_another_landlords_item(other_org, officer, client):
    item = MenuItemFactory(organisation=other_org)
    with pytest.raises(PermissionDenied):
        menu_item_update(item=item, actor=officer, values={"name": "x"})
    client.force_login(officer)
    assert client.get(reverse("opportunities:menu-item-edit", args=[item.pk])).status_code == 404


def test_load_presets_page_is_post_redirect_get(client, officer, org):
    client.force_login(officer)
    url = reverse("opportunities:menu-load-presets")
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("opportunities:menu-list")
    client.post(url)  # a double submit
    assert MenuItem.objects.filter(organisation=org).count() == 25
    page = client.get(reverse("opportunities:menu-list"))
    assert b"Staff shadowing" in page.content


def test_add_menu_item_with_errors_then_valid(client, officer, org):
    client.force_login(officer)
    url = reverse("opportunities:menu-item-add")
    response = client.post(url, {"name": ""})
    assert response.status_code == 200
    assert b"Enter a name" in response.content and b"govuk-error-summary" in response.content
    response = client.post(
        url,
        {
            "name": "Tenant inspectors",
            "level": "involving",
            "summary": "Inspect empty homes before they are let.",
            "what_it_involves": "Visit empty homes with a checklist.",
            "time_needed": "A morning a month",
            "time_commitment": "month",
            "how_to_join": "Ask us.",
            "suits_levels": ["involved"],
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    item = MenuItem.objects.get(organisation=org, name="Tenant inspectors")
    assert item.preset_code == "" and item.suits_levels == ["involved"]


def test_public_menu_lists_published_and_filters(client, org, officer):
    menu_load_presets(organisation=org, actor=officer)
    MenuItem.objects.filter(organisation=org, preset_code="website").update(is_published=False)
    url = reverse("opportunities:public-menu", args=[org.slug])
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Mystery shopping" in text and "Armchair advisers" in text and "Our website" not in text
    assert reverse("public:get-involved-form", args=[org.slug]) in text
    assert "Decision-making" in text

    no_meetings = client.get(url, {"meetings": "no"}).content.decode()
    assert "Armchair advisers" in no_meetings and "Working groups" not in no_meetings

    little_time = client.get(url, {"time": "year"}).content.decode()
    assert "Focus groups" in little_time and "The board" not in little_time and "Working groups" not in little_time
    month = client.get(url, {"time": "month"}).content.decode()
    assert "Working groups" in month and "The board" not in month

    deciding = client.get(url, {"level": "decision_making"}).content.decode()
    assert "The board" in deciding and "Halo groups" not in deciding


def test_public_menu_of_unknown_landlord_is_404(client, db):
    assert client.get(reverse("opportunities:public-menu", args=["nobody"])).status_code == 404


def test_public_menu_shows_only_that_landlords_items(client, org, other_org):
    MenuItemFactory(organisation=other_org, name="Northgate only")
    MenuItemFactory(organisation=org, name="Riverside only")
    text = client.get(reverse("opportunities:public-menu", args=[org.slug])).content.decode()
    assert "Riverside only" in text and "Northgate only" not in text
