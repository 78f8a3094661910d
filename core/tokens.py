"""Secret links that work without an account (an invitation, a survey to fill in).

A link carries a token signed with the site's SECRET_KEY (django.core.signing) over the record's
id and a random key kept on the record. Nothing that opens a link is stored: a copy of the
database alone cannot answer for anyone, and a signature cannot be guessed. Giving the record a
new key makes older links stop working. Rotating SECRET_KEY invalidates outstanding links unless
the old key is kept in SECRET_KEY_FALLBACKS. Each kind of link has its own salt, so a token for
one kind can never open another.
"""

from __future__ import annotations

import secrets

from django.core import signing


def new_key() -> str:
    return secrets.token_urlsafe(16)


def make_token(salt: str, pk: int, key: str) -> str:
    # No timestamp: the same record always has the same link, until its key changes.
    return signing.Signer(salt=salt).sign_object([pk, key])


def read_token(salt: str, token: str) -> tuple[int, str] | None:
    """(id, key) from a token, or None if it was not made by us with this salt."""
    try:
        value = signing.Signer(salt=salt).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str)):
        return None
    return value[0], value[1]


def same_key(a: str, b: str) -> bool:
    return secrets.compare_digest(a.encode(), b.encode())
