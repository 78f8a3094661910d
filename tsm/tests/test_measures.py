"""The TSM formulas with hand-worked numbers (no dataset needed)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tsm import measures as m


def test_there_are_22_measures_in_26_parts_with_their_directions():
    assert m.MEASURE_COUNT == 22
    assert len(m.MEASURES) == 26
    lower = {x.code for x in m.MEASURES if not x.higher_is_better}
    assert lower == {"RP01", "NM01_1", "NM01_2", "CH01_1", "CH01_2"}
    assert m.get("RP02_1").label == "RP02 (1)"
    assert m.get("TP08").scale[0] == "Strongly agree"
    assert m.Tenure.LCHO not in m.get("TP02").tenures
    with pytest.raises(LookupError):
        m.get("TP13")


def test_satisfaction_leaves_not_applicable_out_of_the_base():
    # 30 very + 45 fairly satisfied of 120 on the scale; 20 'not applicable' do not count.
    result = m.satisfaction(
        {"very_satisfied": 30, "fairly_satisfied": 45, "neither": 15, "fairly_dissatisfied": 20,
         "very_dissatisfied": 10, "not_applicable": 20}
    )  # fmt: skip
    assert (result.numerator, result.denominator, result.value) == (75, 120, Decimal("62.5"))
    assert result.rounded() == Decimal("62.5")


def test_satisfaction_accepts_weighted_counts_and_refuses_missing_ones():
    result = m.satisfaction({a: Decimal("10.5") for a in m.SCALE})
    assert result.value == Decimal(40)
    with pytest.raises(ValueError, match="neither"):
        m.satisfaction({"very_satisfied": 1, "fairly_satisfied": 1, "fairly_dissatisfied": 1, "very_dissatisfied": 1})


@pytest.mark.parametrize(
    ("satisfied", "answered", "shown"),
    [
        (1, 8, "12.5"),  # 12.5 exactly
        (49, 400, "12.3"),  # 12.25: half up, not to even (round() would give 12.2)
        (147, 1200, "12.3"),  # 12.25 again
        (1, 3, "33.3"),
        (2, 3, "66.7"),
        (9995, 10000, "100.0"),  # 99.95 rounds up to 100.0
        (0, 5, "0.0"),
    ],
)
def test_percentages_round_half_up_to_one_decimal_place(satisfied, answered, shown):
    assert m.percentage(satisfied, answered).rounded(1) == Decimal(shown)


def test_a_zero_denominator_has_no_value_not_zero():
    assert m.percentage(0, 0).value is None
    assert m.per_thousand(5, 0).rounded() is None
    with pytest.raises(ValueError):
        m.percentage(-1, 10)


def test_per_thousand_homes():
    # NM01 (1): 583 ASB cases over 25,351 homes.
    result = m.calculate("NM01_1", 583, 25351)
    assert result.rounded(1) == Decimal("23.0")
    assert m.per_thousand(1, 8000).value == Decimal("0.125")
    assert m.per_thousand(1, 8000).rounded(2) == Decimal("0.13")  # 0.125 half up


def test_round_half_up_at_x5_boundaries():
    assert m.round_half_up(Decimal("0.05"), 1) == Decimal("0.1")
    assert m.round_half_up(Decimal("0.15"), 1) == Decimal("0.2")
    assert m.round_half_up(Decimal("2.45"), 1) == Decimal("2.5")
    assert m.round_half_up(Decimal("2.449999"), 1) == Decimal("2.4")
    assert m.round_half_up(Decimal("87.5"), 0) == Decimal("88")
    assert m.round_half_up(Decimal("86.5"), 0) == Decimal("87")  # round() would give 86


def test_dataset_2024_rounds_only_lcho_and_combined_complaints():
    assert m.dataset_2024_value("CH02_2", m.Tenure.LCHO, Decimal("87.5")) == 88
    assert m.dataset_2024_value("CH01_1", m.Tenure.COMBINED, Decimal("143.47")) == 143
    assert m.dataset_2024_value("CH01_1", m.Tenure.LCRA, Decimal("143.47")) == Decimal("143.47")
    assert m.dataset_2024_value("TP01", m.Tenure.LCHO, Decimal("62.69")) == Decimal("62.69")


@pytest.mark.parametrize(
    ("population", "margin"),
    [(1, "0.05"), (2499, "0.05"), (2500, "0.04"), (9999, "0.04"), (10000, "0.03"), (24999, "0.03"), (25000, "0.02")],
)
def test_required_margin_by_population_band(population, margin):
    assert m.required_margin_of_error(population) == Decimal(margin)


def test_minimum_sample_size_worked_by_hand():
    # N = 1,000, e = 5%: n0 = 1.96² × 0.25 / 0.0025 = 384.16; n = 384.16 / 1.38416 = 277.54… → 278.
    assert m.minimum_sample_size(1000).quantize(Decimal("0.01")) == Decimal("277.54")
    assert m.minimum_sample_size_published(1000) == 278
    # N = 26,840, e = 2%: n0 = 2,401; n = 2401 / (1 + 2401/26840) = 2203.85… → 2,204 (Abri, 2024).
    assert m.minimum_sample_size_published(26840) == 2204
    # A whole number stays whole: rounded up, never beyond. N = 2,500, e = 4%: n0 = 600.25.
    assert m.minimum_sample_size_published(2500) == 485  # 600.25 / 1.2401 = 484.03
    with pytest.raises(ValueError):
        m.minimum_sample_size(0)


def test_margin_of_error_worked_by_hand():
    # N = 1,000, n = 278: 1.96 × √(0.25/278 × 722/999) = 1.96 × 0.025493… = 4.9967…% → 5.0
    assert m.margin_of_error_published(1000, 278) == Decimal("5.0")
    # A census has no sampling error.
    assert m.margin_of_error(500, 500) == 0
    assert m.margin_of_error(1000, 0) is None
    assert m.margin_of_error(1, 1) is None
    assert m.meets_minimum_sample(1000, 278) and not m.meets_minimum_sample(1000, 277)
