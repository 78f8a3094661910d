"""Read the regulator's published TSM dataset (XLSX) by what its columns mean.

Nothing here depends on sheet names or column positions: next year's file has the same shape
with different sheet names. A sheet is a table when one of its first rows has a "Landlord code"
header; it is a perception table when it has a "Relevant tenant population size (LCRA|LCHO|
Combined)" column, the management-information table when it has "(BS01 Numerator)"-style columns,
and a list of landlords left out when it has a "Notes from RSH" column. Each table ends at its
first row without a landlord code (the notes below it).

Response counts are matched by the TSM code in their label and the answer in their text. In the
2024 file the question text of some count columns is wrong, not the code: the columns whose text
says "listens to their views" are labelled TP05 and hold TP05's counts (home is safe: they
reproduce the published TP05 for every landlord), and "keeps them informed (TP06)" holds TP06's.
The file's own Data Dictionary agrees (field TP05_VS_LCRA asks "provides a home that is safe").
So the code is trusted, and every unweighted landlord's counts are checked against its published
value; any that disagree are reported, which is how a mislabelled column would show itself.

Missing values stay missing: a cell "[X]", "[U]", "[S]", "[Z]" or "[E]" becomes (None, code).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from tsm.measures import (
    BY_CODE,
    SCALE,
    Answer,
    Kind,
    Tenure,
    dataset_2024_value,
    get,
    satisfaction,
)

CODE_RE = re.compile(r"^\[[A-Z]\]$")
NO_BASE = "no-base"  # our marker, not the regulator's: the denominator is zero
HEADER_SCAN_ROWS = 15
MI_CODE = r"BS0[1-5]|RP01|RP02 [12]|NM01 [12]|CH01 [12]|CH02 [12]"
TENURE_PREFIX = {"LCRA": Tenure.LCRA, "LCHO": Tenure.LCHO, "Combined": Tenure.COMBINED}
ANSWER_TEXT = (  # order matters: "dissatisfied" contains "satisfied"
    ("not applicable", Answer.NOT_APPLICABLE),
    ("neither", Answer.NEITHER),
    ("fairly dissatisfied", Answer.FAIRLY_DISSATISFIED),
    ("very dissatisfied", Answer.VERY_DISSATISFIED),
    ("fairly satisfied", Answer.FAIRLY_SATISFIED),
    ("very satisfied", Answer.VERY_SATISFIED),
)

Cell = tuple[Decimal | None, str]


def normalise(text: object) -> str:
    """Header text without non-breaking or zero-width spaces and doubled spaces."""
    if text is None:
        return ""
    s = str(text).replace("\xa0", " ").replace("\u200b", "").replace("\n", " ")
    return re.sub(r"\s+", " ", s).strip()


def measure_code(label: str) -> str:
    """ "RP02 1" (the dataset's spelling) → "RP02_1"."""
    return label.replace(" ", "_")


@dataclass
class Landlord:
    code: str
    name: str
    landlord_type: str = ""
    size_band: str = ""
    region: str = ""
    supported_housing: bool | None = None
    publication_url: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class Survey:
    code: str
    tenure: Tenure
    population: Cell = (None, "")
    minimum_sample: Cell = (None, "")
    sample_achieved: Cell = (None, "")
    margin_of_error: Cell = (None, "")
    sample_or_census: str = ""
    weighted: bool | None = None


@dataclass
class Result:
    code: str
    measure: str
    tenure: Tenure
    value: Cell = (None, "")
    numerator: Cell = (None, "")
    denominator: Cell = (None, "")
    counts: dict[str, Decimal | str] = field(default_factory=dict)


@dataclass
class Dataset:
    reporting_year: int | None = None
    landlords: dict[str, Landlord] = field(default_factory=dict)
    surveys: list[Survey] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class NotATsmDataset(ValueError):
    pass


def parse_cell(value: object) -> tuple[Cell, str | None]:
    """(number or None, missing-value code or ""), and a problem when the cell is neither."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return (None, ""), None
    if isinstance(value, bool):
        return (None, ""), f"{value!r} is not a number"
    if isinstance(value, int):
        return (Decimal(value), ""), None
    if isinstance(value, float):
        return (Decimal(repr(value)), ""), None  # the shortest decimal that is this float
    text = str(value).strip()
    if CODE_RE.match(text):
        return (None, text), None
    try:
        return (Decimal(text.replace(",", "")), ""), None
    except ArithmeticError:
        return (None, ""), f"{text[:40]!r} is neither a number nor a missing-value code"


def _yes_no(value: object) -> bool | None:
    text = normalise(value).lower()
    return True if text == "yes" else False if text == "no" else None


@dataclass
class _Table:
    sheet: str
    headers: list[str]
    rows: list[tuple[int, tuple[Any, ...]]]  # (row number as Excel shows it, values)

    def find(self, pattern: str) -> list[int]:
        rx = re.compile(pattern, re.IGNORECASE)
        return [i for i, h in enumerate(self.headers) if rx.search(h)]

    def one(self, pattern: str, what: str, problems: list[str], *, required: bool = True) -> int | None:
        found = self.find(pattern)
        if len(found) == 1:
            return found[0]
        if found:
            problems.append(f"{self.sheet}: {len(found)} columns look like {what}; none was read.")
        elif required:
            problems.append(f"{self.sheet}: no column for {what}.")
        return None


def _tables(workbook: Any) -> Iterable[_Table]:
    for ws in workbook.worksheets:
        header_row: list[str] | None = None
        rows: list[tuple[int, tuple[Any, ...]]] = []
        code_index = -1
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if header_row is None:
                texts = [normalise(v) for v in values]
                if "Landlord code" in texts:
                    header_row, code_index = texts, texts.index("Landlord code")
                elif number >= HEADER_SCAN_ROWS:
                    break
                continue
            code = values[code_index] if code_index < len(values) else None
            if code is None or not str(code).strip():
                break
            rows.append((number, tuple(values)))
        if header_row is not None:
            yield _Table(sheet=ws.title, headers=header_row, rows=rows)


def _reporting_year(workbook: Any) -> int | None:
    rx = re.compile(r"1 April (\d{4}) to 31 March (\d{4})")
    for ws in workbook.worksheets[:3]:
        for values in ws.iter_rows(max_row=40, values_only=True):
            for v in values:
                m = rx.search(normalise(v)) if isinstance(v, str) else None
                if m and int(m.group(2)) == int(m.group(1)) + 1:
                    return int(m.group(2))
    return None


def read(source: str | Path | IO[bytes]) -> Dataset:
    """Read the workbook. Raises NotATsmDataset when it is not one; everything smaller is listed
    in `problems` (could not read) or `notes` (read, with an adjustment)."""
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise NotATsmDataset(f"The file could not be opened as an Excel workbook ({exc.__class__.__name__}).") from None
    try:
        data = Dataset(reporting_year=_reporting_year(workbook))
        recognised = 0
        for table in _tables(workbook):
            if table.find(r"^Relevant tenant population size"):
                recognised += _read_perception(table, data)
            elif table.find(rf"\(({MI_CODE}) Numerator\)$"):
                recognised += _read_management(table, data)
            elif table.find(r"^Notes from RSH"):
                _read_left_out(table, data)
            else:
                data.sheets.append(f"{table.sheet}: not a table of measures; not read")
    finally:
        workbook.close()
    if not recognised:
        raise NotATsmDataset(
            "This workbook does not look like the regulator's TSM dataset: no sheet has a 'Landlord code' "
            "column with perception or management-information measures."
        )
    _check_perception(data)
    return data


def _landlord(table: _Table, data: Dataset, columns: dict[str, int | None], number: int, row: tuple[Any, ...]) -> str:
    def text(key: str) -> str:
        index = columns.get(key)
        return normalise(row[index]) if index is not None and index < len(row) else ""

    code = text("code")
    landlord = data.landlords.get(code)
    if landlord is None:
        landlord = data.landlords[code] = Landlord(code=code, name=text("name"))
    for attr in ("landlord_type", "size_band", "region", "publication_url"):
        value = text(attr)
        if CODE_RE.match(value):
            value = ""
        current = getattr(landlord, attr)
        if value and not current:
            setattr(landlord, attr, value)
        elif value and current != value and attr != "publication_url":
            data.problems.append(
                f"{table.sheet} row {number}: {code} has {attr.replace('_', ' ')} {value!r} here but {current!r} "
                "elsewhere; the first was kept."
            )
    if landlord.supported_housing is None and columns.get("supported") is not None:
        landlord.supported_housing = _yes_no(text("supported"))
    note = text("rsh_note")
    if note and not CODE_RE.match(note) and note not in landlord.notes:
        landlord.notes.append(note)
    return code


def _landlord_columns(table: _Table, problems: list[str]) -> dict[str, int | None]:
    return {
        "code": table.one(r"^Landlord code$", "the landlord code", problems),
        "name": table.one(r"^Landlord name$", "the landlord name", problems),
        "landlord_type": table.one(r"^Landlord type$", "the landlord type", problems),
        "size_band": table.one(r"^Landlord group size", "the landlord's size", problems),
        "region": table.one(r"predominant region", "the landlord's region", problems),
        "supported": table.one(r"above 30% supported housing", "supported housing", problems, required=False),
        "publication_url": table.one(r"^Landlord TSM Publication URL", "the publication URL", problems, required=False),
        "rsh_note": table.one(r"^Any additional notes from RSH", "the regulator's notes", problems, required=False),
    }


def _cell(table: _Table, data: Dataset, number: int, row: tuple[Any, ...], index: int | None) -> Cell:
    if index is None or index >= len(row):
        return (None, "")
    cell, problem = parse_cell(row[index])
    if problem:
        data.problems.append(f"{table.sheet} row {number}, column '{table.headers[index][:60]}': {problem}.")
    return cell


def _count_columns(table: _Table, problems: list[str]) -> dict[str, dict[Answer, int]]:
    """TP code → answer → column, for the "Number of respondents who report …" columns."""
    found: dict[str, dict[Answer, int]] = {}
    unplaced: dict[str, list[int]] = {}
    for i, header in enumerate(table.headers):
        m = re.match(r"^Number of respondents who report (.*)\((TP\d\d)\)$", header)
        if not m or "carried out a repair" in m.group(1):
            continue
        text, code = m.group(1).lower(), m.group(2)
        answer = next((a for phrase, a in ANSWER_TEXT if phrase in text), None)
        if answer is None:
            unplaced.setdefault(code, []).append(i)
        elif answer in found.setdefault(code, {}):
            problems.append(f"{table.sheet}: two columns hold {code} '{answer.value}' answers; neither was read.")
            found[code].pop(answer)
        else:
            found[code][answer] = i
    for code, columns in unplaced.items():
        missing = [a for a in SCALE if a not in found.get(code, {})]
        if len(columns) == 1 and len(missing) == 1:
            # e.g. 2024's "report that that their landlord keeps them informed (TP07)": the one
            # answer of the five-point scale that no other TP07 column names.
            found.setdefault(code, {})[missing[0]] = columns[0]
        else:
            problems.append(f"{table.sheet}: cannot tell which answer {len(columns)} {code} count column(s) hold.")
    for code, answers in found.items():
        absent = [a.value for a in SCALE if a not in answers]
        if absent:
            problems.append(f"{table.sheet}: no {code} count column for {', '.join(absent)}.")
    return found


def _read_perception(table: _Table, data: Dataset) -> int:
    problems = data.problems
    population = table.one(r"^Relevant tenant population size", "the tenant population", problems)
    tenure_match = re.search(r"\((LCRA|LCHO|Combined)\)", table.headers[population or 0])
    if population is None or tenure_match is None:
        problems.append(f"{table.sheet}: cannot tell whose tenant population this is (LCRA, LCHO or combined).")
        return 0
    tenure = TENURE_PREFIX[tenure_match.group(1)]
    landlord_columns = _landlord_columns(table, problems)
    if landlord_columns["code"] is None:
        return 0
    survey_columns = {
        "minimum_sample": table.one(r"^Required minimum sample size", "the minimum sample size", problems),
        "sample_achieved": table.one(r"^Total sample size achieved", "the sample achieved", problems),
        "margin_of_error": table.one(r"^Estimated margin of error", "the margin of error", problems),
    }
    census = table.one(r"^Sample or census$", "sample or census", problems, required=False)
    weighted = table.one(r"^Were weighted responses used", "whether responses were weighted", problems, required=False)
    values: dict[str, int] = {}
    for i, header in enumerate(table.headers):
        m = re.match(r"^Proportion of respondents who report .*\((TP\d\d)\)$", header)
        if m:
            if m.group(1) in values:
                problems.append(f"{table.sheet}: two columns hold the {m.group(1)} value; the first was read.")
            else:
                values[m.group(1)] = i
    counts = _count_columns(table, problems)
    for code in sorted(set(counts) - set(values)):
        problems.append(f"{table.sheet}: {code} has response counts but no published value.")
    for number, row in table.rows:
        landlord = _landlord(table, data, landlord_columns, number, row)
        survey = Survey(code=landlord, tenure=tenure, population=_cell(table, data, number, row, population))
        for attr, index in survey_columns.items():
            setattr(survey, attr, _cell(table, data, number, row, index))
        survey.sample_or_census = normalise(row[census]) if census is not None else ""
        survey.weighted = _yes_no(row[weighted]) if weighted is not None else None
        data.surveys.append(survey)
        for code, index in values.items():
            result = Result(code=landlord, measure=code, tenure=tenure, value=_cell(table, data, number, row, index))
            for answer, column in counts.get(code, {}).items():
                number_, missing = _cell(table, data, number, row, column)
                result.counts[answer.value] = number_ if number_ is not None else (missing or "")
            _perception_base(result)
            data.results.append(result)
    data.sheets.append(f"{table.sheet}: perception measures, {tenure.label}, {len(table.rows)} landlords")
    return 1


def _perception_base(result: Result) -> None:
    """Numerator (very + fairly satisfied) and denominator (all five answers) from the counts."""
    scale = [result.counts.get(a.value) for a in SCALE]
    if len(result.counts) and all(isinstance(c, Decimal) for c in scale):
        calc = satisfaction(dict(zip(SCALE, scale, strict=True)))  # type: ignore[arg-type]
        result.numerator, result.denominator = (calc.numerator, ""), (calc.denominator, "")
    else:
        code = next((c for c in scale if isinstance(c, str) and c), "")
        result.numerator = result.denominator = (None, code)


def _read_management(table: _Table, data: Dataset) -> int:
    problems = data.problems
    landlord_columns = _landlord_columns(table, problems)
    if landlord_columns["code"] is None:
        return 0
    parts: dict[tuple[Tenure, str], dict[str, int]] = {}
    rx = re.compile(rf"^(?:(LCRA|LCHO|Combined) - )?.*\(({MI_CODE})( Numerator| Denominator)?\)\d*$")
    for i, header in enumerate(table.headers):
        m = rx.match(header)
        if not m:
            continue
        tenure = TENURE_PREFIX[m.group(1)] if m.group(1) else Tenure.ALL
        role = (m.group(3) or " value").strip().lower()
        slot = parts.setdefault((tenure, measure_code(m.group(2))), {})
        if role in slot:
            problems.append(f"{table.sheet}: two columns hold the {m.group(2)} {role} ({tenure.label}).")
        slot[role] = i
    for (tenure, code), slot in sorted(parts.items()):
        measure = get(code)
        if tenure not in measure.tenures:
            problems.append(f"{table.sheet}: {code} is not reported for {tenure.label}; not read.")
            continue
        for role in ("value", "numerator", "denominator"):
            if role not in slot:
                problems.append(f"{table.sheet}: no {code} {role} column ({tenure.label}).")
    zero_for_missing = no_base = 0
    for number, row in table.rows:
        landlord = _landlord(table, data, landlord_columns, number, row)
        for (tenure, code), slot in sorted(parts.items()):
            if tenure not in get(code).tenures:
                continue
            result = Result(
                code=landlord,
                measure=code,
                tenure=tenure,
                value=_cell(table, data, number, row, slot.get("value")),
                numerator=_cell(table, data, number, row, slot.get("numerator")),
                denominator=_cell(table, data, number, row, slot.get("denominator")),
            )
            value, numerator, denominator = result.value[0], result.numerator, result.denominator
            if value == 0 and (numerator[1] or denominator[1]):
                # The 2024 file prints 0 where the landlord left a part blank ([X]): missing, not 0.
                result.value = (None, numerator[1] or denominator[1])
                zero_for_missing += 1
            elif value is not None and denominator[0] == 0:
                result.value = (None, NO_BASE)
                no_base += 1
            data.results.append(result)
    if zero_for_missing:
        data.notes.append(
            f"{table.sheet}: {zero_for_missing} values published as 0 whose numerator or denominator is missing "
            "were stored as missing (with that part's code), not as 0."
        )
    if no_base:
        data.notes.append(
            f"{table.sheet}: {no_base} values published as 0 over a denominator of 0 were stored as 'no cases to "
            "measure' and are left out of comparisons."
        )
    data.sheets.append(f"{table.sheet}: management information, {len(table.rows)} landlords")
    return 1


def _read_left_out(table: _Table, data: Dataset) -> None:
    columns = _landlord_columns(table, [])  # these short lists have only name and code
    columns["rsh_note"] = table.one(r"^Notes from RSH", "the regulator's notes", data.problems)
    for number, row in table.rows:
        _landlord(table, data, columns, number, row)
    data.sheets.append(f"{table.sheet}: landlords left out, with the regulator's notes ({len(table.rows)})")


def _check_perception(data: Dataset) -> None:
    """Every unweighted landlord's counts must give its published perception value."""
    weighted = {(s.code, s.tenure) for s in data.surveys if s.weighted}
    disagree: dict[str, list[str]] = {}
    for r in data.results:
        if get(r.measure).kind != Kind.PERCEPTION or (r.code, r.tenure) in weighted:
            continue
        published, base = r.value[0], r.denominator[0]
        if published is None or base is None or not base:
            continue
        calc = satisfaction({a: r.counts[a.value] for a in SCALE})  # type: ignore[misc]
        assert calc.value is not None
        if abs(dataset_2024_value(r.measure, r.tenure, calc.value) - published) > Decimal("1e-9"):
            disagree.setdefault(f"{r.measure} ({r.tenure.label})", []).append(r.code)
    for what, codes in sorted(disagree.items()):
        data.problems.append(
            f"{what}: the response counts of {len(codes)} unweighted landlord(s) do not give the published value "
            f"(first: {', '.join(codes[:5])}); a count column may be mislabelled."
        )


__all__ = ["BY_CODE", "Dataset", "NotATsmDataset", "normalise", "parse_cell", "read"]
