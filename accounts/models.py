"""Organisations (landlords and partners), partnerships, and the people who sign in."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class Nation(models.TextChoices):
    # Bank holidays differ by nation; England and Wales share one list.
    ENGLAND_AND_WALES = "england-and-wales", "England and Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"


class Partnership(models.Model):
    """A group of landlords working to one compact, such as a cross-tenure partnership."""

    name = models.CharField(max_length=200, unique=True)

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        LANDLORD = "landlord", "Landlord"
        PARTNER = "partner", "Partner organisation"

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.LANDLORD)
    nation = models.CharField(max_length=20, choices=Nation.choices, default=Nation.ENGLAND_AND_WALES)
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    # The receipt rule (core.calendar): anything received at or after office_closes, or on a
    # non-working day, counts as received on the next working day.
    office_opens = models.TimeField(default=datetime.time(9, 0))
    office_closes = models.TimeField(default=datetime.time(17, 0))
    receipt_day_is_day_zero = models.BooleanField(
        default=True,
        help_text="Usual practice: the day a report is received is day 0 and the next working day is day 1.",
    )
    accepts_expressions_of_interest = models.BooleanField(
        default=True, help_text="Show this landlord on the public 'Get involved' page."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    INVOLVEMENT_OFFICER = "involvement_officer", "Involvement officer"
    MANAGER = "manager", "Manager"
    PARTNERSHIP_VIEWER = "partnership_viewer", "Partnership viewer"
    INVOLVED_RESIDENT = "involved_resident", "Involved resident"
    RESIDENT = "resident", "Resident"


STAFF_ROLES = frozenset({Role.ADMINISTRATOR, Role.INVOLVEMENT_OFFICER, Role.MANAGER, Role.PARTNERSHIP_VIEWER})


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.RESIDENT)

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A bearer token for an integration. Only a hash is stored; the token acts as its user."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate() -> tuple[str, str, str]:
        raw = "inv_" + secrets.token_urlsafe(32)
        return raw, raw[:12], _hash_token(raw)

    @classmethod
    def find(cls, raw: str) -> ApiToken | None:
        return (
            cls.objects.active().select_related("user", "user__organisation").filter(key_hash=_hash_token(raw)).first()
        )
