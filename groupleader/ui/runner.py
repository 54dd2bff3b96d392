"""One runner for every operation: quick ones on the UI thread, slow ones on a worker.

The pattern of Anki's ``CollectionOp``/``QueryOp`` (``qt/aqt/operations/``): a view hands
the runner a call of one operation (``groupleader.data.operations``); the runner runs it,
and after success announces the operation's ``Changes`` once, on the context's typed
``changed`` signal, so each view refreshes only what it shows. Slow work (an import, a
batch export, backup, restore, verify, key derivation) runs on Qt's thread pool with
progress and cancel; its callbacks run on the UI thread. A failure is a
``GroupLeaderError`` with a message fit for a dialog; anything else is logged by type
only (a database error may quote clinical text) and reported calmly.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot

from groupleader.errors import GroupLeaderError

if TYPE_CHECKING:
    from groupleader.data.operations.base import Changes, Done

T = TypeVar("T")
Progress = Callable[[int, int], None]  # (done, total); raises Cancelled once cancelled

UNEXPECTED = ("Something unexpected went wrong; nothing was changed. Try again, and if it "
              "happens again, restart the program.")


class Cancelled(Exception):
    """Raised inside slow work by its progress callback once the user cancelled."""


def _log() -> logging.Logger:
    return logging.getLogger("groupleader.ui.runner")


def calm(err: BaseException) -> GroupLeaderError:
    """The error as the user sees it: ours as it is, anything else without its text."""
    if isinstance(err, GroupLeaderError):
        return err
    _log().error("operation failed: %s", type(err).__name__)  # never str(err)
    return GroupLeaderError(UNEXPECTED)


class Task(QObject):
    """One slow operation in flight. Its slots, and so the callbacks, run on the UI thread."""

    progress = Signal(int, int)
    _succeeded = Signal(object)
    _failed = Signal(object)  # GroupLeaderError
    _cancelled = Signal()
    finished = Signal()  # after the success, failure or cancel callback

    def __init__(
        self,
        runner: Runner,
        on_success: Callable[[Any], None],
        on_failure: Callable[[GroupLeaderError], None],
        on_cancelled: Callable[[], None] | None,
        source: object | None,
    ) -> None:
        super().__init__(runner)
        self._runner = runner
        self._callbacks = (on_success, on_failure, on_cancelled)
        self._source = source
        self._cancel = threading.Event()
        self._done = threading.Event()
        self.result: Any = None
        self.error: GroupLeaderError | None = None
        self.was_cancelled = False
        self._succeeded.connect(self._on_succeeded)
        self._failed.connect(self._on_failed)
        self._cancelled.connect(self._on_cancelled)

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report (it then writes nothing)."""
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    @property
    def running(self) -> bool:
        return not self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work has ended on its thread (for closing and for tests)."""
        return self._done.wait(timeout)

    def report(self, done: int, total: int) -> None:
        """The progress callback handed to the work (runs on the worker thread)."""
        if self._cancel.is_set():
            raise Cancelled()
        self.progress.emit(done, total)

    # ---------------------------------------------------------- on the worker thread
    def _execute(self, work: Callable[[Progress], Any]) -> None:
        try:
            value = work(self.report)
        except Cancelled:
            self._done.set()
            self._cancelled.emit()
        except BaseException as err:  # reported calmly, by type only
            self._done.set()
            self._failed.emit(calm(err))
        else:
            self._done.set()
            self._succeeded.emit(value)

    # ---------------------------------------------------------- on the UI thread
    @Slot(object)
    def _on_succeeded(self, value: Any) -> None:
        changes = getattr(value, "changes", None)
        if changes is not None and hasattr(value, "value"):
            self.result = value.value
            self._runner.announce(changes, self._source)
        else:
            self.result = value
        try:
            self._callbacks[0](self.result)
        finally:
            self._end()

    @Slot(object)
    def _on_failed(self, err: GroupLeaderError) -> None:
        self.error = err
        try:
            self._callbacks[1](err)
        finally:
            self._end()

    @Slot()
    def _on_cancelled(self) -> None:
        self.was_cancelled = True
        try:
            if self._callbacks[2] is not None:
                self._callbacks[2]()
        finally:
            self._end()

    def _end(self) -> None:
        self._runner._tasks.discard(self)
        self.finished.emit()


class _Job(QRunnable):
    def __init__(self, task: Task, work: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task = task
        self._work = work

    def run(self) -> None:
        self._task._execute(self._work)


class Runner(QObject):
    """Runs operations and announces what they changed (``changed(Changes, source)``)."""

    changed = Signal(object, object)  # Changes, the view that asked (or None)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks: set[Task] = set()

    # ------------------------------------------------------------ quick
    def run(self, op: Callable[[], Done[T]], source: object | None = None) -> T:
        """Run a quick operation here and now; return its value, announce its changes.

        An error propagates (a ``GroupLeaderError``) and nothing is announced.
        """
        done = op()
        self.announce(done.changes, source)
        return done.value

    def announce(self, changes: Changes, source: object | None = None) -> None:
        if not changes.empty:
            self.changed.emit(changes, source)

    # ------------------------------------------------------------ slow
    def start(
        self,
        work: Callable[[Progress], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[GroupLeaderError], None],
        *,
        on_progress: Callable[[int, int], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        source: object | None = None,
    ) -> Task:
        """Run `work(progress)` on a worker thread; the callbacks run on the UI thread.

        If `work` returns a ``Done``, its changes are announced and `on_success` gets
        its value; any other value is passed as it is (reads, key derivation). `progress`
        raises ``Cancelled`` once the task is cancelled, which ends the work (an
        operation's transaction then rolls back) and calls `on_cancelled`.
        """
        task = Task(self, on_success, on_failure, on_cancelled, source)
        self._tasks.add(task)
        if on_progress is not None:
            task.progress.connect(on_progress)
        QThreadPool.globalInstance().start(_Job(task, work))
        return task

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def cancel_all(self, timeout: float = 30.0) -> None:
        """Cancel every slow task and wait for each to end (before the vault closes)."""
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            task.wait(timeout)


_app_runner: Runner | None = None


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[GroupLeaderError], None],
) -> Task:
    """Slow work with no vault open yet (key derivation while unlocking or creating).

    The same runner machinery, on an application-wide runner. Call from the UI thread.
    """
    global _app_runner
    if _app_runner is None:
        _app_runner = Runner(QCoreApplication.instance())
    return _app_runner.start(lambda _progress: fn(), on_done, on_failed)
