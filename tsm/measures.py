"""The 22 Tenant Satisfaction Measures and their formulas, as the Regulator of Social Housing
defines them (reporting year 1 April to 31 March). Pure functions on `Decimal`: no database, so
the landlord's own TSM return, the surveys work and the peer benchmarks all use the same rules.

- Perception (TP01-TP12): (very + fairly satisfied) / everyone who answered on the five-point
  scale; "not applicable / don't know" is left out of the base. Published to one decimal place.
- Management information: a numerator over a denominator, as a percentage (RP01, RP02, BS01-05,
  CH02) or per 1,000 homes (NM01, CH01).
- Survey accuracy: the regulator's minimum sample size and achieved margin of error (p = 0.5,
  95% confidence, no weighting).

Values are exact (`Decimal` at 28 significant digits) until `round_half_up`; a value whose
denominator is zero is undefined (`None`), never 0.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, localcontext

HUNDRED = Decimal(100)
THOUSAND = Decimal(1000)
Z_95 = Decimal("1.96")
P_Q = Decimal("0.25")  # p(1 - p) with p = 0.5


class Tenure(enum.StrEnum):
    """Whose figure it is. Perception and complaints are reported separately for low-cost rental
    (LCRA) and low-cost home ownership (LCHO); a few landlords report them combined; the other
    management information covers all homes."""

    LCRA = "lcra"
    LCHO = "lcho"
    COMBINED = "combined"
    ALL = "all"

    @property
    def label(self) -> str:
        return TENURE_LABELS[self]


TENURE_LABELS = {
    Tenure.LCRA: "Low-cost rental (LCRA)",
    Tenure.LCHO: "Low-cost home ownership (LCHO)",
    Tenure.COMBINED: "Rental and home ownership combined",
    Tenure.ALL: "All homes",
}


class Kind(enum.StrEnum):
    PERCEPTION = "perception"
    PERCENTAGE = "percentage"
    PER_THOUSAND = "per_thousand"


class Answer(enum.StrEnum):
    """The five-point scale every perception question is answered on, and 'not applicable'."""

    VERY_SATISFIED = "very_satisfied"
    FAIRLY_SATISFIED = "fairly_satisfied"
    NEITHER = "neither"
    FAIRLY_DISSATISFIED = "fairly_dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied"
    NOT_APPLICABLE = "not_applicable"


SCALE = (
    Answer.VERY_SATISFIED,
    Answer.FAIRLY_SATISFIED,
    Answer.NEITHER,
    Answer.FAIRLY_DISSATISFIED,
    Answer.VERY_DISSATISFIED,
)
SATISFIED = (Answer.VERY_SATISFIED, Answer.FAIRLY_SATISFIED)
SATISFACTION_SCALE = (
    "Very satisfied",
    "Fairly satisfied",
    "Neither satisfied nor dissatisfied",
    "Fairly dissatisfied",
    "Very dissatisfied",
)
# The regulator's guidance words TP08 as agreement; its dataset calls every measure satisfaction.
AGREEMENT_SCALE = ("Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree")


@dataclass(frozen=True)
class Measure:
    code: str  # "TP01", "RP02_1": the part after the underscore is the regulator's "(1)" or "(2)"
    title: str
    kind: Kind
    higher_is_better: bool
    tenures: tuple[Tenure, ...]
    numerator: str = ""
    denominator: str = ""
    question: str = ""
    scale: tuple[str, ...] = SATISFACTION_SCALE
    not_applicable_offered: bool = True  # TP01-TP04 offer no "not applicable / don't know"

    @property
    def label(self) -> str:
        """The regulator's way of writing the code: "RP02 (1)"."""
        base, _, part = self.code.partition("_")
        return f"{base} ({part})" if part else base

    @property
    def multiplier(self) -> Decimal:
        return THOUSAND if self.kind == Kind.PER_THOUSAND else HUNDRED

    @property
    def unit(self) -> str:
        return "per 1,000 homes" if self.kind == Kind.PER_THOUSAND else "%"

    @property
    def better(self) -> str:
        return "Higher is better" if self.higher_is_better else "Lower is better"


_SURVEY = (Tenure.LCRA, Tenure.LCHO, Tenure.COMBINED)
_RENTAL_SURVEY = (Tenure.LCRA, Tenure.COMBINED)  # TP02-TP04 are not asked of shared owners
_ALL = (Tenure.ALL,)


def _tp(code: str, title: str, question: str, *, tenures: tuple[Tenure, ...] = _SURVEY, **kw: object) -> Measure:
    return Measure(
        code=code,
        title=title,
        kind=Kind.PERCEPTION,
        higher_is_better=True,
        tenures=tenures,
        numerator="Respondents very or fairly satisfied",
        denominator="Respondents who answered on the five-point scale",
        question=question,
        **kw,  # type: ignore[arg-type]
    )


MEASURES: tuple[Measure, ...] = (
    _tp(
        "TP01",
        "Overall satisfaction",
        "Taking everything into account, how satisfied or dissatisfied are you with the service provided by "
        "[your landlord]?",
        not_applicable_offered=False,
    ),
    _tp(
        "TP02",
        "Satisfaction with repairs",
        "How satisfied or dissatisfied are you with the overall repairs service from [your landlord] over the "
        "last 12 months?",
        tenures=_RENTAL_SURVEY,
        not_applicable_offered=False,
    ),
    _tp(
        "TP03",
        "Satisfaction with time taken to complete most recent repair",
        "How satisfied or dissatisfied are you with the time taken to complete your most recent repair after you "
        "reported it?",
        tenures=_RENTAL_SURVEY,
        not_applicable_offered=False,
    ),
    _tp(
        "TP04",
        "Satisfaction that the home is well maintained",
        "How satisfied or dissatisfied are you that [your landlord] provides a home that is well maintained?",
        tenures=_RENTAL_SURVEY,
        not_applicable_offered=False,
    ),
    _tp(
        "TP05",
        "Satisfaction that the home is safe",
        "Thinking about the condition of the property or building you live in, how satisfied or dissatisfied "
        "are you that [your landlord] provides a home that is safe?",
    ),
    _tp(
        "TP06",
        "Satisfaction that the landlord listens to tenant views and acts upon them",
        "How satisfied or dissatisfied are you that [your landlord] listens to your views and acts upon them?",
    ),
    _tp(
        "TP07",
        "Satisfaction that the landlord keeps tenants informed about things that matter to them",
        "How satisfied or dissatisfied are you that [your landlord] keeps you informed about things that matter "
        "to you?",
    ),
    _tp(
        "TP08",
        "Agreement that the landlord treats tenants fairly and with respect",
        "To what extent do you agree or disagree with the following: '[your landlord] treats me fairly and with "
        "respect'?",
        scale=AGREEMENT_SCALE,
    ),
    _tp(
        "TP09",
        "Satisfaction with the landlord's approach to handling complaints",
        "How satisfied or dissatisfied are you with [your landlord]'s approach to complaints handling?",
    ),
    _tp(
        "TP10",
        "Satisfaction that the landlord keeps communal areas clean and well maintained",
        "How satisfied or dissatisfied are you that [your landlord] keeps these communal areas clean and well "
        "maintained?",
    ),
    _tp(
        "TP11",
        "Satisfaction that the landlord makes a positive contribution to neighbourhoods",
        "How satisfied or dissatisfied are you that [your landlord] makes a positive contribution to your "
        "neighbourhood?",
    ),
    _tp(
        "TP12",
        "Satisfaction with the landlord's approach to handling anti-social behaviour",
        "How satisfied or dissatisfied are you with [your landlord]'s approach to handling anti-social behaviour?",
    ),
    Measure(
        "RP01",
        "Homes that do not meet the Decent Homes Standard",
        Kind.PERCENTAGE,
        False,
        _ALL,
        "Homes owned to which the Decent Homes Standard applied that failed it at year end",
        "Homes owned to which the Decent Homes Standard applied at year end",
    ),
    Measure(
        "RP02_1",
        "Non-emergency responsive repairs completed within the landlord's target timescale",
        Kind.PERCENTAGE,
        True,
        _ALL,
        "Non-emergency responsive repairs completed within the landlord's target timescale in the year",
        "Non-emergency responsive repairs completed in the year",
    ),
    Measure(
        "RP02_2",
        "Emergency responsive repairs completed within the landlord's target timescale",
        Kind.PERCENTAGE,
        True,
        _ALL,
        "Emergency responsive repairs completed within the landlord's target timescale in the year",
        "Emergency responsive repairs completed in the year",
    ),
    Measure(
        "BS01",
        "Gas safety checks",
        Kind.PERCENTAGE,
        True,
        _ALL,
        "Homes for which all required gas safety checks were carried out at year end",
        "Homes for which gas safety checks were required at year end",
    ),
    Measure(
        "BS02",
        "Fire safety checks",
        Kind.PERCENTAGE,
        True,
        _ALL,
        "Homes in buildings needing a fire risk assessment for which all required assessments were carried out",
        "Homes in buildings for which a fire risk assessment was required",
    ),
    Measure(
        "BS03",
        "Asbestos safety checks",
        Kind.PERCENTAGE,
        True,
        _ALL,
        "Homes for which all required asbestos management surveys or re-inspections were carried out",
        "Homes for which an asbestos management survey or re-inspection was required",
    ),
    Measure(
        "BS04",
        "Water safety checks",
        Kind.PERCENTAGE,
        True,
        _ALL,
        "Homes for which all required legionella risk assessments were carried out",
        "Homes for which a legionella risk assessment was required",
    ),
    Measure(
        "BS05",
        "Lift safety checks",
        Kind.PERCENTAGE,
        True,
        _ALL,
        "Homes in buildings with communal passenger lifts for which all required lift safety checks were carried out",
        "Homes in buildings with communal passenger lifts",
    ),
    Measure(
        "NM01_1",
        "Anti-social behaviour cases opened per 1,000 homes",
        Kind.PER_THOUSAND,
        False,
        _ALL,
        "Anti-social behaviour cases opened in the year (including those involving hate incidents)",
        "Homes owned (LCRA and LCHO) at year end",
    ),
    Measure(
        "NM01_2",
        "Anti-social behaviour cases involving hate incidents opened per 1,000 homes",
        Kind.PER_THOUSAND,
        False,
        _ALL,
        "Anti-social behaviour cases involving hate incidents opened in the year",
        "Homes owned (LCRA and LCHO) at year end",
    ),
    Measure(
        "CH01_1",
        "Stage 1 complaints received per 1,000 homes",
        Kind.PER_THOUSAND,
        False,
        _SURVEY,
        "Stage 1 complaints made by tenants of the stock type in the year",
        "Homes owned of the stock type at year end",
    ),
    Measure(
        "CH01_2",
        "Stage 2 complaints received per 1,000 homes",
        Kind.PER_THOUSAND,
        False,
        _SURVEY,
        "Stage 2 complaints made by tenants of the stock type in the year",
        "Homes owned of the stock type at year end",
    ),
    Measure(
        "CH02_1",
        "Stage 1 complaints responded to within the Complaint Handling Code timescales",
        Kind.PERCENTAGE,
        True,
        _SURVEY,
        "Stage 1 complaints responded to within the Code's timescales",
        "Stage 1 complaints responded to in the year",
    ),
    Measure(
        "CH02_2",
        "Stage 2 complaints responded to within the Complaint Handling Code timescales",
        Kind.PERCENTAGE,
        True,
        _SURVEY,
        "Stage 2 complaints responded to within the Code's timescales",
        "Stage 2 complaints responded to in the year",
    ),
)
BY_CODE: dict[str, Measure] = {m.code: m for m in MEASURES}
PERCEPTION = tuple(m for m in MEASURES if m.kind == Kind.PERCEPTION)
MANAGEMENT_INFORMATION = tuple(m for m in MEASURES if m.kind != Kind.PERCEPTION)
# The regulator's 22 measures: RP02, NM01, CH01 and CH02 each have two parts.
MEASURE_COUNT = len({m.code.partition("_")[0] for m in MEASURES})


def get(code: str) -> Measure:
    try:
        return BY_CODE[code]
    except KeyError:
        raise LookupError(f"{code!r} is not a Tenant Satisfaction Measure") from None


@dataclass(frozen=True)
class Result:
    """A measure's numerator, denominator and exact value (None when the denominator is zero)."""

    numerator: Decimal
    denominator: Decimal
    value: Decimal | None

    def rounded(self, places: int = 1) -> Decimal | None:
        return None if self.value is None else round_half_up(self.value, places)


Number = int | Decimal


def round_half_up(value: Decimal, places: int = 1) -> Decimal:
    """Round as people do (and the regulator does): 12.25 -> 12.3, -0.05 -> -0.1.
    Python's round() rounds halves to even, which would give 12.2."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _ratio(numerator: Number, denominator: Number, multiplier: Decimal) -> Result:
    n, d = Decimal(numerator), Decimal(denominator)
    if n < 0 or d < 0:
        raise ValueError("A numerator or denominator cannot be negative")
    with localcontext() as ctx:
        ctx.prec = 28
        value = None if d == 0 else n * multiplier / d
    return Result(numerator=n, denominator=d, value=value)


def percentage(numerator: Number, denominator: Number) -> Result:
    """RP01, RP02, BS01-BS05, CH02: numerator / denominator × 100."""
    return _ratio(numerator, denominator, HUNDRED)


def per_thousand(numerator: Number, denominator: Number) -> Result:
    """NM01 and CH01: numerator / homes × 1,000."""
    return _ratio(numerator, denominator, THOUSAND)


def calculate(measure: Measure | str, numerator: Number, denominator: Number) -> Result:
    """Any measure from its numerator and denominator (for perception: satisfied / answered)."""
    m = get(measure) if isinstance(measure, str) else measure
    return _ratio(numerator, denominator, m.multiplier)


def satisfaction(counts: Mapping[Answer | str, Number | None]) -> Result:
    """TP01-TP12 from the count of each answer. Counts may be weighted (fractions). 'Not applicable
    / don't know' is not part of the base; a missing count on the scale is an error, not a zero."""
    missing = [a.value for a in SCALE if counts.get(a) is None and counts.get(a.value) is None]
    if missing:
        raise ValueError(f"Counts are missing for: {', '.join(missing)}")

    def count(answer: Answer) -> Decimal:
        value = counts.get(answer)
        if value is None:
            value = counts.get(answer.value)
        return Decimal(value)  # type: ignore[arg-type]

    satisfied = sum((count(a) for a in SATISFIED), Decimal(0))
    answered = sum((count(a) for a in SCALE), Decimal(0))
    return percentage(satisfied, answered)


# Survey accuracy ---------------------------------------------------------------------------


def required_margin_of_error(population: int) -> Decimal:
    """The margin of error the regulator requires, by the size of the relevant tenant population."""
    if population < 2500:
        return Decimal("0.05")
    if population < 10000:
        return Decimal("0.04")
    if population < 25000:
        return Decimal("0.03")
    return Decimal("0.02")


def minimum_sample_size(population: int) -> Decimal:
    """n = n0 / (1 + n0 / N), n0 = 1.96² × 0.25 / e²: exact, not yet rounded."""
    if population <= 0:
        raise ValueError("The tenant population must be at least 1")
    e = required_margin_of_error(population)
    with localcontext() as ctx:
        ctx.prec = 28
        n0 = Z_95 * Z_95 * P_Q / (e * e)
        return n0 / (1 + n0 / Decimal(population))


def minimum_sample_size_published(population: int) -> int:
    """As the 2024 dataset publishes it: rounded up to a whole respondent."""
    return int(minimum_sample_size(population).to_integral_value(rounding=ROUND_CEILING))


def margin_of_error(population: int, achieved: int) -> Decimal | None:
    """The achieved margin of error, as a percentage: 1.96 × √(0.25 / n × (N − n) / (N − 1)) × 100.
    None when it is undefined (no responses, or a population of one)."""
    if achieved <= 0 or population <= 1:
        return None
    n, big_n = Decimal(achieved), Decimal(population)
    with localcontext() as ctx:
        ctx.prec = 28
        # More responses than tenants (a data-entry slip) would make the root negative.
        inner = max(P_Q / n * (big_n - n) / (big_n - 1), Decimal(0))
        return Z_95 * inner.sqrt() * HUNDRED


def margin_of_error_published(population: int, achieved: int) -> Decimal | None:
    """As the 2024 dataset publishes it: a percentage to one decimal place."""
    value = margin_of_error(population, achieved)
    return None if value is None else round_half_up(value, 1)


def meets_minimum_sample(population: int, achieved: int) -> bool:
    return achieved >= minimum_sample_size_published(population)


def dataset_2024_value(measure: Measure | str, tenure: Tenure, value: Decimal) -> Decimal:
    """A measure's value as the regulator's 2024 dataset publishes it: unrounded, except the
    complaints measures (CH01, CH02) of LCHO and combined stock, which it rounds to whole numbers
    (half up: 21 of 24 in time is published as 88)."""
    m = get(measure) if isinstance(measure, str) else measure
    if m.code.startswith("CH") and tenure in (Tenure.LCHO, Tenure.COMBINED):
        return round_half_up(value, 0)
    return value
