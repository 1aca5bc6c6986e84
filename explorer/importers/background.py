"""Statements the import runs on a second thread, beside its Python work.

An import spends about half its time in Python (parsing, validating, building rows) and half
in SQLite. CPython's ``sqlite3`` releases the GIL while SQLite steps a statement, so a long
statement (filling the search index for a batch of rows already written, ``INSERT … SELECT``)
runs on the second core while the importer reads the next file. Short statements gain
nothing that way (each row of an ``executemany`` takes the GIL back), so the rows themselves
are still written by the importer's own thread.

Both threads use the import's one connection, inside its one transaction: SQLite serialises
the calls (``sqlite3.threadsafety`` is 3 in CPython's builds), and the connection is opened
with ``check_same_thread=False`` (``explorer.store.db.connect``). The caller ``drain``s before
it reads what the statements write, and ``stop``s before its transaction ends, so that no
statement can run after a ROLLBACK (it would run outside the transaction).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

_STOP = None


class BackgroundStatements:
    """One worker thread running submitted jobs (statements on the import's connection) in
    order.

    A failing statement is raised again, as it was, in the submitting thread by the next
    ``submit`` or ``drain``; the statements after it are dropped (the caller's transaction is
    rolled back anyway)."""

    def __init__(self) -> None:
        self._jobs: queue.Queue[Callable[[], object] | None] = queue.Queue()
        self._failure: BaseException | None = None
        self._stopping = False
        self._thread = threading.Thread(target=self._work, name="import-statements",
                                        daemon=True)
        self._thread.start()

    def submit(self, job: Callable[[], object]) -> None:
        """Run ``job`` (statements on the connection) after those submitted before."""
        self._raise_failure()
        self._jobs.put(job)

    def drain(self) -> None:
        """Wait until every statement submitted so far has run; raise the first failure."""
        self._jobs.join()
        self._raise_failure()

    def stop(self) -> None:
        """No statement runs after this returns (those still queued are dropped)."""
        if self._stopping:
            return
        self._stopping = True
        self._jobs.put(_STOP)
        self._thread.join()  # the statement in flight, if any, ends first

    def _raise_failure(self) -> None:
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is _STOP:
                    return
                if self._stopping or self._failure is not None:
                    continue
                try:
                    job()
                except BaseException as exc:  # handed to the submitting thread
                    self._failure = exc
            finally:
                self._jobs.task_done()
