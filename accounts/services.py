"""Account security writes: two-factor devices and API tokens."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken, User
from core.permissions import has_permission


def two_factor_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator for the user; confirmed once they enter a code from it."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def two_factor_device_confirm(*, user: User, code: str) -> bool:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(code.strip()):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True


def two_factor_device_remove(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()


def api_token_create(*, actor: Any, name: str) -> tuple[ApiToken, str]:
    """A new token acting as `actor`. The raw token is returned once and never stored."""
    if not has_permission(actor, "api.token.manage"):
        raise PermissionDenied
    raw, prefix, key_hash = ApiToken.generate()
    token = ApiToken.objects.create(user=actor, name=name.strip()[:100], prefix=prefix, key_hash=key_hash)
    return token, raw


def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    if not has_permission(actor, "api.token.manage") or token.user.organisation_id != actor.organisation_id:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
