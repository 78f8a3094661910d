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


def suppress_grid(counts: Mapping[tuple[str, str], int], *, threshold: int | None = None) -> set[tuple[str, str]]:
    """The cells (row, column) to hide in a two-way table of answers (rows) by groups (columns),
    where each row's total is shown elsewhere and each column is shown as percentages.

    A column (group) of fewer than `threshold` people is hidden whole, and every other count from
    1 to threshold-1 is hidden. Then any row or column with exactly one hidden cell that could hold
    someone (a non-zero count, or any cell of a column hidden whole) gets a second: the smallest
    other non-zero cell, or, if the line has none (a shown zero would not cover it: its row total
    says it is zero), a whole column (the cell's own, or if that is hidden already the smallest
    still shown). Repeated until nothing changes; it ends, because every pass that changes
    anything hides at least one more cell."""
    limit = settings.EQUALITY_SUPPRESSION_THRESHOLD if threshold is None else threshold
    lines: list[dict[str, list[tuple[str, str]]]] = [{}, {}]
    for key in counts:
        for axis in (0, 1):
            lines[axis].setdefault(key[axis], []).append(key)
    whole = {column for column, keys in lines[1].items() if sum(counts[k] for k in keys) < limit}
    hidden = {k for k, v in counts.items() if 0 < v < limit or k[1] in whole}
    changed = True
    while changed:
        changed = False
        for by_axis in lines:
            for keys in by_axis.values():
                covering = [k for k in keys if k in hidden and (counts[k] > 0 or k[1] in whole)]
                if len(covering) != 1 or counts[covering[0]] == 0:
                    continue
                others = sorted((counts[k], k) for k in keys if k not in hidden and counts[k] > 0)
                if others:
                    hidden.add(others[0][1])
                    changed = True
                    continue
                # Nothing else in the line can cover it: hide a whole column. The cell's own, or,
                # if that is hidden whole already, the smallest column still shown.
                column = covering[0][1]
                if column in whole:
                    shown = sorted((sum(counts[k] for k in lines[1][c]), c) for c in lines[1] if c not in whole)
                    if not shown:
                        continue  # everything is hidden
                    column = shown[0][1]
                whole.add(column)
                hidden |= set(lines[1][column])
                changed = True
    return hidden
