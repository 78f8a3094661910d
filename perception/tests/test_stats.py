"""The sampling and weighting arithmetic, checked as properties over many inputs."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from people.ages import age_band
from perception import stats

sizes = st.dictionaries(st.sampled_from(["A", "B", "C", "D", "E"]), st.integers(0, 400), min_size=1)


@given(sizes=sizes, wanted=st.integers(0, 2000))
def test_allocation_adds_up_exactly_and_each_stratum_gets_its_share_to_within_one(sizes, wanted):
    got = stats.allocate(sizes, wanted)
    frame = sum(sizes.values())
    assert sum(got.values()) == min(wanted, frame)
    for key, n in sizes.items():
        assert 0 <= got[key] <= n
        if 0 < wanted < frame:
            assert abs(got[key] - wanted * n / frame) < 1


@given(sizes=sizes, wanted=st.integers(0, 500), seed=st.integers(0, 2**31 - 1))
def test_a_draw_is_the_same_every_time_from_the_same_seed_and_frame(sizes, wanted, seed):
    frame = {k: list(range(i * 1000, i * 1000 + n)) for i, (k, n) in enumerate(sorted(sizes.items()))}
    first = stats.stratified_sample(frame, wanted, seed)
    # The order the frame arrives in does not matter: only the seed decides.
    shuffled = {k: list(reversed(v)) for k, v in reversed(list(frame.items()))}
    assert stats.stratified_sample(shuffled, wanted, seed) == first
    for key, ids in first.items():
        assert set(ids) <= set(frame[key]) and len(ids) == len(set(ids))


people = st.lists(
    st.fixed_dictionaries({"Area": st.sampled_from(["N", "S", "E"]), "Age band": st.sampled_from(["young", "old"])}),
    min_size=6,
    max_size=80,
)


@settings(max_examples=60)
@given(respondents=people, area=st.tuples(*[st.integers(1, 500)] * 3), age=st.tuples(*[st.integers(1, 500)] * 2))
def test_raking_matches_every_margin_when_it_settles(respondents, area, age):
    population = {
        "Area": dict(zip("NSE", area, strict=True)),
        "Age band": dict(zip(["young", "old"], age, strict=True)),
    }
    result = stats.rake(respondents, population, max_iterations=500)
    n = len(respondents)
    # Weights always add up to the respondents; when the margins cannot all be met (raking does not
    # settle) some may tend to 0, and the results page says so.
    assert abs(sum(result.weights) - n) < 1e-6 and all(w >= 0 for w in result.weights)
    if not result.converged or result.empty_categories:
        return
    for variable, counts in population.items():
        total = sum(counts.values())
        for category, count in counts.items():
            got = sum(w for r, w in zip(respondents, result.weights, strict=True) if r[variable] == category)
            assert abs(got - n * count / total) < 1e-5


def test_cell_weighting_by_hand_and_the_effective_sample():
    respondents = [{"Area": "N"}] * 30 + [{"Area": "S"}] * 10
    result = stats.rake(respondents, {"Area": {"N": 60, "S": 40}})
    assert result.converged and round(result.weights[0], 9) == 0.8 and round(result.weights[-1], 9) == 1.6
    assert round(stats.effective_sample_size(result.weights), 4) == round(1600 / 44.8, 4)
    empty = stats.rake([{"Area": "N"}] * 3, {"Area": {"N": 5, "S": 5}})
    assert empty.empty_categories == {"Area": ["S"]} and empty.weights == [1.0, 1.0, 1.0]


def test_age_bands_on_the_day():
    on = datetime.date(2026, 3, 31)
    assert age_band(datetime.date(1991, 4, 1), on) == "Under 35"  # 34 the day before their birthday
    assert age_band(datetime.date(1991, 3, 31), on) == "35 to 54"
    assert age_band(datetime.date(1961, 3, 31), on) == "65 and over"
    assert age_band(None, on) == stats.NOT_KNOWN
