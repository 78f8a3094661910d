"""Age bands, one definition for every report that groups people by age (survey cross-tabs, the
TSM survey's weighting). Broad bands keep each group big enough to report and to weight.

Pure Python plus one query expression; no models."""

from __future__ import annotations

import datetime

from django.db.models import Case, CharField, Q, Value, When

NOT_KNOWN = "Not known"
AGE_BANDS = ((0, 34, "Under 35"), (35, 54, "35 to 54"), (55, 64, "55 to 64"), (65, 200, "65 and over"))


def age_on(date_of_birth: datetime.date, on: datetime.date) -> int:
    return on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))


def age_band(date_of_birth: datetime.date | None, on: datetime.date) -> str:
    """The band someone is in on a day; "Not known" without a date of birth (or a future one)."""
    if date_of_birth is None or date_of_birth > on:
        return NOT_KNOWN
    age = age_on(date_of_birth, on)
    return next(label for low, high, label in AGE_BANDS if low <= age <= high)


def _birthday_years_ago(on: datetime.date, years: int) -> datetime.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February in a year that has none
        return on.replace(year=on.year - years, day=28)


def age_band_expression(date_of_birth_field: str, on: datetime.date) -> Case:
    """The same bands as `age_band`, worked out in SQL, for a GROUP BY."""
    whens = []
    for low, high, label in AGE_BANDS:
        # Aged low..high on `on`: born after (on − (high+1) years) and on or before (on − low years).
        born_after = _birthday_years_ago(on, high + 1)
        born_by = _birthday_years_ago(on, low)
        whens.append(
            When(
                Q(**{f"{date_of_birth_field}__gt": born_after, f"{date_of_birth_field}__lte": born_by}),
                then=Value(label),
            )  # fmt: skip
        )
    return Case(*whens, default=Value(NOT_KNOWN), output_field=CharField())
