"""Reads for the tsm app. The regulator's dataset is public reference data (no organisation); an
organisation's TsmProfile is scoped to the user's organisation.

Peer benchmarking ranks landlords best first, by each measure's direction (higher satisfaction is
better; fewer non-decent homes, ASB cases or complaints per 1,000 homes is better). Landlords with
the same value share a rank ("1, 2, 2, 4"). The quartile is the quarter of the ranking the rank
falls in (1 is the best quarter). Values not published ([X], [S], …) or with no base are left out
of ranks, medians and counts, and shown as what they are."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import Http404

from core.permissions import scope
from tsm.measures import MEASURES, Measure, Tenure, get, round_half_up
from tsm.models import TsmDataset, TsmLandlord, TsmProfile, TsmResult, TsmSurvey, describe_code

PEER_GROUPS = (
    ("all", "All landlords"),
    ("size", "Same size band"),
    ("region", "Same region"),
    ("type", "Same type"),
)
QUARTILES = {1: "Top quarter", 2: "Second quarter", 3: "Third quarter", 4: "Bottom quarter"}
# Landlords that report LCHO or combined figures are few; a missing one of these that was only
# left blank or not required means the landlord does not report that tenure, so it is not shown.
NOT_REPORTED = {"[X]", "[Z]"}


def dataset_latest() -> TsmDataset | None:
    return TsmDataset.objects.order_by("-reporting_year").first()


def dataset_list() -> list[TsmDataset]:
    return list(TsmDataset.objects.select_related("imported_by").order_by("-reporting_year"))


def dataset_get(*, reporting_year: int) -> TsmDataset:
    found = TsmDataset.objects.filter(reporting_year=reporting_year).first()
    if found is None:
        raise Http404
    return found


def profile_get(*, user: Any) -> TsmProfile | None:
    """The user's own organisation's profile (None when none is set)."""
    return scope(TsmProfile.objects.all(), user, "tsm.view").filter(organisation_id=user.organisation_id).first()


def landlord_choices(*, dataset: TsmDataset) -> list[tuple[str, str]]:
    return [(code, f"{name} ({code})") for code, name in dataset.landlords.order_by("name").values_list("code", "name")]


def landlord_for(*, dataset: TsmDataset | None, provider_code: str) -> TsmLandlord | None:
    if dataset is None or not provider_code:
        return None
    return dataset.landlords.filter(code=provider_code).first()


def surveys_for(*, landlord: TsmLandlord) -> list[TsmSurvey]:
    order = {t.value: i for i, t in enumerate(Tenure)}
    return sorted(landlord.surveys.all(), key=lambda s: order[s.tenure])


@dataclass(frozen=True)
class Standing:
    group: str
    label: str
    description: str  # "5,000-40,000 homes", "South", …
    count: int
    rank: int | None
    quartile: int | None
    median: Decimal | None

    @property
    def quartile_label(self) -> str:
        return QUARTILES.get(self.quartile or 0, "")


@dataclass
class BenchmarkRow:
    measure: Measure
    tenure: Tenure
    value: Decimal | None
    code: str
    numerator: Decimal | None
    denominator: Decimal | None
    standings: list[Standing] = field(default_factory=list)

    @property
    def shown(self) -> Decimal | None:
        return None if self.value is None else round_half_up(self.value, 1)

    @property
    def missing(self) -> str:
        return "" if self.value is not None else f"Not published: {self.code or 'no value'} {describe_code(self.code)}"

    def standing(self, group: str) -> Standing:
        return next(s for s in self.standings if s.group == group)


@dataclass(frozen=True)
class Peer:
    code: str
    name: str
    value: Decimal
    rank: int


def _rank(value: Decimal, values: list[Decimal], higher_is_better: bool) -> int:
    better = sum(1 for v in values if (v > value if higher_is_better else v < value))
    return better + 1


def _quartile(rank: int, count: int) -> int:
    return min(4, max(1, math.ceil(4 * rank / count)))


def standing(
    *, value: Decimal | None, values: list[Decimal], measure: Measure, group: str, label: str, description: str
) -> Standing:
    """Where `value` stands among `values` (which include it when it is published)."""
    median = statistics.median(values) if values else None
    if value is None or not values:
        return Standing(group, label, description, len(values), None, None, median)
    rank = _rank(value, values, measure.higher_is_better)
    return Standing(group, label, description, len(values), rank, _quartile(rank, len(values)), median)


_Row = tuple[str, str, str, str, str, str, Decimal | None, str, Decimal | None, Decimal | None]


def _rows(dataset: TsmDataset, measure: str | None = None) -> list[_Row]:
    results = TsmResult.objects.filter(landlord__dataset=dataset)
    if measure is not None:
        results = results.filter(measure=measure)
    return list(
        results.values_list(
            "landlord__code",
            "landlord__size_band",
            "landlord__region",
            "landlord__landlord_type",
            "measure",
            "tenure",
            "value",
            "value_code",
            "numerator",
            "denominator",
        )
    )


def _group_key(group: str, size: str, region: str, kind: str) -> str:
    return {"all": "", "size": size, "region": region, "type": kind}[group]


def _describe(group: str, landlord: TsmLandlord) -> str:
    if group == "size":
        return f"{landlord.size_band} homes" if landlord.size_band else "size not known"
    if group == "region":
        return landlord.region or "region not known"
    if group == "type":
        return landlord.type_label
    return "every landlord in the dataset"


def benchmark(
    *, dataset: TsmDataset, landlord: TsmLandlord, measures: Iterable[Measure] = MEASURES
) -> list[BenchmarkRow]:
    """Every measure (and tenure) this landlord reports, with its standing in each peer group."""
    rows = _rows(dataset)
    # (measure, tenure, group, key) → published values
    pools: dict[tuple[str, str, str, str], list[Decimal]] = defaultdict(list)
    own: dict[tuple[str, str], _Row] = {}
    for raw in rows:
        code, size, region, kind, mcode, tcode, published = raw[:7]
        if code == landlord.code:
            own[(mcode, tcode)] = raw
        if published is None:
            continue
        for group, _ in PEER_GROUPS:
            pools[(mcode, tcode, group, _group_key(group, size, region, kind))].append(published)
    keys = {g: _group_key(g, landlord.size_band, landlord.region, landlord.landlord_type) for g, _ in PEER_GROUPS}
    out = []
    for measure in measures:
        for tenure in measure.tenures:
            mine = own.get((measure.code, tenure.value))
            if mine is None:
                continue
            value, code = mine[6], mine[7]
            if tenure in (Tenure.LCHO, Tenure.COMBINED) and value is None and code in NOT_REPORTED:
                continue
            row = BenchmarkRow(measure, tenure, value, code, mine[8], mine[9])
            for group, label in PEER_GROUPS:
                values = pools.get((measure.code, tenure.value, group, keys[group]), [])
                row.standings.append(
                    standing(
                        value=value,
                        values=values,
                        measure=measure,
                        group=group,
                        label=label,
                        description=_describe(group, landlord),
                    )
                )
            out.append(row)
    return out


def peers(*, dataset: TsmDataset, landlord: TsmLandlord, measure: str, tenure: Tenure, group: str) -> list[Peer]:
    """The landlords compared in one peer group for one measure, best first, with their ranks."""
    m = get(measure)
    if group not in dict(PEER_GROUPS):
        raise Http404
    key = _group_key(group, landlord.size_band, landlord.region, landlord.landlord_type)
    rows = TsmResult.objects.filter(
        landlord__dataset=dataset, measure=m.code, tenure=tenure.value, value__isnull=False
    ).values_list(
        "landlord__code",
        "landlord__name",
        "landlord__size_band",
        "landlord__region",
        "landlord__landlord_type",
        "value",
    )
    chosen = [(c, n, v) for c, n, s, r, k, v in rows if v is not None and _group_key(group, s, r, k) == key]
    values: list[Decimal] = [v for _, _, v in chosen if v is not None]
    ranked = [Peer(c, n, v, _rank(v, values, m.higher_is_better)) for c, n, v in chosen if v is not None]
    return sorted(ranked, key=lambda p: (p.rank, p.name))


def compared(*, lines: Iterable[Any], dataset: TsmDataset | None) -> list[tuple[Any, Standing | None]]:
    """Each of our own return's lines with where its value would stand among every landlord in the
    published dataset for the same measure and stock type (rank, quarter, median), counting ours in.
    None for a line without a value or a measure the dataset has no values for. One query."""
    lines = list(lines)
    if dataset is None:
        return [(line, None) for line in lines]
    codes = {line.code for line in lines if line.value is not None}
    pools: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    for measure, tenure, value in TsmResult.objects.filter(
        landlord__dataset=dataset, measure__in=codes, value__isnull=False
    ).values_list("measure", "tenure", "value"):
        if value is not None:
            pools[(measure, tenure)].append(value)
    out: list[tuple[Any, Standing | None]] = []
    for line in lines:
        values = pools.get((line.code, line.stock.value), [])
        if line.value is None or not values:
            out.append((line, None))
            continue
        out.append(
            (
                line,
                standing(
                    value=line.value,
                    values=[*values, line.value],
                    measure=line.measure,
                    group="all",
                    label="All landlords",
                    description=f"every landlord in the {dataset.period} dataset",
                ),
            )
        )
    return out
