"""Reads for the TSM perception survey: the design figures, the results as the regulator computes
them (weighted and unweighted, each with its margin of error), and the published record.

A measure is (very + fairly satisfied) / (everyone who answered on the five-point scale); 'not
applicable / don't know' is left out of the base. The formula, the minimum sample and the margin
of error all come from `tsm.measures`, the one place that also reproduces the regulator's
published dataset. Answers are matched to the five-point scale by position in the question's
options (the wording differs: TP08 is asked as agreement), never by their words.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from core.permissions import scope
from people.ages import age_band
from perception import stats
from perception.models import Exclusion, PerceptionSurvey, Population
from perception.services import PERCEPTION, population_queryset
from surveys.models import Answer, Question, Response
from tsm.measures import (
    SCALE,
    Tenure,
    margin_of_error,
    margin_of_error_published,
    minimum_sample_size_published,
    round_half_up,
    satisfaction,
)
from tsm.measures import (
    Answer as Scale,
)

ANSWERS = (*SCALE, Scale.NOT_APPLICABLE)


def perception_list(*, user: Any) -> QuerySet[PerceptionSurvey]:
    return scope(PerceptionSurvey.objects.all(), user, "survey.view").prefetch_related("populations__survey")


def perception_get(*, user: Any, pk: int, action: str = "survey.view") -> PerceptionSurvey:
    found = scope(PerceptionSurvey.objects.all(), user, action).select_related("organisation").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def exclusions(*, perception: PerceptionSurvey) -> QuerySet[Exclusion]:
    return perception.exclusions.select_related("resident", "recorded_by").order_by("-recorded_at", "-pk")


def exclusion_reasons(*, perception: PerceptionSurvey) -> list[tuple[str, int]]:
    labels = dict(Exclusion.Reason.choices)
    counts = Counter(perception.exclusions.values_list("reason", flat=True))
    return [(labels[r], n) for r, n in counts.most_common()]


@dataclass(frozen=True)
class Design:
    """Before the draw: how many households, the minimum sample and how many to ask."""

    population: int
    excluded: int
    frame: int
    minimum_sample: int
    required_margin: Decimal  # percent
    to_ask: int


def design(*, population: Population, expected_response_rate: int | None = None) -> Design:
    from perception.services import draw_size
    from tsm.measures import required_margin_of_error

    everyone = population_queryset(organisation=population.perception_survey.organisation, stock=population.stock)
    total = everyone.count()
    excluded = everyone.filter(
        pk__in=Exclusion.objects.filter(perception_survey_id=population.perception_survey_id).values("resident_id")
    ).count()
    rate = expected_response_rate or population.expected_response_rate
    return Design(
        population=total,
        excluded=excluded,
        frame=total - excluded,
        minimum_sample=minimum_sample_size_published(total) if total else 0,
        required_margin=required_margin_of_error(total) * 100 if total else Decimal(0),
        to_ask=draw_size(population=total, frame=total - excluded, expected_response_rate=rate),
    )


# --- Results --------------------------------------------------------------------------------------


def _shown(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_half_up(value, 1)


@dataclass
class MeasureResult:
    code: str
    title: str
    question: str
    counts: dict[str, int]
    weighted_counts: dict[str, Decimal]
    margin: Decimal | None  # percent, at this measure's base (p = 0.5, as the regulator does)

    @property
    def base(self) -> int:
        return sum(self.counts.get(a.value, 0) for a in SCALE)

    @property
    def satisfied(self) -> int:
        return self.counts.get(Scale.VERY_SATISFIED, 0) + self.counts.get(Scale.FAIRLY_SATISFIED, 0)

    @property
    def not_applicable(self) -> int:
        return self.counts.get(Scale.NOT_APPLICABLE, 0)

    @property
    def value(self) -> Decimal | None:
        return satisfaction({a: self.counts.get(a.value, 0) for a in SCALE}).value

    @property
    def weighted_value(self) -> Decimal | None:
        return satisfaction({a: self.weighted_counts.get(a.value, Decimal(0)) for a in SCALE}).value

    @property
    def weighted_satisfied(self) -> Decimal:
        return self.weighted_counts.get(Scale.VERY_SATISFIED, Decimal(0)) + self.weighted_counts.get(
            Scale.FAIRLY_SATISFIED, Decimal(0)
        )

    @property
    def weighted_base(self) -> Decimal:
        return sum((self.weighted_counts.get(a.value, Decimal(0)) for a in SCALE), Decimal(0))

    @property
    def shown(self) -> Decimal | None:
        return _shown(self.value)

    @property
    def weighted_shown(self) -> Decimal | None:
        return _shown(self.weighted_value)

    @property
    def margin_shown(self) -> Decimal | None:
        return _shown(self.margin)


@dataclass
class Cell:
    """One weighting category: its share of the population and of those who answered."""

    variable: str
    category: str
    population: int
    respondents: int
    weight: float | None

    @property
    def respondents_shown(self) -> str:
        return "fewer than 5" if 0 < self.respondents < 5 else f"{self.respondents:,}"


@dataclass
class PopulationResult:
    stock: str
    stock_label: str
    population: int
    frame: int | None
    drawn: int | None
    approach: str
    seed: int | None
    achieved: int
    by_method: list[tuple[str, int]]
    first_answer: datetime.date | None
    last_answer: datetime.date | None
    weighting: str
    weighting_label: str
    iterations: int = 0
    converged: bool = True
    smallest_weight: float = 1.0
    largest_weight: float = 1.0
    effective_sample: float = 0.0
    unweightable: dict[str, list[str]] = field(default_factory=dict)
    cells: list[Cell] = field(default_factory=list)
    measures: list[MeasureResult] = field(default_factory=list)

    @property
    def minimum_sample(self) -> int | None:
        return minimum_sample_size_published(self.population) if self.population else None

    @property
    def margin(self) -> Decimal | None:
        """The survey's margin of error, as the regulator publishes it (to one decimal place)."""
        return margin_of_error_published(self.population, self.achieved) if self.population else None

    @property
    def meets_minimum(self) -> bool:
        return self.minimum_sample is not None and self.achieved >= self.minimum_sample

    @property
    def weighted(self) -> bool:
        return self.weighting != PerceptionSurvey.Weighting.NONE

    def measure(self, code: str) -> MeasureResult | None:
        return next((m for m in self.measures if m.code == code), None)

    def as_json(self) -> dict[str, Any]:
        """The figures as published (numbers as strings where they are exact decimals)."""
        return {
            "stock": self.stock,
            "stock_label": self.stock_label,
            "population": self.population,
            "frame": self.frame,
            "drawn": self.drawn,
            "approach": self.approach,
            "seed": self.seed,
            "achieved": self.achieved,
            "minimum_sample": self.minimum_sample,
            "margin": str(self.margin) if self.margin is not None else None,
            "by_method": self.by_method,
            "first_answer": self.first_answer.isoformat() if self.first_answer else None,
            "last_answer": self.last_answer.isoformat() if self.last_answer else None,
            "weighting": self.weighting,
            "weighting_label": self.weighting_label,
            "effective_sample": round(self.effective_sample, 1),
            "measures": [
                {
                    "code": m.code,
                    "title": m.title,
                    "counts": m.counts,
                    "weighted_counts": {k: str(v) for k, v in m.weighted_counts.items()},
                    "base": m.base,
                    "value": str(m.value) if m.value is not None else None,
                    "weighted_value": str(m.weighted_value) if m.weighted_value is not None else None,
                    "margin": str(m.margin) if m.margin is not None else None,
                }
                for m in self.measures
            ],
        }


def _weighting_frame(population: Population, on: datetime.date) -> dict[str, dict[str, int]]:
    """The population's counts by each weighting characteristic, from the register."""
    from people.models import Area, EqualityProfile

    perception = population.perception_survey
    everyone = population_queryset(organisation=perception.organisation, stock=population.stock)
    names = dict(Area.objects.filter(organisation=perception.organisation).values_list("pk", "name"))
    targets: dict[str, dict[str, int]] = {}
    areas: Counter[str] = Counter()
    for stratum, n in everyone.values_list("stratum").annotate(n=Count("pk")).order_by():
        areas[names.get(stratum, stats.NOT_KNOWN)] += n
    targets["Area"] = dict(areas)
    if perception.weighting == PerceptionSurvey.Weighting.AREA_AGE:
        bands: Counter[str] = Counter()
        births = dict(EqualityProfile.objects.filter(resident__in=everyone.values("pk")).values_list(
            "resident_id", "date_of_birth"))  # fmt: skip
        for pk in everyone.values_list("pk", flat=True).iterator(chunk_size=5000):
            bands[age_band(births.get(pk), on)] += 1
        targets["Age band"] = dict(bands)
    return targets


def population_results(*, population: Population) -> PopulationResult:
    """The population's TP measures from the answers so far (or all of them, once closed)."""
    from people.models import Area, EqualityProfile

    perception = population.perception_survey
    survey = population.survey
    total = population.population
    if total is None:
        total = population_queryset(organisation=perception.organisation, stock=population.stock).count()
    responses = list(
        Response.objects.filter(survey=survey, submitted_at__isnull=False).values_list(
            "pk", "area_id", "resident_id", "method", "submitted_at"
        )
    )
    labels = dict(Response.Method.choices)
    methods = Counter(labels.get(m, m) for _, _, _, m, _ in responses)
    days = sorted(timezone.localtime(sent).date() for *_, sent in responses)
    result = PopulationResult(
        stock=population.stock,
        stock_label=Tenure(population.stock).label,
        population=total,
        frame=population.frame,
        drawn=population.drawn,
        approach=population.get_approach_display(),
        seed=population.seed,
        achieved=len(responses),
        by_method=methods.most_common(),
        first_answer=days[0] if days else None,
        last_answer=days[-1] if days else None,
        weighting=perception.weighting,
        weighting_label=perception.get_weighting_display(),
    )
    # Each respondent's weighting characteristics, then their weight.
    names = dict(Area.objects.filter(organisation=perception.organisation).values_list("pk", "name"))
    on = survey.closes_on or timezone.localdate()
    births = dict(
        EqualityProfile.objects.filter(resident_id__in=[r for _, _, r, _, _ in responses if r]).values_list(
            "resident_id", "date_of_birth"
        )
    )
    profile: dict[int, dict[str, str]] = {}
    for pk, area_id, resident_id, _, _ in responses:
        traits = {"Area": names.get(area_id, stats.NOT_KNOWN)}
        if perception.weighting == PerceptionSurvey.Weighting.AREA_AGE:
            traits["Age band"] = age_band(births.get(resident_id), on)
        profile[pk] = traits
    weights: dict[int, float] = dict.fromkeys(profile, 1.0)
    if result.weighted and profile:
        targets = _weighting_frame(population, on)
        order = list(profile)
        weighting = stats.rake([profile[pk] for pk in order], targets)
        weights = dict(zip(order, weighting.weights, strict=True))
        result.iterations, result.converged = weighting.iterations, weighting.converged
        result.smallest_weight, result.largest_weight = weighting.smallest, weighting.largest
        result.unweightable = weighting.empty_categories
        for variable, in_population in targets.items():
            answered = Counter(profile[pk][variable] for pk in order)
            for category in sorted(set(in_population) | set(answered)):
                in_it = [weights[pk] for pk in order if profile[pk][variable] == category]
                result.cells.append(
                    Cell(
                        variable,
                        category,
                        in_population.get(category, 0),
                        answered.get(category, 0),
                        in_it[0] if in_it else None,
                    )  # fmt: skip
                )
    result.effective_sample = stats.effective_sample_size(list(weights.values()))
    # The TP answers: position in the question's options gives the point on the scale.
    version_options = {
        q.pk: (q.code, q.options)
        for q in Question.objects.filter(version__survey=survey, code__in=[c.lower() for c in PERCEPTION])
    }
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    weighted: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for response_id, question_id, choice in Answer.objects.filter(
        survey=survey, question_id__in=list(version_options), response__submitted_at__isnull=False
    ).values_list("response_id", "question_id", "choice"):
        code, options = version_options[question_id]
        if choice not in options:
            continue
        answer = ANSWERS[min(options.index(choice), len(ANSWERS) - 1)].value
        counts[code][answer] += 1
        weighted[code][answer] += Decimal(repr(weights.get(response_id, 1.0)))
    tenure = Tenure(population.stock)
    for code, measure in PERCEPTION.items():
        if tenure not in measure.tenures:
            continue
        got: dict[str, int] = dict(counts.get(code.lower(), {}))
        m = MeasureResult(
            code=code,
            title=measure.title,
            question=measure.question.replace("[your landlord]", perception.organisation.name),
            counts={a.value: got.get(a.value, 0) for a in ANSWERS},
            weighted_counts={a.value: weighted[code.lower()].get(a.value, Decimal(0)) for a in ANSWERS},
            margin=None,
        )
        m.margin = margin_of_error(total, m.base) if total else None
        result.measures.append(m)
    return result


def perception_results(*, perception: PerceptionSurvey) -> list[PopulationResult]:
    populations = list(perception.populations.select_related("survey"))
    for p in populations:
        p.perception_survey = perception  # one survey, not one query each
    return [population_results(population=p) for p in populations]


def published_for(*, organisation: Any) -> QuerySet[PerceptionSurvey]:
    return PerceptionSurvey.objects.filter(organisation=organisation, published_at__isnull=False)


@dataclass(frozen=True)
class ReturnFigure:
    """One TP measure for one stock type, for the TSM return."""

    code: str
    stock: str
    satisfied: Decimal
    base: Decimal
    source: str
    notes: tuple[str, ...]


def return_figures(*, organisation: Any, year_starting: int) -> tuple[list[ReturnFigure], str]:
    """The year's TP figures for the TSM return: the published ones if the results are published,
    otherwise the answers so far. Weighted counts where the survey is weighted. With no survey
    recorded for the year, no figures and the reason."""
    perception = PerceptionSurvey.objects.filter(organisation=organisation, year_starting=year_starting).first()
    if perception is None:
        return [], "No perception survey for this year is recorded in Involve."
    if perception.published_at is not None:
        populations = perception.published_results.get("populations", [])
        when = f"published {timezone.localtime(perception.published_at):%-d %B %Y}"
    else:
        populations = [r.as_json() for r in perception_results(perception=perception)]
        when = "not yet published: the answers so far"
    out = []
    for p in populations:
        weighted = p["weighting"] != PerceptionSurvey.Weighting.NONE
        source = f"{perception} ({when}): {p['achieved']:,} responses from {p['population']:,} households."
        for m in p["measures"]:
            key = "weighted_counts" if weighted else "counts"
            counts = {a: Decimal(str(m[key].get(a.value, 0))) for a in SCALE}
            notes = []
            if weighted:
                notes.append(f"{p['weighting_label']}; unweighted {_shown(_decimal(m['value']))}%.")
            if m["margin"] is not None:
                notes.append(f"Margin of error ±{_shown(Decimal(m['margin']))} percentage points.")
            out.append(
                ReturnFigure(
                    code=m["code"],
                    stock=p["stock"],
                    satisfied=counts[Scale.VERY_SATISFIED] + counts[Scale.FAIRLY_SATISFIED],
                    base=sum(counts.values(), Decimal(0)),
                    source=source,
                    notes=tuple(notes),
                )
            )
    return out, ""


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def published_view(*, perception: PerceptionSurvey) -> list[dict[str, Any]]:
    """The published figures, ready to show: each measure's reported value (weighted where the
    survey was weighted) and margin rounded half up to one decimal place, as the regulator does."""
    out = []
    for p in perception.published_results.get("populations", []):
        weighted = p["weighting"] != PerceptionSurvey.Weighting.NONE
        shown = dict(p)
        for key in ("first_answer", "last_answer"):
            shown[key] = datetime.date.fromisoformat(p[key]) if p.get(key) else None
        shown["measures"] = [
            {
                **m,
                "shown": _shown(_decimal(m["weighted_value"] if weighted else m["value"])),
                "margin_shown": _shown(_decimal(m["margin"])),
            }
            for m in p["measures"]
        ]
        out.append(shown)
    return out
