"""Small-number suppression: no count from 1 to 4 is ever shown or derivable from the total."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from core.privacy import suppress

counts_strategy = st.dictionaries(st.text(min_size=1, max_size=5), st.integers(min_value=0, max_value=60), max_size=8)


@given(counts_strategy)
def test_no_small_count_is_shown(counts):
    cells, total = suppress(counts, threshold=5)
    for cell in cells:
        assert cell.count is None or cell.count == 0 or cell.count >= 5


@given(counts_strategy)
def test_a_hidden_count_cannot_be_worked_out_from_the_total(counts):
    cells, total = suppress(counts, threshold=5)
    hidden = [c for c in cells if c.count is None and counts[c.label] > 0]
    if total is not None:
        assert len(hidden) != 1


@given(counts_strategy)
def test_shown_counts_are_true(counts):
    cells, total = suppress(counts, threshold=5)
    for cell in cells:
        if cell.count is not None:
            assert cell.count == counts[cell.label]
    assert total is None or total == sum(counts.values())


def test_small_total_hides_everything():
    cells, total = suppress({"a": 3, "b": 1}, threshold=5)
    assert total is None and all(c.count is None for c in cells)


def test_example_with_secondary_suppression():
    cells, total = suppress({"Christian": 40, "Muslim": 12, "Sikh": 2}, threshold=5)
    shown = {c.label: c.count for c in cells}
    assert shown == {"Christian": 40, "Muslim": None, "Sikh": None} and total == 54
