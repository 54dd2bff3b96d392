"""Autosave: every edit reaches the vault about a second after the last keystroke, and
never later than 1.5 s after the first unsaved one, however long the typing goes on.

The controller knows nothing of widgets or notes. An editor calls ``mark_dirty(key,
save)`` on each change, where ``save`` writes that editor's *current* text through a
service; the controller calls it ~1 s after the last change (a single-shot timer
restarted on each edit) or when the oldest unsaved change is 1.5 s old (a second
single-shot timer, started by the first change after a save and not restarted by the
next ones), whichever comes first, or at once on ``flush()`` (focus-out, change of view
or session, lock, quit). The maximum wait is what bounds the loss of a crash or a power
cut in the middle of typing that never pauses: 1.5 s, plus the save itself, stays under
the two seconds promised.

A timed save does not wait for the vault while another thread holds it (a backup copying
and checking every page, seconds at ten years of notes): it is tried again a moment later
(``BUSY_MS``), so typing never freezes the window; so does ``flush_soon()`` (a focus
leaving a field, a change of page). ``flush()`` (lock, quit, a change of session) still
waits, since what follows needs the text saved.

A save that fails with a ``GroupLeaderError`` (disk full, vault moved, a signed note)
leaves the key pending, so the text stays in the editor and is tried again: every few
seconds for storage trouble, and on the next edit or flush for an input the service
refused (retrying unchanged input would only fail again).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from groupleader.errors import GroupLeaderError, InvalidInput

SaveFn = Callable[[], None]


DELAY_MS = 1000  # after the last change
MAX_WAIT_MS = 1500  # after the first unsaved change, even while the changes go on
RETRY_MS = 4000  # after a save the disk refused
BUSY_MS = 200  # again after this while the vault is busy on another thread


class UnsavedText(GroupLeaderError):
    """Some text could not be written (it is still in its editor); `message` says why."""


class AutosaveController(QObject):
    """Debounced saving of several open editors, each known by a key."""

    saved = Signal(object)  # datetime (local) of the last successful save
    failed = Signal(str)  # a message fit to show in a banner
    failed_input = Signal(object, str, object)  # key, message, field: the service refused it
    recovered = Signal()  # a save succeeded after a failure
    state_changed = Signal(str)  # "Saved 14:32", "Saving…", "Not saved"

    def __init__(
        self, delay_ms: int = DELAY_MS, retry_ms: int = RETRY_MS,
        parent: QObject | None = None, max_wait_ms: int = MAX_WAIT_MS,
    ) -> None:
        super().__init__(parent)
        self._pending: dict[Hashable, SaveFn] = {}
        self._failing = False
        self.last_saved: datetime | None = None
        self.error: GroupLeaderError | None = None  # why the last save failed (None: it worked)
        # whether the vault is held by another thread now (`Vault.busy_elsewhere`)
        self.busy: Callable[[], bool] = lambda: False
        self._timer = self._single_shot(delay_ms)
        self._deadline = self._single_shot(max_wait_ms)
        self._retry = self._single_shot(retry_ms)
        self._busy_retry = self._single_shot(BUSY_MS)

    def _single_shot(self, ms: int) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        timer.timeout.connect(self._timed_flush)
        return timer

    def flush_soon(self) -> None:
        """Save now, unless another thread holds the vault: then a moment later (a focus
        leaving a field, a change of page: nothing that follows needs the text saved)."""
        self._timed_flush()

    def _timed_flush(self) -> None:
        """A timer's save: not while another thread holds the vault (it would freeze the
        window until that work ends); a moment later instead."""
        if self._pending and self.busy():
            self._busy_retry.start()
            return
        self.flush()

    def set_intervals(self, delay_ms: int, max_wait_ms: int, retry_ms: int) -> None:
        """Change the three waits (tests shorten them)."""
        self._timer.setInterval(delay_ms)
        self._deadline.setInterval(max_wait_ms)
        self._retry.setInterval(retry_ms)

    # ------------------------------------------------------------ state
    @property
    def pending(self) -> bool:
        return bool(self._pending)

    @property
    def failing(self) -> bool:
        return self._failing

    def is_pending(self, key: Hashable) -> bool:
        return key in self._pending

    def state_text(self) -> str:
        if self._failing:
            return "Not saved"
        if self._pending:
            return "Editing…"
        if self.last_saved is None:
            return ""
        return f"Saved {self.last_saved:%H:%M}"

    # ------------------------------------------------------------ edits
    def mark_dirty(self, key: Hashable, save: SaveFn) -> None:
        """An editor changed: (re)start the countdown to saving it; the first change after
        a save also starts the countdown that no later change restarts."""
        self._pending[key] = save
        self._timer.start()
        if not self._deadline.isActive():
            self._deadline.start()
        self.state_changed.emit(self.state_text())

    def forget(self, key: Hashable) -> None:
        """Drop a pending save without running it (the editor was reloaded on purpose)."""
        self._pending.pop(key, None)

    def new_subject(self) -> None:
        """What the editors show changed (another session, group or vault): the last
        "Saved 14:32" was about the one before, so the state starts again empty."""
        self.last_saved = None
        self.state_changed.emit(self.state_text())

    def forget_all(self) -> None:
        """Drop every pending save. Only for a vault going away after everything was saved,
        or after the user chose to lose what could not be (Quit and lose the text)."""
        self._pending.clear()
        self._stop_timers()
        self._failing = False
        self.error = None

    def _stop_timers(self) -> None:
        for timer in (self._timer, self._deadline, self._retry, self._busy_retry):
            timer.stop()

    def flush(self) -> bool:
        """Save every pending editor now; True when nothing is left unsaved (else `error`
        says why, and the text is tried again later)."""
        self._stop_timers()
        if not self._pending:
            return True
        storage_error: GroupLeaderError | None = None
        for key, save in list(self._pending.items()):
            try:
                save()
            except InvalidInput as err:
                self.failed_input.emit(key, err.message, err.field)
                storage_error = storage_error or err
                continue
            except GroupLeaderError as err:
                storage_error = err
                continue
            # a save may re-mark its key (an edit made during the save); keep that one
            if self._pending.get(key) is save:
                del self._pending[key]
        self.error = storage_error
        if storage_error is None:
            was_failing, self._failing = self._failing, False
            self.last_saved = datetime.now().astimezone()
            self.saved.emit(self.last_saved)
            if was_failing:
                self.recovered.emit()
        else:
            self._failing = True
            self.failed.emit(storage_error.message)
            if not isinstance(storage_error, InvalidInput):
                self._retry.start()
        self.state_changed.emit(self.state_text())
        return not self._pending
