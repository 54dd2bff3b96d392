"""Undoable session-list actions (QUndoCommand): New session, Delete and Cancel.

Each command's first redo is skipped (the action already ran when it was pushed);
undo and a later redo run operations through the list panel (`SessionCommandHost`). A
step that cannot be repeated any more (the session got a note meanwhile, another
session took its place) says why in the banner and leaves the stack.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand

from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations.base import Done
from groupleader.data.snapshots import DeletedMeeting
from groupleader.data.vault import Vault
from groupleader.errors import GroupLeaderError


class SessionCommandHost(Protocol):
    def run(self, action: Callable[[Vault], Done[Any]]) -> Any: ...
    def show_error(self, message: str) -> None: ...
    def after_undo_step(self, meeting_id: int | None) -> None: ...


class _SessionCommand(QUndoCommand):
    """A step whose `forward` (redo) and `back` (undo) each return the session to show."""

    def __init__(self, host: SessionCommandHost, text: str,
                 forward: Callable[[], int | None], back: Callable[[], int | None]) -> None:
        super().__init__(text)
        self.host = host
        self._forward, self._back = forward, back
        self._skip_redo = True

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._step(self._forward)

    def undo(self) -> None:
        self._step(self._back)

    def _step(self, action: Callable[[], int | None]) -> None:
        try:
            shown = action()
        except GroupLeaderError as err:
            self.setObsolete(True)  # the stack drops it: it cannot be repeated either
            self.host.show_error(err.message)
            return
        self.host.after_undo_step(shown)


class NewSessionCommand(_SessionCommand):
    """Undo deletes the session just made (refused once it holds anything); redo brings
    the same session back. `previous` is the session shown before it."""

    def __init__(self, host: SessionCommandHost, meeting_id: int, label: str,
                 previous: int | None) -> None:
        super().__init__(host, f"New session ({label})", self._made_again, self._unmade)
        self.meeting_id, self.previous = meeting_id, previous
        self.gone: DeletedMeeting | None = None

    def _unmade(self) -> int | None:
        mid = self.meeting_id
        self.gone = self.host.run(lambda v: ops_meetings.delete_meeting(v, mid))
        return self.previous

    def _made_again(self) -> int | None:
        gone = self.gone
        assert gone is not None  # redo follows an undo
        self.host.run(lambda v: ops_meetings.restore_meeting(v, gone))
        return gone.id


class DeleteSessionCommand(_SessionCommand):
    """Undo brings the deleted (empty) session back with its id, number and time."""

    def __init__(self, host: SessionCommandHost, gone: DeletedMeeting, label: str,
                 shown_after: int | None) -> None:
        super().__init__(host, f"Delete {label.lower()}", self._deleted_again, self._restored)
        self.gone, self.shown_after = gone, shown_after

    def _restored(self) -> int | None:
        gone = self.gone
        self.host.run(lambda v: ops_meetings.restore_meeting(v, gone))
        return gone.id

    def _deleted_again(self) -> int | None:
        mid = self.gone.id
        self.gone = self.host.run(lambda v: ops_meetings.delete_meeting(v, mid))
        return self.shown_after


class CancelSessionCommand(_SessionCommand):
    """Undo reinstates the cancelled session (scheduled again, with its number and time);
    redo cancels it again. Without it, Ctrl+Z right after a Cancel undid the step before
    (deleting another, empty session)."""

    def __init__(self, host: SessionCommandHost, meeting_id: int, label: str) -> None:
        super().__init__(host, f"Cancel {label.lower()}", self._cancelled_again,
                         self._reinstated)
        self.meeting_id = meeting_id

    def _reinstated(self) -> int | None:
        mid = self.meeting_id
        self.host.run(lambda v: ops_meetings.reinstate_meeting(v, mid))
        return mid

    def _cancelled_again(self) -> int | None:
        mid = self.meeting_id
        self.host.run(lambda v: ops_meetings.cancel_meeting(v, mid))
        return mid
