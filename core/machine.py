"""What the machine offers this process."""

from __future__ import annotations

import os


def cores() -> int:
    """The processors this process may run on (fewer than the machine's under a CPU limit)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
