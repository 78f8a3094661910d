"""Read CSV or XLSX into (row number, {header: text}) without loading the whole file."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from core.imports.base import normalise_header

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


def _encoding(head: bytes) -> str:
    # Housing systems export UTF-8 (often with a BOM) or Windows-1252; try both.
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _open_text(path: Path) -> io.TextIOWrapper:
    raw = path.open("rb")
    head = raw.read(65536)
    raw.seek(0)
    return io.TextIOWrapper(raw, encoding=_encoding(head), newline="")


def csv_format(path: Path) -> tuple[str, type[csv.Dialect]]:
    """The encoding and CSV dialect a CSV file is read with (as open_table reads it)."""
    with _open_text(path) as text:
        sample = text.read(8192)
        return text.encoding, _dialect(sample)


def _dialect(sample: str) -> type[csv.Dialect]:
    """Excel's CSV (RFC 4180: values in double quotes, a quote inside one doubled) with the
    delimiter the sample uses. Only the delimiter is sniffed: csv.Sniffer also guesses whether
    quotes are doubled, and guesses wrong for a file whose first rows have a value like
    "Leak, ""bad"" one", which then reads as the wrong columns."""
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    return type("SniffedDialect", (csv.excel,), {"delimiter": delimiter})


class _ByteRange(io.RawIOBase):
    """Bytes start to end of a file, as a file of their own."""

    def __init__(self, path: Path, start: int, end: int) -> None:
        super().__init__()
        self._file = path.open("rb", buffering=0)
        self._file.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        wanted = min(len(buffer), self._left)
        if wanted <= 0:
            return 0
        got = self._file.readinto(memoryview(buffer)[:wanted]) or 0
        self._left -= got
        return got

    def close(self) -> None:
        self._file.close()
        super().close()


class CsvPart:
    """The records from byte `start` to byte `end` of a CSV file (see record_boundaries),
    numbered from 1 within the part, blank ones left out as open_table leaves them out. `records`
    counts every record read so far, blank or not, so the parts before a part say where its
    numbers start.

    Read strictly: csv.Error is raised for anything the lenient reader would have guessed at,
    including a part that ends inside a quoted value, which is how a boundary that was not a real
    one shows itself (record_boundaries cannot tell a quote inside an unquoted value from one that
    opens a value). The caller then reads the file whole instead."""

    def __init__(
        self, path: Path, start: int, end: int, encoding: str, dialect: type[csv.Dialect] | csv.Dialect
    ) -> None:
        if start:
            encoding = "utf-8" if encoding == "utf-8-sig" else encoding  # a byte-order mark only starts a file
        self._text = io.TextIOWrapper(io.BufferedReader(_ByteRange(path, start, end), 1 << 16), encoding, newline="")
        self._reader = csv.reader(self._text, dialect, strict=True)
        self.records = 0

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        for values in self._reader:
            self.records += 1
            if values and (values[0].strip() or not _blank(values)):
                yield self.records, values

    def close(self) -> None:
        self._text.close()


def record_boundaries(path: Path, fractions: list[float]) -> list[int]:
    """Byte offsets near each fraction of the file's size at which a CSV record starts: just after
    a line break that is not inside a quoted value (an even number of quote characters before it;
    a doubled quote inside a value counts twice, so the rule holds). Ascending, without
    duplicates; an offset is left out when no line break follows its point."""
    size = path.stat().st_size
    targets = [int(size * f) for f in fractions]
    quote = b'"'
    found: list[int] = []
    block_size = 1 << 20
    with path.open("rb") as handle:
        offset = quotes = 0  # where this block starts, and the quote characters before it
        while targets:
            block = handle.read(block_size)
            if not block:
                break
            search_from = 0
            while targets and targets[0] < offset + len(block):
                line_break = block.find(b"\n", max(targets[0] - offset, search_from))
                if line_break < 0:
                    break  # the next block has it
                search_from = line_break + 1
                if (quotes + block.count(quote, 0, line_break)) % 2 == 0:
                    boundary = offset + line_break + 1
                    if boundary < size and (not found or boundary > found[-1]):
                        found.append(boundary)
                    targets.pop(0)
            quotes += block.count(quote)
            offset += len(block)
    return found


def _is_xlsx(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"PK\x03\x04"


HEADER_SEARCH_ROWS = 20


@dataclass
class Table:
    """A file's column names and its data rows as lists of text, in the headers' order.

    `header_row` is the row the column names were found on (1 unless the file has a title or
    grouped headings above them); `skipped` says what was above, for the person importing."""

    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]
    header_row: int = 1
    skipped: list[str] = field(default_factory=list)
    closer: Callable[[], None] | None = None

    def close(self) -> None:
        if self.closer is not None:
            self.closer()

    def dict_rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        headers = self.headers
        width = len(headers)
        for number, values in self.rows:
            if len(values) < width:
                values = [*values, *([""] * (width - len(values)))]
            yield number, {h: values[i].strip() for i, h in enumerate(headers)}


def read_table(path: Path, expected: Collection[str] = ()) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Headers and an iterator of rows; row numbers are as a person sees them in the file
    (the header is row 1 unless title rows come first). Blank rows are skipped."""
    table = open_table(path, expected)
    return table.headers, table.dict_rows()


def open_table(path: Path, expected: Collection[str] = (), *, header_row: int | None = None) -> Table:
    """The file as a Table. `expected` is the normalised column names an importer knows
    (normalise_header): when given, the header is the row among the first 20 that names most of
    them, so a title row or a row of merged group headings above the real column names is
    skipped. Without it (or when no row names two of them) the first non-blank row is the header.
    `header_row` forces the row (as found when the file was uploaded)."""
    if _is_xlsx(path):
        numbered, close = _xlsx_rows(path)
    else:
        numbered, close = _csv_rows(path)
    try:
        return _locate_header(numbered, close, expected, header_row)
    except BaseException:
        close()
        raise


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


def _blank(values: list[str]) -> bool:
    return not any(values) or not any(v.strip() for v in values)


def _locate_header(
    numbered: Iterator[tuple[int, list[str]]],
    close: Callable[[], None],
    expected: Collection[str],
    header_row: int | None = None,
) -> Table:
    head: list[tuple[int, list[str]]] = []
    for number, values in numbered:
        if _blank(values):
            continue
        head.append((number, values))
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    if not head:
        raise ValidationError("The file is empty. It needs a header row and at least one row of data.")
    chosen = 0
    numbers = [number for number, _ in head]
    if header_row is not None and header_row in numbers:
        chosen = numbers.index(header_row)
    elif expected:
        wanted = set(expected)
        scores = [len({normalise_header(v) for v in values} & wanted) for _, values in head]
        best = max(scores)
        if best >= 2:
            chosen = scores.index(best)
    header_number, header_values = head[chosen]
    headers = _unique_headers(header_values)
    while headers and headers[-1] == "(blank)":
        headers.pop()
    if not headers:
        raise ValidationError("The file is empty. It needs a header row and at least one row of data.")
    if len(headers) > MAX_COLUMNS:
        raise ValidationError(f"The file has {len(headers)} columns; at most {MAX_COLUMNS} are allowed.")
    skipped = [" ".join(v.strip() for v in values if v.strip())[:120] for _, values in head[:chosen]]
    buffered = head[chosen + 1 :]

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            yield from buffered
            for number, values in numbered:
                if values and (values[0].strip() or not _blank(values)):
                    yield number, values
        finally:
            close()

    return Table(headers=headers, rows=rows(), header_row=header_number, skipped=skipped, closer=close)


def _csv_rows(path: Path) -> tuple[Iterator[tuple[int, list[str]]], Callable[[], None]]:
    text = _open_text(path)
    sample = text.read(8192)
    text.seek(0)
    reader = csv.reader(text, _dialect(sample))

    def numbered() -> Iterator[tuple[int, list[str]]]:
        try:
            yield from enumerate(reader, start=1)
        except csv.Error as exc:
            raise ValidationError(f"This file cannot be read as CSV: {exc}") from None

    return numbered(), text.close


def _xlsx_rows(path: Path) -> tuple[Iterator[tuple[int, list[str]]], Callable[[], None]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ValidationError(f"This file cannot be opened as an Excel workbook: {exc}") from None
    sheet = workbook.worksheets[0]

    def numbered() -> Iterator[tuple[int, list[str]]]:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(v) for v in values]

    return numbered(), workbook.close
