"""The secret link a resident answers an invitation at, without an account (core.tokens).

The same link can be put in every message about the invitation (the invitation, a place coming
up), and a signed-in resident's own page can link to it. Issuing a new link
(services.invitation_send_again) changes the invitation's key, so older links stop working.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core import tokens
from core.tokens import same_key

if TYPE_CHECKING:
    from opportunities.models import Invitation

SALT = "opportunities.invitation"

__all__ = ["make_token", "read_token", "same_key"]


def make_token(invitation: Invitation) -> str:
    return tokens.make_token(SALT, invitation.pk, invitation.key)


def read_token(token: str) -> tuple[int, str] | None:
    """(invitation id, key) from a token, or None if it was not made by us."""
    return tokens.read_token(SALT, token)
