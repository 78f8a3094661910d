"""This app's part of the demo landlord; called by people.demo.build_demo after residents exist."""

from __future__ import annotations

from typing import Any


def build(*, organisation: Any, users: dict[str, Any], seed: int, now: Any) -> None:
    """Add this app's demo records for `organisation`. Deterministic for a given seed."""
