"""Reads for consultations and surveys: lists, how many have answered, and results.

Results are read from the survey's tally (`models.Tally`), kept up to date as answers are sent:
one `GROUP BY` over it gives every choice question's counts (by matrix row), another the same by
area or tenure for a cross-tab; only numbers' averages and free text read the answer rows. Questions are matched across versions by their code, so a
survey whose wording changed mid-way still reports each question once (the page says which
versions were answered). Cross-tab cells under 5 are suppressed (`core.privacy.suppress`).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, Max, Min, QuerySet, Sum
from django.http import Http404

from core.permissions import scope
from core.privacy import Cell, suppress_grid
from people.ages import AGE_BANDS
from surveys.models import Answer, Invitation, Question, Response, Survey, Tally


def survey_list(*, user: Any) -> QuerySet[Survey]:
    return (
        scope(Survey.objects.all(), user, "survey.view")
        .annotate(answered=Count("responses", distinct=True))
        .order_by("-created_at", "-pk")
    )


def survey_get(*, user: Any, pk: int, action: str = "survey.view") -> Survey:
    survey = (
        scope(Survey.objects.all(), user, action).select_related("organisation", "live_version").filter(pk=pk).first()
    )
    if survey is None:
        raise Http404
    return survey


@dataclass
class Progress:
    invited: int
    answered_invited: int
    responses: int
    by_method: list[tuple[str, int]]

    @property
    def rate(self) -> Decimal | None:
        if not self.invited:
            return None
        return (Decimal(100) * self.answered_invited / self.invited).quantize(Decimal("0.1"))


def progress(*, survey: Survey) -> Progress:
    """How many were invited and have answered, and the responses by how they were given."""
    invitations = Invitation.objects.filter(survey=survey)
    labels = dict(Response.Method.choices)
    methods = (
        Response.objects.filter(survey=survey, submitted_at__isnull=False)
        .values_list("method")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    by_method = [(labels.get(m, m), n) for m, n in methods]
    return Progress(
        invited=invitations.count(),
        answered_invited=invitations.filter(responded_at__isnull=False).count(),
        responses=sum(n for _, n in by_method),
        by_method=by_method,
    )


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    # Per matrix row ("" for other kinds): option -> count, in the question's order.
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    average: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    texts: list[Answer] = field(default_factory=list)
    # Cross-tab: column (area or tenure label) -> suppressed cells, per matrix row.
    cross: dict[str, dict[str, list[Cell]]] = field(default_factory=dict)
    cross_totals: dict[str, int | None] = field(default_factory=dict)

    def rows(self) -> list[tuple[str, list[tuple[str, int, Decimal | None]]]]:
        """Each matrix row (or the one row) with (option, count, percent of those who answered it)."""
        out = []
        for row in self.question.rows or [""]:
            counts = self.counts.get(row, {})
            total = sum(counts.values())
            out.append(
                (
                    row,
                    [
                        (
                            option,
                            counts.get(option, 0),
                            (Decimal(100) * counts.get(option, 0) / total).quantize(Decimal("0.1")) if total else None,
                        )
                        for option in self.question.options
                    ],
                )
            )
        return out


@dataclass
class Results:
    survey: Survey
    responses: int
    questions: list[QuestionResult]
    versions: list[int]
    by: str = ""  # the cross-tab's characteristic ("area", "tenure", "sex", "age", …)
    columns: list[str] = field(default_factory=list)


TEXTS_SHOWN = 50


def results(*, survey: Survey, by: str = "") -> Results:
    """Counts and percentages for every question of the live version (answers to earlier
    versions counted under the same question code); `by` = "area" or "tenure" adds a cross-tab.

    Choice counts and how many answered come from the survey's tally (a few thousand rows however
    many responses there are); only numbers' averages and the latest free-text answers read the
    answer rows, and only those questions' rows."""
    version = survey.live_version
    if version is None:
        return Results(survey=survey, responses=0, questions=[], versions=[])
    questions = list(version.questions.select_related("section"))
    by_code = {q.code: QuestionResult(question=q) for q in questions}
    tally = Tally.objects.filter(survey=survey)
    for code, row, choice, n in (
        tally.exclude(choice="").values_list("code", "matrix_row", "choice").annotate(n=Sum("n")).order_by()
    ):
        result = by_code.get(code)
        if result is not None:
            result.counts.setdefault(row, {})[choice] = n
    for code, n in tally.filter(choice="").values_list("code").annotate(n=Sum("n")).order_by():
        if code in by_code:
            by_code[code].answered = n
    kinds: dict[str, list[int]] = defaultdict(list)
    for pk, code, kind in Question.objects.filter(version__survey=survey).values_list("pk", "code", "kind"):
        if code in by_code and by_code[code].question.kind == kind:
            kinds[kind].append(pk)
    answers = Answer.objects.filter(survey=survey)
    if kinds[Question.Kind.NUMBER]:
        for code, avg, low, high in (
            answers.filter(question_id__in=kinds[Question.Kind.NUMBER], number__isnull=False)
            .values_list("question__code")
            .annotate(avg=Avg("number"), low=Min("number"), high=Max("number"))
            .order_by()
        ):
            result = by_code[code]
            result.average = Decimal(avg).quantize(Decimal("0.01")) if avg is not None else None
            result.low, result.high = low, high
    for question_id in kinds[Question.Kind.TEXT]:
        latest = (
            answers.filter(question_id=question_id)
            .exclude(text="")
            .select_related("question")
            .prefetch_related("themes")
            .order_by("-pk")[:TEXTS_SHOWN]
        )
        for answer in latest:
            result = by_code[answer.question.code]
            if len(result.texts) < TEXTS_SHOWN:
                result.texts.append(answer)
    columns: list[str] = []
    if by in BY or (by in EQUALITY_BY and not survey.anonymous):
        columns = _cross(survey, by, by_code)
    return Results(
        survey=survey,
        responses=Response.objects.filter(survey=survey, submitted_at__isnull=False).count(),
        questions=[by_code[q.code] for q in questions],
        versions=sorted(
            set(
                Response.objects.filter(survey=survey, submitted_at__isnull=False)
                .values_list("version__number", flat=True)
                .distinct()
            )
        ),
        by=by,
        columns=columns,
    )


# Cross-tabs by a characteristic of the person who answered. Area and tenure come from the tally;
# equality characteristics join each answer to the resident's equality profile (special-category
# data: only for roles with `equality.aggregate`, never for an anonymous survey, and always with
# small numbers suppressed).
BY = {"area": "Area", "tenure": "Tenure"}
EQUALITY_BY = {"sex": "Sex", "age": "Age band", "disability": "Disability", "ethnicity": "Ethnic group"}
ETHNIC_GROUPS = (
    ("asian_", "Asian or Asian British"),
    ("black_", "Black, Black British, Caribbean or African"),
    ("mixed_", "Mixed or multiple ethnic groups"),
    ("white_", "White"),
    ("other_", "Other ethnic group"),
)
PROFILE = "response__resident__equality_profile__"


def cross_options(*, survey: Survey, user: Any) -> dict[str, str]:
    """The characteristics this user may cross-tabulate this survey's results by."""
    from core.permissions import has_permission

    options = dict(BY)
    if not survey.anonymous and has_permission(user, "equality.aggregate"):
        options.update(EQUALITY_BY)
    return options


def _equality_counts(survey: Survey, by: str) -> tuple[list[tuple[str, str, str, str, int]], dict[str, str]]:
    from django.db.models import Case, CharField, F, Value, When
    from django.db.models.functions import Coalesce
    from django.utils import timezone

    from people.ages import NOT_KNOWN, age_band_expression
    from people.models import EqualityProfile

    labels: dict[str, str] = {"": NOT_KNOWN}
    key: Any
    if by == "age":
        key = age_band_expression(PROFILE + "date_of_birth", survey.closes_on or timezone.localdate())
    elif by == "ethnicity":
        key = Case(
            *[
                When(**{PROFILE + "ethnicity__startswith": prefix}, then=Value(label))
                for prefix, label in ETHNIC_GROUPS
            ],
            When(**{PROFILE + "ethnicity": EqualityProfile.Ethnicity.PREFER_NOT}, then=Value("Prefer not to say")),
            default=Value(NOT_KNOWN),
            output_field=CharField(),
        )
    else:
        field = EqualityProfile._meta.get_field(by)
        labels.update({str(k): str(v) for k, v in getattr(field, "choices", None) or []})
        key = Coalesce(F(PROFILE + by), Value(""), output_field=CharField())
    rows = list(
        Answer.objects.filter(survey=survey)
        .exclude(choice="")
        .annotate(key=key)
        .values_list("question__code", "row", "key", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return rows, labels


def _cross(survey: Survey, by: str, by_code: dict[str, QuestionResult]) -> list[str]:
    """Cross-tab of every choice question by a characteristic, small counts suppressed per column."""
    from people.models import Area, Tenure

    raw: dict[tuple[str, str, str], dict[str, int]] = defaultdict(dict)
    if by in EQUALITY_BY:
        rows, names = _equality_counts(survey, by)
    else:
        rows = list(
            Tally.objects.filter(survey=survey)
            .exclude(choice="")
            .values_list("code", "matrix_row", "area_key" if by == "area" else "tenure", "choice")
            .annotate(n=Sum("n"))
            .order_by()
        )
        if by == "area":
            names = {
                str(pk): name
                for pk, name in Area.objects.filter(organisation=survey.organisation).values_list("pk", "name")
            }
        else:
            names = {k: str(v) for k, v in Tenure.choices}
    for code, row, key, choice, n in rows:
        if code in by_code:
            cell = raw[(code, row, str(key or ""))]
            cell[choice] = cell.get(choice, 0) + n
    names.setdefault("", "Not known")
    names.setdefault("0", "Not known")
    order = [label for _, _, label in AGE_BANDS] if by == "age" else []

    def place(key: str) -> tuple[int, int, str]:
        label = names.get(key, key)
        return (label == "Not known", order.index(label) if label in order else 0, label)

    keys = sorted({key for (_, _, key) in raw}, key=place)
    columns = [names.get(k, k) for k in keys]
    for code, result in by_code.items():
        if result.question.kind not in Question.CHOICE_KINDS:
            continue
        for row in result.question.rows or [""]:
            grid = {(o, k): raw.get((code, row, k), {}).get(o, 0) for o in result.question.options for k in keys}
            # Hidden across the table, not column by column: the "all together" counts are shown,
            # so a row with one hidden cell would give it away by subtraction.
            hidden = suppress_grid(grid)
            per_row: dict[str, list[Cell]] = {}
            for key, label in zip(keys, columns, strict=True):
                total = sum(grid[(o, key)] for o in result.question.options)
                small = total < settings.EQUALITY_SUPPRESSION_THRESHOLD
                per_row[label] = [
                    Cell(
                        label=o,
                        count=None if small or (o, key) in hidden else grid[(o, key)],
                        percent=None
                        if small or (o, key) in hidden or not total
                        else round(100 * grid[(o, key)] / total, 1),
                    )
                    for o in result.question.options
                ]
                result.cross_totals[f"{row}|{label}"] = None if small else total
            result.cross[row] = per_row
    return columns


# --- Export ----------------------------------------------------------------------------------------


def export_rows(*, survey: Survey) -> tuple[list[str], list[list[Any]]]:
    """One row per response sent: its method, date, area and tenure, then one column per question
    code (a grid: one per line; several answers joined with "; ")."""
    from people.models import Area, Tenure

    version = survey.live_version
    questions = list(version.questions.all()) if version else []
    columns: list[tuple[str, str]] = []
    for q in questions:
        if q.kind == Question.Kind.MATRIX:
            columns += [(q.code, row) for row in q.rows]
        else:
            columns.append((q.code, ""))
    header = ["response", "method", "sent", "area", "tenure"] + [f"{c}: {r}" if r else c for c, r in columns]
    code_of = dict(Question.objects.filter(version__survey=survey).values_list("pk", "code"))
    areas = dict(Area.objects.filter(organisation=survey.organisation).values_list("pk", "name"))
    tenures = dict(Tenure.choices)
    values: dict[int, dict[tuple[str, str], list[str]]] = defaultdict(lambda: defaultdict(list))
    for response_id, question_id, row, choice, text, number, date in (
        Answer.objects.filter(survey=survey)
        .order_by("pk")
        .values_list("response_id", "question_id", "row", "choice", "text", "number", "date")
        .iterator(chunk_size=5000)
    ):
        value = choice or text or (str(number) if number is not None else "") or (date.isoformat() if date else "")
        values[response_id][(code_of.get(question_id, ""), row)].append(value)
    labels = dict(Response.Method.choices)
    rows = []
    for pk, method, sent, area_id, tenure in (
        Response.objects.filter(survey=survey, submitted_at__isnull=False)
        .order_by("submitted_at", "pk")
        .values_list("pk", "method", "submitted_at", "area_id", "tenure")
    ):
        given = values.get(pk, {})
        rows.append(
            [
                pk,
                labels.get(method, method),
                sent.date().isoformat() if sent else "",
                areas.get(area_id, ""),
                tenures.get(tenure, ""),
            ]
            + ["; ".join(given.get(col, [])) for col in columns]
        )
    return header, rows


def export_csv(*, survey: Survey) -> str:
    header, rows = export_rows(survey=survey)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        # A value starting with = + - @ would run as a formula in a spreadsheet: quote it as text.
        writer.writerow(["'" + v if isinstance(v, str) and v[:1] in "=+-@" else v for v in row])
    return out.getvalue()


def export_xlsx(*, survey: Survey) -> bytes:
    from openpyxl import Workbook

    header, rows = export_rows(survey=survey)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Responses")
    sheet.append(header)
    for row in rows:
        sheet.append(["'" + v if isinstance(v, str) and v[:1] in "=+-@" else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def own_invitations(*, resident: Any) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(resident=resident, survey__status=Survey.Status.LIVE)
        .select_related("survey")
        .order_by("-sent_at")
    )


def published(*, organisation: Any) -> QuerySet[Survey]:
    """Closed surveys whose summary is published: what residents said and what changed."""
    return (
        Survey.objects.filter(
            organisation=organisation, status=Survey.Status.CLOSED, summary_published_at__isnull=False
        )
        .prefetch_related("changes")
        .order_by("-summary_published_at")
    )


def focus_groups(*, survey: Survey) -> QuerySet[Any]:
    """The focus groups informing a consultation, with how many were invited, are coming and came."""
    from django.db.models import Q

    from surveys.models import FocusGroup

    return (
        FocusGroup.objects.filter(survey=survey)
        .select_related("opportunity")
        .prefetch_related("themes")
        .annotate(
            invited=Count("opportunity__invitations", distinct=True),
            coming=Count(
                "opportunity__invitations", filter=Q(opportunity__invitations__status="accepted"), distinct=True
            ),
            came=Count("opportunity__invitations", filter=Q(opportunity__invitations__attended=True), distinct=True),
        )  # fmt: skip
    )


def theme_counts(*, survey: Survey) -> list[tuple[str, int, int]]:
    """Each theme with how many written answers and how many focus groups raised it, most first."""
    from surveys.models import Theme

    rows = Theme.objects.filter(survey=survey).annotate(
        answers_n=Count("answers", distinct=True), groups_n=Count("focus_groups", distinct=True)
    )
    return sorted(((t.name, t.answers_n, t.groups_n) for t in rows), key=lambda r: (-(r[1] + r[2]), r[0]))
