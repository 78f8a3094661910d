"""The one import pipeline: file → mapped columns → one form per row → preview with every
error → commit in one transaction (or the valid rows only, on request) → rejected rows download.

An importer (residents; repairs, ASB cases and other operational records in performance.imports)
declares its columns, a Django form or a plain-Python `clean_row` that cleans one row, a key
that identifies a row, the permission needed to import it, and a `commit_chunk` that upserts a
chunk of cleaned rows. Columns chosen for a file are remembered per landlord, kind and set of
column names, and used for the next file with the same column names. Everything else (reading CSV/XLSX, mapping, errors, counting, the
management command and the web pages) is shared.
"""

from __future__ import annotations

from core.imports.base import Column, CommitCounts, Importer, RowError, get_importer, importable_kinds, register
from core.imports.pipeline import (
    ImportError_,
    batch_check,
    batch_commit,
    batch_create,
    batch_set_mapping,
    rejected_rows_csv,
    suggest_mapping,
)

__all__ = [
    "Column",
    "CommitCounts",
    "ImportError_",
    "Importer",
    "RowError",
    "importable_kinds",
    "batch_check",
    "batch_commit",
    "batch_create",
    "batch_set_mapping",
    "get_importer",
    "register",
    "rejected_rows_csv",
    "suggest_mapping",
]
