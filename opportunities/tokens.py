"""The secret link a resident answers an invitation at, without an account.

The link carries a token signed with the site's SECRET_KEY (django.core.signing) over the
invitation's id and a random key kept on the invitation. Nothing that opens a link is stored:
a copy of the database alone cannot answer anyone's invitation, and a signature cannot be
guessed. The same link can be put in every message about the invitation (the invitation, a place
coming up), and a signed-in resident's own page can link to it. Issuing a new link
(services.invitation_send_again) changes the random key, so older links stop working. Rotating
SECRET_KEY invalidates outstanding links unless the old key is kept in SECRET_KEY_FALLBACKS.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.core import signing

if TYPE_CHECKING:
    from opportunities.models import Invitation

SALT = "opportunities.invitation"


def make_token(invitation: Invitation) -> str:
    # No timestamp: the same invitation always has the same link, until its key changes.
    return signing.Signer(salt=SALT).sign_object([invitation.pk, invitation.key])


def read_token(token: str) -> tuple[int, str] | None:
    """(invitation id, key) from a token, or None if it was not made by us."""
    try:
        value = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str)):
        return None
    return value[0], value[1]


def same_key(a: str, b: str) -> bool:
    return secrets.compare_digest(a.encode(), b.encode())
