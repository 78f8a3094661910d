"""Objects the role-matrix test (core/tests/test_role_matrix.py) visits this app's URLs with."""

from __future__ import annotations

from typing import Any


def objects(*, org: Any, resident: Any, make_user: Any) -> dict[str, Any]:
    """Map a URL segment before <int:pk> (e.g. "groups") to the pk of an object of `org`,
    and "<token>" segments (e.g. "invitations") to a token string."""
    from opportunities.tests.factories import InvitationFactory, MenuItemFactory, OpportunityFactory

    item = MenuItemFactory(organisation=org)
    opportunity = OpportunityFactory(organisation=org, menu_item=item)
    invitation = InvitationFactory(opportunity=opportunity, resident=resident)
    return {
        "menu": item.pk,
        "opportunities": opportunity.pk,
        "places": invitation.pk,
        "invitations": invitation.token,
    }
