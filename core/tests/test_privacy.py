"""Small-number suppression: no count from 1 to 4 is ever shown or derivable from the total."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from core.privacy import suppress, suppress_grid

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


grids = st.dictionaries(
    st.tuples(st.sampled_from("abcd"), st.sampled_from("wxyz")), st.integers(min_value=0, max_value=40), max_size=16
)


@given(grids)
def test_in_a_grid_no_small_count_is_shown_and_no_row_or_column_gives_one_away(counts):
    hidden = suppress_grid(counts, threshold=5)
    assert all(k in hidden for k, v in counts.items() if 0 < v < 5)
    for axis in (0, 1):
        for line in {k[axis] for k in counts}:
            cells = [k for k in counts if k[axis] == line]
            whole = {c for c in {k[1] for k in counts} if all(k in hidden for k in lines_of(counts, 1, c))}
            covering = [k for k in cells if k in hidden and (counts[k] > 0 or k[1] in whole)]
            # A line never has exactly one hidden cell that could hold someone, unless everything
            # else in it is hidden or it is a line of one cell.
            if len(covering) == 1 and counts[covering[0]] > 0:
                assert len(cells) == 1 or all(k in hidden for k in cells), (line, counts, hidden)
    # Every column of fewer than 5 people is hidden whole.
    for column in {k[1] for k in counts}:
        if sum(counts[k] for k in lines_of(counts, 1, column)) < 5:
            assert all(k in hidden for k in lines_of(counts, 1, column))


def lines_of(counts, axis, value):
    return [k for k in counts if k[axis] == value]


def test_a_grid_with_no_small_counts_hides_nothing():
    assert suppress_grid({("a", "x"): 5, ("a", "y"): 0, ("b", "x"): 9, ("b", "y"): 12}, threshold=5) == set()


def test_grid_example_hides_a_second_cell_in_the_row_and_the_column():
    counts = {("Very satisfied", "North"): 20, ("Very satisfied", "South"): 3, ("Very satisfied", "East"): 30,
              ("Dissatisfied", "North"): 10, ("Dissatisfied", "South"): 12, ("Dissatisfied", "East"): 8}  # fmt: skip
    hidden = suppress_grid(counts, threshold=5)
    # South's 3 is small; its row then hides the smallest other, North's 20; the North and South
    # columns then hide their other cells (10 and 12). East is shown whole.
    assert hidden == {("Very satisfied", "South"), ("Very satisfied", "North"), ("Dissatisfied", "North"),
                      ("Dissatisfied", "South")}  # fmt: skip
