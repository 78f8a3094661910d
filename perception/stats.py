"""The statistics of the TSM perception survey, as plain functions (no database).

- `allocate`: how many to draw from each stratum, in proportion to its size (largest remainder,
  so the parts add up to exactly the total asked for).
- `stratified_sample`: a stratified simple random sample, reproducible from its seed: the same
  frame and seed always give the same residents, so the draw can be checked afterwards.
- `rake`: weights by iterative proportional fitting (raking) so the respondents match the
  population on each declared characteristic at once; with one characteristic it is cell weighting.
- `effective_sample_size`: Kish's (Σw)² / Σw², how many unweighted responses the weighted ones are
  worth.

The regulator's sample-size and margin-of-error formulas live in `tsm.measures` (one place, also
used to check the published dataset); this module does not repeat them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from people.ages import NOT_KNOWN


def allocate(sizes: Mapping[str, int], total: int) -> dict[str, int]:
    """Split `total` across strata in proportion to their sizes. Each stratum gets the whole part
    of its share; the remainder goes to the largest fractions (ties by stratum name), never more
    than a stratum holds. A total at or above the frame takes everyone (a census)."""
    frame = sum(sizes.values())
    if total >= frame:
        return dict(sizes)
    if total <= 0 or frame == 0:
        return dict.fromkeys(sizes, 0)
    shares = {k: total * n / frame for k, n in sizes.items()}
    out = {k: min(int(share), sizes[k]) for k, share in shares.items()}
    left = total - sum(out.values())
    for k in sorted(sizes, key=lambda k: (-(shares[k] - int(shares[k])), k)):
        if left == 0:
            break
        if out[k] < sizes[k]:
            out[k] += 1
            left -= 1
    return out


def stratified_sample(frame: Mapping[str, Sequence[int]], total: int, seed: int) -> dict[str, list[int]]:
    """Draw `total` ids, allocated across strata in proportion to size. Strata are taken in name
    order and each one's ids in ascending order, so only the seed decides who is chosen."""
    allocation = allocate({k: len(v) for k, v in frame.items()}, total)
    rng = random.Random(seed)
    drawn: dict[str, list[int]] = {}
    for key in sorted(frame):
        ids = sorted(frame[key])
        drawn[key] = sorted(rng.sample(ids, allocation[key])) if allocation[key] < len(ids) else ids
    return drawn


@dataclass(frozen=True)
class Weighting:
    weights: list[float]
    iterations: int
    converged: bool
    # Characteristic → categories found among respondents that the population does not have,
    # or population categories nobody in them answered from (those cannot be weighted up).
    empty_categories: dict[str, list[str]]

    @property
    def smallest(self) -> float:
        return min(self.weights) if self.weights else 0.0

    @property
    def largest(self) -> float:
        return max(self.weights) if self.weights else 0.0


def rake(
    respondents: Sequence[Mapping[str, str]],
    population: Mapping[str, Mapping[str, int]],
    *,
    max_iterations: int = 100,
    tolerance: float = 1e-9,
) -> Weighting:
    """Weights for each respondent so that, for every characteristic in `population`, the
    weighted share of each category matches the population's share. Weights are scaled to
    average 1 (they add up to the number of respondents), so weighted counts read like counts.

    A population category with no respondents cannot be matched: it is left out of the targets
    (the others are matched in proportion among themselves) and reported in `empty_categories`."""
    n = len(respondents)
    if n == 0:
        return Weighting([], 0, True, {})
    weights = [1.0] * n
    targets: dict[str, dict[str, float]] = {}
    empty: dict[str, list[str]] = {}
    for variable, counts in population.items():
        seen = {r.get(variable, NOT_KNOWN) for r in respondents}
        usable = {c: v for c, v in counts.items() if c in seen and v > 0}
        missing = sorted(c for c, v in counts.items() if v > 0 and c not in seen)
        strangers = sorted(seen - set(usable))
        if missing or strangers:
            empty[variable] = missing + strangers
        total = sum(usable.values())
        targets[variable] = {c: n * v / total for c, v in usable.items()} if total else {}
    iterations, converged = 0, False
    for iterations in range(1, max_iterations + 1):  # noqa: B007  (the count is reported)
        worst = 0.0
        for variable, target in targets.items():
            if not target:
                continue
            sums: dict[str, float] = defaultdict(float)
            for r, w in zip(respondents, weights, strict=True):
                sums[r.get(variable, NOT_KNOWN)] += w
            for i, r in enumerate(respondents):
                category = r.get(variable, NOT_KNOWN)
                if category in target and sums[category] > 0:
                    factor = target[category] / sums[category]
                    weights[i] *= factor
                    worst = max(worst, abs(factor - 1))
        if worst < tolerance:
            converged = True
            break
    scale = n / sum(weights)
    return Weighting([w * scale for w in weights], iterations, converged, empty)


def effective_sample_size(weights: Sequence[float]) -> float:
    total = sum(weights)
    squares = sum(w * w for w in weights)
    return total * total / squares if squares else 0.0
