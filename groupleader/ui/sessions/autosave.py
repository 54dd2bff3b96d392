"""Autosave: every edit reaches the vault about a second after the last keystroke.

The controller knows nothing of widgets or notes. An editor calls ``mark_dirty(key,
save)`` on each change, where ``save`` writes that editor's *current* text through a
service; the controller calls it ~1 s after the last change (a single-shot timer
restarted on each edit), or at once on ``flush()`` (focus-out, change of view or
session, vault closing, quit).

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


class AutosaveController(QObject):
    """Debounced saving of several open editors, each known by a key."""

    saved = Signal(object)  # datetime (local) of the last successful save
    failed = Signal(str)  # a message fit to show in a banner
    failed_input = Signal(object, str, object)  # key, message, field: the service refused it
    recovered = Signal()  # a save succeeded after a failure
    state_changed = Signal(str)  # "Saved 14:32", "Saving…", "Not saved"

    def __init__(
        self, delay_ms: int = 1000, retry_ms: int = 4000, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._pending: dict[Hashable, SaveFn] = {}
        self._failing = False
        self.last_saved: datetime | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(retry_ms)
        self._retry.timeout.connect(self.flush)

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
        """An editor changed: (re)start the countdown to saving it."""
        self._pending[key] = save
        self._timer.start()
        self.state_changed.emit(self.state_text())

    def forget(self, key: Hashable) -> None:
        """Drop a pending save without running it (the editor was reloaded on purpose)."""
        self._pending.pop(key, None)

    def forget_all(self) -> None:
        """Drop every pending save (the vault is going away; what could be saved was)."""
        self._pending.clear()
        self._timer.stop()
        self._retry.stop()
        self._failing = False

    def flush(self) -> bool:
        """Save every pending editor now; True when nothing is left unsaved."""
        self._timer.stop()
        self._retry.stop()
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
