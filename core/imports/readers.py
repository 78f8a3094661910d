"""Read CSV or XLSX into (row number, {header: text}) without loading the whole file."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from pathlib import Path

from django.core.exceptions import ValidationError

MAX_COLUMNS = 200


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time(0) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _open_text(path: Path) -> io.TextIOWrapper:
    # Housing systems export UTF-8 (often with a BOM) or Windows-1252; try both.
    raw = path.open("rb")
    head = raw.read(65536)
    raw.seek(0)
    try:
        head.decode("utf-8-sig")
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "cp1252"
    return io.TextIOWrapper(raw, encoding=encoding, newline="")


def _is_xlsx(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"PK\x03\x04"


def read_table(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Headers and an iterator of rows; row numbers are as a person sees them in the file
    (the header is row 1). Blank rows are skipped."""
    if _is_xlsx(path):
        return _read_xlsx(path)
    return _read_csv(path)


def _unique_headers(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for h in headers:
        h = h.strip() or "(blank)"
        if h in seen:
            seen[h] += 1
            h = f"{h} ({seen[h]})"
        else:
            seen[h] = 1
        result.append(h)
    return result


def _read_csv(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    text = _open_text(path)
    sample = text.read(8192)
    text.seek(0)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(text, dialect)
    try:
        headers = _unique_headers(next(reader))
    except StopIteration:
        text.close()
        raise ValidationError("The file is empty. It needs a header row and at least one row of data.") from None
    except csv.Error as exc:
        text.close()
        raise ValidationError(f"This file cannot be read as CSV: {exc}") from None
    if len(headers) > MAX_COLUMNS:
        text.close()
        raise ValidationError(f"The file has {len(headers)} columns; at most {MAX_COLUMNS} are allowed.")

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        with text:
            for number, values in enumerate(reader, start=2):
                if not any(v.strip() for v in values):
                    continue
                yield number, {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(headers)}

    return headers, rows()


def _read_xlsx(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ValidationError(f"This file cannot be opened as an Excel workbook: {exc}") from None
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    header_number = 0
    headers: list[str] = []
    for header_number, values in enumerate(iterator, start=1):  # noqa: B007 (used after the loop)
        if any(v not in (None, "") for v in values):
            headers = _unique_headers([_cell_text(v) for v in values])
            break
    if not headers:
        workbook.close()
        raise ValidationError("The first sheet of the workbook is empty.")
    while headers and headers[-1] == "(blank)":
        headers.pop()

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for number, values in enumerate(iterator, start=header_number + 1):
                texts = [_cell_text(v) for v in values]
                if not any(texts):
                    continue
                yield number, {h: (texts[i] if i < len(texts) else "") for i, h in enumerate(headers)}
        finally:
            workbook.close()

    return headers, rows()
