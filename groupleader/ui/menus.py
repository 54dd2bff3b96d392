"""The main window's menus and the actions behind File > Export/Print, Edit > Find,
Session > Correct… and Help > About (moved out of main_window.py to keep that module small).

Help > Check a Printed Summary… opens `groupleader.ui.paper_check.PaperCheckDialog`.

`build_menus(window)` sets on the window what other code and tests use: `lock_action`,
`backup_action`, `find_action`, `safe_action`, `correct_action`, `signin_action`, and
`_unlocked_actions` (disabled while the vault is locked). It knows the window only through
`MenuHost`, so this module does not import the main window (which imports it).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from groupleader import APP_NAME, __version__
from groupleader.errors import GroupLeaderError
from groupleader.ui.context import VIEW_TITLES

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from groupleader.ui.backup_actions import BackupController
    from groupleader.ui.context import AppContext
    from groupleader.ui.runner import Task
    from groupleader.ui.settings import Settings
    from groupleader.ui.shortcuts import UndoRouter
    from groupleader.ui.workspace import Workspace


class MenuHost(Protocol):
    """What the menus need of the main window: its parts and the slots they call."""

    ctx: AppContext
    settings: Settings
    _unlocked_actions: list[QAction]
    backup_action: QAction
    lock_action: QAction
    find_action: QAction
    safe_action: QAction
    correct_action: QAction
    signin_action: QAction
    undo_router: UndoRouter

    @property
    def workspace(self) -> Workspace: ...
    @property
    def backups(self) -> BackupController: ...
    def menuBar(self) -> QMenuBar: ...
    def new_vault(self) -> None: ...
    def open_vault_file(self) -> None: ...
    def open_demo(self) -> None: ...
    def restore_from_backup(self) -> None: ...
    def change_passphrase(self) -> None: ...
    def export_pdf(self, print_it: bool = False) -> None: ...
    def lock(self) -> bool: ...
    def open_settings(self) -> None: ...
    def close(self) -> bool: ...
    def open_find(self) -> None: ...
    def open_cosign_queue(self) -> None: ...
    def open_note(self, meeting_id: int, kind: str, member_id: object,
                  highlight: str) -> None: ...
    def _show_tab(self, index: int) -> None: ...
    def _toggle_safe(self) -> None: ...
    def about(self) -> None: ...
    def show_shortcuts(self) -> object: ...


def _box() -> type[QMessageBox]:
    """QMessageBox, loaded when a message is first shown (it is costly at start-up)."""
    from PySide6.QtWidgets import QMessageBox

    return QMessageBox


def _widget(window: MenuHost) -> QWidget:
    assert isinstance(window, QWidget)
    return window


def add_action(
    window: MenuHost, menu: QMenu, text: str, slot: Callable[[], object],
    shortcut: str | QKeySequence | None = None, unlocked_only: bool = True,
) -> QAction:
    """One menu entry; `unlocked_only` ones are disabled while the vault is locked."""
    action = QAction(text, _widget(window))
    if shortcut:
        # setShortcuts([...]) has one overload; setShortcut's overloads make PySide6
        # build the whole Qt namespace (~25 ms) on the start path.
        action.setShortcuts([QKeySequence(shortcut)])
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    if unlocked_only:
        window._unlocked_actions.append(action)
    return action


def build_menus(window: MenuHost) -> None:
    """File, Edit, View and Help, with their shortcuts (see docs/shell.md)."""
    window._unlocked_actions = []
    bar = window.menuBar()
    file = bar.addMenu("&File")
    add_action(window, file, "&New Vault…", window.new_vault, "Ctrl+Shift+N", False)
    add_action(window, file, "&Open Vault…", window.open_vault_file, "Ctrl+O", False)
    add_action(window, file, "Open &Demo Vault…", window.open_demo, None, False)
    file.addSeparator()
    window.backup_action = add_action(window, file, "&Backup Now",
                                      lambda: window.backups.backup_now())
    add_action(window, file, "&Restore from Backup…", window.restore_from_backup, None, False)
    add_action(window, file, "Change &Passphrase…", window.change_passphrase)
    add_action(window, file, "&Check Vault…", lambda: check_vault(window))
    file.addSeparator()
    add_action(window, file, "&Export PDF…", window.export_pdf, "Ctrl+E")
    add_action(window, file, "Pr&int…", lambda: window.export_pdf(print_it=True), "Ctrl+P")
    file.addSeparator()
    window.lock_action = add_action(window, file, "&Lock", window.lock, "Ctrl+L")
    add_action(window, file, "&Settings…", window.open_settings, "Ctrl+,")
    file.addSeparator()
    quit_action = add_action(window, file, "&Quit", window.close, "Ctrl+Q", False)
    quit_action.setMenuRole(QAction.MenuRole.QuitRole)

    edit = bar.addMenu("&Edit")
    # Undo/Redo act on the undo stack of the view in front (ui/shortcuts.py); they are
    # enabled by that stack, not by the lock (a locked window has no active stack).
    edit.addAction(window.undo_router.undo_action)
    edit.addAction(window.undo_router.redo_action)
    edit.aboutToShow.connect(window.undo_router.sync)
    edit.addSeparator()
    window.find_action = add_action(window, edit, "&Find…", window.open_find, "Ctrl+F")
    add_action(window, edit, "&Awaiting Co-sign…", window.open_cosign_queue, "Ctrl+Shift+K")
    edit.addSeparator()
    # No Ctrl+N here: the Roster view uses it for "Add member".
    add_action(window, edit, "&New Group…", lambda: window.workspace.sidebar.new_group())
    add_action(window, edit, "&Edit Group…", lambda: window.workspace.sidebar.edit_group())

    # no mnemonic: every letter of "Session" is taken (Seating's &Session:, &Edit, Ed&it…,
    # &Order:, &New group); F10 or Alt, then the arrow keys, reach it
    session = bar.addMenu("Session")
    window.correct_action = add_action(window, session, "&Correct…",
                                       lambda: correct_session(window))
    window.correct_action.setStatusTip(
        "Correct a signed session's attendance, date and time or seating with an amendment")
    window.signin_action = add_action(window, session, "Sign-in &Sheet…",
                                      lambda: signin_sheet(window))
    window.signin_action.setStatusTip(
        "Save the current session's sign-in sheet (first names and last initials) to print")
    add_action(window, session, "&Risk && Incidents…", lambda: open_register(window),
               "Ctrl+Shift+R")

    view = bar.addMenu("&View")
    for i, title in enumerate(VIEW_TITLES):
        add_action(window, view, title, functools.partial(window._show_tab, i), f"Ctrl+{i + 1}")
    view.addSeparator()
    window.safe_action = add_action(window, view, "Screen-Share &Safe", window._toggle_safe,
                                    None, False)
    window.safe_action.setCheckable(True)
    window.safe_action.setChecked(window.settings.screen_share_safe)

    help_menu = bar.addMenu("&Help")
    add_action(window, help_menu, "&Keyboard Shortcuts…", window.show_shortcuts, "Ctrl+/",
               False)
    add_action(window, help_menu, "&Check a Printed Summary…", lambda: check_paper(window))
    help_menu.addSeparator()
    about = add_action(window, help_menu, f"&About {APP_NAME}", window.about, None, False)
    about.setMenuRole(QAction.MenuRole.AboutRole)


def correct_session(window: MenuHost) -> bool:
    """Session > Correct…: an amendment of the current (signed) session, in Sessions."""
    sessions = window.workspace.sessions_view
    if window.ctx.vault is None or sessions is None:
        return False
    window.workspace.tabs.setCurrentWidget(sessions)
    return sessions.correct("attendance")


def signin_sheet(window: MenuHost) -> object:
    """Session > Sign-in Sheet…: the current session's sheet, saved as a PDF."""
    from groupleader.ui.signin_action import save_signin_sheet

    return save_signin_sheet(window.ctx, _widget(window))


def open_register(window: MenuHost) -> object:
    """Session > Risk & Incidents… (Ctrl+Shift+R): the group's register; from Sessions,
    in the session shown there."""
    from groupleader.ui.register.panel import open_panel

    sessions = window.workspace.sessions_view
    if sessions is not None and window.workspace.tabs.currentWidget() is sessions:
        return sessions.register.open_panel()
    return open_panel(window.ctx, window.ctx.current_group_id, None, _widget(window))


def export_pdf(window: MenuHost, print_it: bool = False) -> None:
    """File > Export PDF… (Ctrl+E) and Print… (Ctrl+P): the export dialog, modal."""
    if window.ctx.vault is None:
        return
    if window.ctx.current_group_id is None:
        _box().information(_widget(window), "Export", "Choose a group first, then export.")
        return
    from groupleader.ui.export_dialog import ExportDialog  # heavy (QtPdf): when first used

    dialog = ExportDialog(window.ctx, window.ctx.current_group_id, window.ctx.current_meeting_id,
                          _widget(window))
    if print_it:
        dialog.preselect_print()
    dialog.exec()


CHECK_LINES = 12  # problems listed in the check's dialog; the CLI lists every one


def check_vault(window: MenuHost) -> Task | None:
    """File > Check Vault…: the vault's pages, structure, locks, signatures and audit
    trail (`Vault.verify`, docs/signatures.md), on a worker (it reads the whole file); the
    answer in a dialog, each problem on its own line, the window usable meanwhile."""
    vault = window.ctx.vault
    if vault is None:
        return None
    parent = _widget(window)
    window.ctx.status_message.emit("Checking the vault…")

    def done(problems: list[str]) -> None:
        window.ctx.status_message.emit("")
        if problems:
            shown = "\n".join(f"• {p}" for p in problems[:CHECK_LINES])
            more = len(problems) - CHECK_LINES
            if more > 0:
                shown += f"\n… and {more} more (groupleader verify lists them all)."
            _box().warning(
                parent, "Vault check",
                f"The check found {len(problems)} problem(s):\n{shown}\n\n"
                "Keep working only on a copy: restore your newest backup to a new file "
                "(File > Restore from Backup…) and compare.")
        else:
            _box().information(
                parent, "Vault check",
                "The vault is sound: its pages, structure, locks, signatures and audit "
                "trail check out.")

    def failed(err: GroupLeaderError) -> None:
        window.ctx.status_message.emit("")
        _box().warning(parent, "Vault check", err.message)

    return window.ctx.runner.start(lambda _progress: vault.integrity_problems(), done, failed)


def check_paper(window: MenuHost) -> QWidget | None:
    """Help > Check a Printed Summary…: type a page's verification code, get the answer
    (window-modal; it closes with the vault)."""
    if window.ctx.vault is None:
        return None
    from groupleader.ui.paper_check import PaperCheckDialog

    dialog = PaperCheckDialog(window.ctx, _widget(window))
    from PySide6.QtCore import Qt  # not on the start path: the namespace is costly

    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def about(window: MenuHost) -> None:
    _box().about(
        _widget(window), f"About {APP_NAME}",
        f"{APP_NAME} {__version__}\n\nOffline, encrypted records for the leader of a therapy "
        "group. Everything stays in one encrypted file on this computer; the program has "
        "no network code.",
    )


def find(window: MenuHost) -> None:
    """Edit > Find… (Ctrl+F): a modeless dialog whose results open in Sessions & Notes."""
    if window.ctx.vault is None:
        return
    from groupleader.ui.find import FindDialog

    dialog = FindDialog(window.ctx, _widget(window))
    dialog.open_note.connect(window.open_note)
    dialog.show()


def open_note(window: MenuHost, meeting_id: int, kind: str, member_id: object,
              highlight: str) -> None:
    """Show a note found by Find: its group, the Sessions tab, then the note itself."""
    from groupleader.data.operations import query
    from groupleader.data.services.meetings import get_meeting

    try:
        meeting = query(window.ctx.require_vault(), get_meeting, meeting_id)
    except GroupLeaderError as err:
        _box().warning(_widget(window), "Find", err.message)
        return
    if not window.workspace.sidebar.select_group(meeting.group_id):
        return
    sessions = window.workspace.sessions_view
    if sessions is None:
        return
    window.workspace.tabs.setCurrentWidget(sessions)
    sessions.open_note(meeting_id, kind, member_id, highlight)
