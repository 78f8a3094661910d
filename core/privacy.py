"""Small-number suppression for any aggregate of special-category data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Cell:
    label: str
    count: int | None  # None means suppressed
    percent: float | None

    @property
    def display(self) -> str:
        return "fewer than 5" if self.count is None else f"{self.count:,}"


def suppress(counts: Mapping[str, int], *, threshold: int | None = None) -> tuple[list[Cell], int | None]:
    """Hide every count from 1 to threshold-1, and one more cell if only one was hidden,
    so the hidden one cannot be worked out from the total. Zero is shown: it discloses no one.

    Returns the cells and the total (the total is suppressed too if it is itself small)."""
    limit = settings.EQUALITY_SUPPRESSION_THRESHOLD if threshold is None else threshold
    total = sum(counts.values())
    hidden = {k for k, v in counts.items() if 0 < v < limit}
    if len(hidden) == 1:
        # Secondary suppression: hide the next smallest non-zero count as well.
        candidates = sorted((v, k) for k, v in counts.items() if k not in hidden and v > 0)
        if candidates:
            hidden.add(candidates[0][1])
    shown_total = total if total >= limit else None
    cells = [
        Cell(
            label=k,
            count=None if k in hidden or shown_total is None else v,
            percent=None if k in hidden or shown_total is None or not total else round(100 * v / total, 1),
        )
        for k, v in counts.items()
    ]
    return cells, shown_total
