"""What every view is given: the open vault, the settings, and one "data changed" signal.

No globals: the main window makes one `AppContext` and passes it to each view it builds.
A view that changes data calls `ctx.notify(topic)`; every view listening refreshes only
what it shows (the Anki pattern). Topics: "groups", "roster", "meetings", "attendance",
"seating", "notes", "clinicians", "settings".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from groupleader.data.vault import Vault


class AppContext(QObject):
    """The open vault (None while locked), the settings and the current clinician."""

    data_changed = Signal(str)  # topic
    vault_closing = Signal()  # views save pending edits and drop clinical data
    status_message = Signal(str)  # a short, non-clinical line for the status bar
    meeting_selected = Signal(object)  # int | None: the session the user is working on

    def __init__(self, settings: object | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.vault: Vault | None = None
        self.settings = settings
        self.clinician_id: int | None = None  # the signing profile, from settings
        self.current_group_id: int | None = None
        self.current_meeting_id: int | None = None

    def select_meeting(self, meeting_id: int | None) -> None:
        """Make a session current in every view (Seating follows Sessions and back)."""
        if meeting_id != self.current_meeting_id:
            self.current_meeting_id = meeting_id
            self.meeting_selected.emit(meeting_id)

    def require_vault(self) -> Vault:
        if self.vault is None:
            from groupleader.errors import GroupLeaderError

            raise GroupLeaderError("The vault is locked. Unlock it to go on.")
        return self.vault

    def notify(self, topic: str) -> None:
        self.data_changed.emit(topic)


class GroupView(Protocol):
    """What the main window asks of each per-group view (Roster, Seating, Sessions)."""

    def set_group(self, group_id: int | None) -> None:
        """Show this group (None: the empty state)."""

    def save_pending(self) -> None:
        """Write any edit still in the editor (before lock, quit, or a change of view)."""

    def clear_clinical(self) -> None:
        """Drop every piece of clinical data from the widgets (on lock)."""
