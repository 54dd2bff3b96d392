"""What every view is given: the open vault, the settings, the runner and its signals.

No globals: the main window makes one `AppContext` and passes it to each view it builds.
A view runs every operation through `ctx.run` (quick) or `ctx.runner.start` (slow); after
success the runner emits `changed(Changes, source)` once, and each view refreshes only
what it shows (a hidden view marks itself stale until it is shown, see `refresh.py`).
Settings that change what views show (screen-share safe) come as `settings_changed`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal

from groupleader.ui.runner import Runner

if TYPE_CHECKING:
    from groupleader.data.operations.base import Done
    from groupleader.data.vault import Vault
    from groupleader.ui.settings import Settings

T = TypeVar("T")

# The per-group views' tab titles, in tab order (Ctrl+1..4 in the View menu). Here, not in
# workspace.py, so the menus are built without importing the workspace at start.
VIEW_TITLES = ("Roster", "Seating", "Sessions && Notes", "Measures")


class AppContext(QObject):
    """The open vault (None while locked), the settings and the current clinician."""

    vault_closing = Signal()  # after saving, before the vault closes: drop clinical data
    status_message = Signal(str)  # a short, non-clinical line for the status bar
    meeting_selected = Signal(object)  # int | None: the session the user is working on
    settings_changed = Signal()  # screen-share safe, the profile, the practice name

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.vault: Vault | None = None
        self.settings = settings
        self.runner = Runner(self)
        self.changed = self.runner.changed  # (Changes, source) after each operation
        self.clinician_id: int | None = None  # the signing profile, from settings
        self.current_group_id: int | None = None
        self.current_meeting_id: int | None = None

    def select_meeting(self, meeting_id: int | None) -> None:
        """Make a session current in every view (Seating follows Sessions and back)."""
        if meeting_id != self.current_meeting_id:
            self.current_meeting_id = meeting_id
            self.meeting_selected.emit(meeting_id)

    @property
    def read_only(self) -> bool:
        """The open vault is read-only (its file, folder or drive cannot be written)."""
        return self.vault is not None and self.vault.read_only

    def require_vault(self) -> Vault:
        if self.vault is None:
            from groupleader.errors import GroupLeaderError

            raise GroupLeaderError("The vault is locked. Unlock it to go on.")
        return self.vault

    def run(self, op: Callable[[Vault], Done[T]], source: object | None = None) -> T:
        """Run one quick operation on the open vault through the runner: its value."""
        vault = self.require_vault()
        return self.runner.run(lambda: op(vault), source)


class GroupView(Protocol):
    """What the main window asks of each per-group view (Roster, Seating, Sessions)."""

    def set_group(self, group_id: int | None) -> None:
        """Show this group (None: the empty state)."""

    def save_pending(self) -> None:
        """Write any edit still in the editor (before lock, quit, or a change of view or
        group); raises GroupLeaderError when some could not be written (it stays there)."""

    def clear_clinical(self) -> None:
        """Drop every piece of clinical data from the widgets (on lock, after saving)."""
