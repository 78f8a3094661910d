"""Objects the role-matrix test (core/tests/test_role_matrix.py) and the accessibility sweep visit
the tsm URLs with: a small published dataset and this organisation's place in it, so the pages
show real tables rather than the 'load the dataset first' text."""

from __future__ import annotations

from typing import Any


def objects(*, org: Any, resident: Any, make_user: Any) -> dict[str, Any]:
    from tsm.tests.factories import make_dataset

    make_dataset(organisation=org)
    return {"measure": "TP01"}
