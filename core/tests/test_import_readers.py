"""Reading CSV files as housing systems write them."""

from __future__ import annotations

from pathlib import Path

from core.imports.readers import open_table


def _rows(path: Path) -> list[list[str]]:
    table = open_table(path)
    try:
        return [values for _, values in table.rows]
    finally:
        table.close()


def test_a_quote_doubled_inside_a_value_in_the_first_rows_reads_as_one_quote(tmp_path: Path):
    """csv.Sniffer guesses from these rows that quotes are not doubled, and the value would be
    split into the wrong columns; only the delimiter is taken from it."""
    path = tmp_path / "jobs.csv"
    path.write_bytes(
        b'Job,Description,Reported\r\nJ1,"Leak, ""bad"" one\nunder sink",02/11/2026\r\nJ2,Tap,03/11/2026\r\n'
    )

    assert _rows(path) == [["J1", 'Leak, "bad" one\nunder sink', "02/11/2026"], ["J2", "Tap", "03/11/2026"]]


def test_semicolons_and_windows_1252(tmp_path: Path):
    path = tmp_path / "jobs.csv"
    path.write_bytes('Job;Description;Cost\r\nJ1;"Caf\u00e9 door; ""front""";\u00a312\r\n'.encode("cp1252"))

    assert _rows(path) == [["J1", 'Caf\u00e9 door; "front"', "\u00a312"]]


def test_a_byte_order_mark_is_not_part_of_the_first_column_name(tmp_path: Path):
    path = tmp_path / "jobs.csv"
    path.write_bytes("\ufeffJob,Home\r\nJ1,H1\r\n".encode())

    assert open_table(path).headers == ["Job", "Home"]
