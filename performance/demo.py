"""This app's part of the demo landlord: two years of operational records (to come)."""

from __future__ import annotations

from typing import Any


def build(*, organisation: Any, users: dict[str, Any], seed: int, now: Any) -> None:
    return None
