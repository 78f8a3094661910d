"""Work of a big import done in a forked process, on another core, while this one goes on.

A forked process shares this process's database connections, so it must never use them: one
query from it would interleave with this process's own on the same connection. `no_database`
makes any query raise instead, and everything the forked work needs from the database is read
before the fork. What it produces comes back pickled through a pipe (never through a file: it is
data in flight between two processes of one import, not something kept).
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import connections

from core.machine import cores

MAX_PROCESSES = 4


class ForkFailed(Exception):
    """The forked process failed; the caller does the work itself instead."""


class _NoDatabase(Exception):
    pass


def _refuse_query(*args: Any) -> Any:
    raise _NoDatabase("A forked process may not use the database.")


@contextlib.contextmanager
def no_database() -> Iterator[None]:
    with contextlib.ExitStack() as stack:
        for connection in connections.all(initialized_only=True):
            stack.enter_context(connection.execute_wrapper(_refuse_query))
        yield


def processes() -> int:
    """How many processes an import may use side by side (IMPORT_CHECK_PROCESSES; unset, one per
    core, at most four); 1 where the operating system cannot fork."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    wanted = settings.IMPORT_CHECK_PROCESSES
    if wanted is None:
        wanted = cores()
    return max(1, min(int(wanted), MAX_PROCESSES))


def _produce(produce: Callable[[], Iterator[Any]], send: Any) -> None:
    try:
        with no_database():
            for item in produce():
                send.send(("item", item))
        send.send(("done", None))
    except BaseException as exc:  # noqa: BLE001  (anything at all: the parent does the work instead)
        send.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        send.close()


class Forked:
    """Runs produce() in a forked process from the moment it is made. Iterating yields what
    produce yields, in order, and raises ForkFailed if it failed. Use it in a with block, so the
    process is stopped however this side ends."""

    def __init__(self, produce: Callable[[], Iterator[Any]]) -> None:
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_produce, args=(produce, send))
        self._process.start()
        send.close()
        self._finished = False

    def __iter__(self) -> Forked:
        return self

    def __next__(self) -> Any:
        if self._finished:
            raise StopIteration
        try:
            kind, item = self._receive.recv()
        except EOFError:
            kind, item = "error", "it ended without saying why"
        if kind == "item":
            return item
        self._finished = True
        if kind == "done":
            raise StopIteration
        raise ForkFailed(item)

    def close(self) -> None:
        self._receive.close()
        if self._process.is_alive():
            self._process.kill()
        self._process.join()

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
