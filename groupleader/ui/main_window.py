"""The main window: the first screens, the workspace, menus, status bar, lock and unlock.

One `QStackedWidget` holds the pages: welcome, create, unlock and the workspace (the
groups sidebar beside the Roster / Seating / Sessions & Notes tabs). Locking follows
KeePassXC: guard against re-entry, close child dialogs, save pending edits, remember
where the user was, clear every view, close the vault, show the unlock page.

Nothing typed is dropped on the way: when some text cannot be saved (a full disk, a
drive pulled out), Lock, Quit and opening another vault ask (`unsaved.py`), and the idle
auto-lock, with nobody there to answer, *holds*: the unlock page hides every clinical
screen at once, the vault stays open in memory with the text in its editor, a timer
keeps trying to save it and finishes the lock (closes the vault) once it is saved, and
the vault's own passphrase shows the text again (docs/shell.md, "Text that cannot be
saved").
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from groupleader import APP_NAME
from groupleader.errors import (
    FormNotFinished,
    GroupLeaderError,
    VaultDamaged,
    WrongPassphrase,
)
from groupleader.ui import menus, preload, shortcuts, unsaved
from groupleader.ui.autolock import InactivityTimer
from groupleader.ui.clipboard import ClipboardGuard
from groupleader.ui.context import AppContext
from groupleader.ui.unlock import (
    VAULT_FILTER,
    CreateVaultPage,
    UnlockPage,
    WelcomePage,
    build_and_open_demo,
    damaged_message,
    default_vault_exists,
    next_free_default,
)
from groupleader.ui.widgets import LockableDialog

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QCloseEvent
    from PySide6.QtWidgets import QMessageBox

    from groupleader.data.vault import Vault
    from groupleader.ui.backup_actions import BackupController
    from groupleader.ui.cosign_queue import SigningStatus
    from groupleader.ui.settings import Settings
    from groupleader.ui.shortcuts_dialog import ShortcutsDialog
    from groupleader.ui.workspace import Workspace


TITLE = APP_NAME
HELD_RETRY_MS = 3000


def first_size(available: tuple[int, int]) -> tuple[int, int]:
    """The window's size on first start: 90% of the screen's free area, at most 1600x1000
    (the views are laid out to stay usable down to 1024x700)."""
    return min(1600, int(available[0] * 0.9)), min(1000, int(available[1] * 0.9))


class MainWindow(QMainWindow):
    # the open vault found damaged (a page check, or a page met by a read), on any thread
    damage_found = Signal(object)

    # Set by menus.build_menus(), called from __init__.
    backup_action: QAction
    lock_action: QAction
    find_action: QAction
    safe_action: QAction
    correct_action: QAction
    signin_action: QAction

    def __init__(self, settings: Settings, vault_path: str | Path | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.ctx = AppContext(settings, self)
        self._locking = False
        self._asking = False  # a question about unsaved text is open
        self._held_form = False  # what could not be saved is an unfinished questionnaire
        self._idle_while_asking = False  # ... and the idle time ran out meanwhile
        # The vault kept open behind the unlock page: text in it could not be saved yet.
        self._held: Vault | None = None
        self._place: tuple[Path, int | None, int, int | None] | None = None
        self._demo_dirs: list[Path] = []
        self._demo_paths: set[Path] = set()
        self.page_damage_box: QMessageBox | None = None  # said once damage is found
        # said after the unit of work that met it has let go of the vault (from another
        # thread the signal is queued anyway; `Qt`'s enums are not loaded before the window)
        self.damage_found.connect(
            lambda damage: QTimer.singleShot(0, lambda: self._say_damage(damage)))
        self._damage_said_for: Vault | None = None
        self.setWindowTitle(TITLE)

        # Only the unlock page is built now; the other pages, the workspace and the backup
        # controller are built when first needed, which keeps the start quick.
        self.stack = QStackedWidget(self)
        self._welcome: WelcomePage | None = None
        self._create_page: CreateVaultPage | None = None
        self._workspace: Workspace | None = None
        self._backups: BackupController | None = None
        self.unlock_page = UnlockPage(settings, self.stack)
        self.stack.addWidget(self.unlock_page)
        self.setCentralWidget(self.stack)

        self.autolock = InactivityTimer(self)
        self.autolock.inactive.connect(self._on_idle)
        self._held_timer = QTimer(self)  # tries again to save what a held lock keeps
        self._held_timer.setInterval(HELD_RETRY_MS)
        self._held_timer.timeout.connect(self._retry_held)
        self.clipboard_guard = ClipboardGuard(self)  # see _close_vault
        from groupleader.ui import focus_ring

        focus_ring.install()  # a focus ring that can be seen, in every window

        self._unlocked_actions: list[QAction] = []  # disabled while the vault is locked
        self.undo_router = shortcuts.UndoRouter(self)  # Edit > Undo/Redo
        self.ctx.changed.connect(lambda _changes, _source: self.undo_router.sync())
        menus.build_menus(self)
        self._build_status_bar()
        self._connect_pages()
        self._restore_window()
        self._start_page(vault_path)

    # ------------------------------------------------------------------ building
    def _build_status_bar(self) -> None:
        self.vault_label = QLabel(self)
        self.vault_label.setAccessibleName("Open vault")
        self.saved_label = QLabel(self)
        self.saved_label.setAccessibleName("Last saved")
        # One height, locked or not: the co-sign button (a flat push button, taller than a
        # label) coming back at each unlock grew the status bar and shrank the workspace
        # just after it had been laid out, so the whole of it was laid out twice, and it
        # moved under the pointer.
        probe = QPushButton("0 awaiting co-sign")
        probe.setFlat(True)
        self.vault_label.setMinimumHeight(probe.sizeHint().height())
        probe.deleteLater()
        self._signing_status: SigningStatus | None = None  # built at the first unlock
        self.statusBar().addPermanentWidget(self.vault_label)
        self.statusBar().addPermanentWidget(self.saved_label)
        self.ctx.status_message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.ctx.changed.connect(lambda _changes, _source: self.update_status())
        self.ctx.settings_changed.connect(self.update_status)
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(15_000)
        self._status_timer.timeout.connect(self.update_status)

    def _connect_pages(self) -> None:
        self.unlock_page.vault_ready.connect(self._on_vault_ready)
        # after the busy line has been painted (the click's own event is done)
        self.unlock_page.opening.connect(lambda: QTimer.singleShot(0, self._prepare_views))
        self.unlock_page.open_other_requested.connect(self.open_vault_file)
        self.unlock_page.restore_requested.connect(self.restore_from_backup)
        self.unlock_page.create_requested.connect(self.new_vault)

    def _restore_window(self) -> None:
        geometry = self.settings.window_geometry
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(*first_size(self.screen().availableGeometry().size().toTuple()))
        state = self.settings.window_state
        if not state.isEmpty():
            self.restoreState(state)

    def save_window(self) -> None:
        self.settings.window_geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        if self._workspace is not None:
            self.settings.splitter_state = self._workspace.splitter.saveState()
        self.settings.sync()

    # ------------------------------------------------------------------ built when needed
    @property
    def signing_status(self) -> SigningStatus:
        """The status bar's signing line (its module reads the vault: not on the start path)."""
        if self._signing_status is None:
            preload.settle()
            from groupleader.ui.cosign_queue import SigningStatus

            self._signing_status = SigningStatus(self.ctx, self)
            self.statusBar().insertPermanentWidget(0, self._signing_status)
        return self._signing_status

    @property
    def welcome(self) -> WelcomePage:
        if self._welcome is None:
            self._welcome = WelcomePage(self.stack)
            self.stack.addWidget(self._welcome)
            self._welcome.create_requested.connect(self.new_vault)
            self._welcome.open_requested.connect(self.open_vault_file)
            self._welcome.demo_requested.connect(self.open_demo)
        return self._welcome

    @property
    def create_page(self) -> CreateVaultPage:
        if self._create_page is None:
            self._create_page = CreateVaultPage(self.stack)
            self.stack.addWidget(self._create_page)
            self._create_page.back_requested.connect(self._back_from_create)
            self._create_page.vault_ready.connect(self._on_vault_ready)
        return self._create_page

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            preload.settle()
            from groupleader.ui.workspace import Workspace  # after unlock: not on the start path

            self._workspace = Workspace(self.ctx, self.stack)
            self.stack.addWidget(self._workspace)
            splitter = self.settings.splitter_state
            if not splitter.isEmpty():
                self._workspace.splitter.restoreState(splitter)
        return self._workspace

    @property
    def backups(self) -> BackupController:
        if self._backups is None:
            preload.settle()
            from groupleader.ui.backup_actions import BackupController

            self._backups = BackupController(self.ctx, self.settings, self)
            self._backups.backup_failed.connect(self._show_backup_failure)
        return self._backups

    def _start_page(self, vault_path: str | Path | None) -> None:
        if vault_path:
            self.show_unlock(Path(vault_path))
        elif self.settings.recent_vaults or default_vault_exists():
            self.show_unlock(None)
        else:
            self._show_page(self.welcome)

    # ------------------------------------------------------------------ pages
    def _show_page(self, page: QWidget) -> None:
        if page is not self.unlock_page:
            preload.settle()  # the pages beyond the unlock page import what it preloads
        self.stack.setCurrentWidget(page)
        unlocked = not self.locked
        for action in self._unlocked_actions:
            action.setEnabled(unlocked)
        if page is self._workspace and self.ctx.vault is not None and unlocked:
            suffix = " (read-only)" if self.ctx.vault.read_only else ""
            from groupleader.ui.privacy import screen_text

            name = screen_text(self.ctx, self.ctx.vault.path.name)
            self.setWindowTitle(f"{TITLE} — {name}{suffix}")
        elif page is self.unlock_page:
            self.setWindowTitle(f"{TITLE} — locked")
        else:
            self.setWindowTitle(TITLE)
        self.update_status()

    @property
    def current_page(self) -> QWidget | None:
        return self.stack.currentWidget()

    def show_unlock(self, path: Path | None, info: str = "") -> None:
        if path is not None:
            self.unlock_page.set_path(path)
        else:
            self.unlock_page.refresh_recent()
            self.unlock_page.banner.clear_message()
        if info:
            self.unlock_page.show_info(info)
        self._show_page(self.unlock_page)
        self.unlock_page.prepare()

    def _back_from_create(self) -> None:
        if self.unlock_page.vault_combo.count():
            self.show_unlock(None)
        else:
            self._show_page(self.welcome)

    def _show_tab(self, index: int) -> None:
        if self.ctx.current_group_id is not None and index < self.workspace.tabs.count():
            self.workspace.tabs.setCurrentIndex(index)

    # ------------------------------------------------------------------ unlocking
    def _prepare_views(self) -> None:
        """Build the views (once) while the key is derived on the worker: they need no
        vault, and the derivation leaves the UI thread free (it runs in SQLCipher's C
        code, without Python's lock), so the unlock does not wait for them afterwards."""
        preload.settle()  # begun with the first key typed; done by now, as a rule
        self.workspace.ensure_views()

    def _on_vault_ready(self, vault: Vault) -> None:
        if vault is self._held:
            self._resume_held()
            return
        ctx = self.ctx
        ctx.vault = vault
        demo = vault.path in self._demo_paths
        if not demo:
            self.settings.add_recent_vault(vault.path)
        ctx.clinician_id = self._profile_for(vault)
        self.workspace.ensure_views()
        shortcuts.adopt_views(self.workspace.views)
        if self.undo_router.follow(self.workspace.tabs):
            self.workspace.sidebar.group_selected.connect(
                lambda _group: self.undo_router.sync())
        self.workspace.show_read_only(vault.read_only)
        place = self._place if self._place and self._place[0] == vault.path else None
        if place is None and not demo:
            place = self._stored_place(vault.path)
        tabs = self.workspace.tabs
        tab_before = tabs.currentIndex()
        if place:
            # The view and session to come back to are chosen before the group, so that
            # only that view reads the group (a hidden one reads it when shown) and the
            # session is read once, not the default one first.
            if 0 <= place[2] < tabs.count():
                tabs.setCurrentIndex(place[2])
            if place[3] is not None:
                ctx.select_meeting(place[3])
        self._show_page(self.workspace)
        self.workspace.sidebar.refresh(select_id=place[1] if place else None)
        if place and self.workspace.sidebar.current_id() != place[1]:
            tabs.setCurrentIndex(tab_before)  # that group is gone: as if no place was kept
            if self.workspace.sidebar.current_id() is None:
                self.workspace.sidebar.refresh()  # the first group, as usual
        if self.workspace.sidebar.current_id() is None:
            self.workspace.show_group(None)
        if place and self.workspace.sidebar.current_id() == place[1] and place[3] is not None:
            ctx.select_meeting(place[3])  # if the group's views chose another meeting
        self.backups.enabled = not demo
        self.undo_router.sync()
        self._start_timers()
        self._watch_damage(vault)
        if ctx.clinician_id is None:
            self.statusBar().showMessage(
                "Tip: add your clinician profile in Settings (Ctrl+,) to sign notes.", 10_000
            )
        _settle_layouts()

    def _watch_damage(self, vault: Vault) -> None:
        """Damage is said at once (`_say_damage`): a damaged page the check behind the
        first view finds (`Vault.page_check`), or one any read meets later."""
        from groupleader.ui.runner import run_in_background

        vault.on_damage = self.damage_found.emit  # a damaged page met by any read, too

        def found(damage: VaultDamaged | None) -> None:
            if damage is not None and self.ctx.vault is vault:
                self._say_damage(damage)

        run_in_background(vault.page_check, found, lambda _err: None)

    def _say_damage(self, damage: VaultDamaged) -> None:
        """Say at once, once per vault, that its file is damaged: a dialog naming what was
        found and the newest backup; the status bar keeps saying it (nothing more is saved,
        and the editors' text stays to be copied)."""
        vault = self.ctx.vault
        if vault is None or vault.damage is None:
            return  # another vault's, or it was closed meanwhile
        self.statusBar().showMessage("The vault file is damaged: nothing more is saved.")
        if self.page_damage_box is not None and self._damage_said_for is vault:
            return
        from PySide6.QtWidgets import QMessageBox  # not before the first window

        box = QMessageBox(QMessageBox.Icon.Critical, "The vault file is damaged",
                          damaged_message(vault.damage or damage, self.settings),
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("pageDamage")
        self.page_damage_box = box
        self._damage_said_for = vault
        box.open()  # window-modal, and the editors' text stays to be copied

    def _profile_for(self, vault: Vault) -> int | None:
        cid = self.settings.clinician_for(vault.path)
        if cid is None:
            return None
        from groupleader.data.operations import query
        from groupleader.data.services.clinicians import get_clinician

        try:
            return query(vault, get_clinician, cid).id
        except GroupLeaderError:
            return None

    # ------------------------------------------------------------------ locking
    def _start_timers(self) -> None:
        self.autolock.set_minutes(self.settings.auto_lock_minutes)
        self.autolock.start()
        self.backups.start()
        self._status_timer.start()
        self.update_status()

    def _stop_timers(self) -> None:
        self.autolock.stop()
        self.backups.stop()
        self._status_timer.stop()
        self.statusBar().clearMessage()

    @property
    def locked(self) -> bool:
        """No clinical screen is shown: the vault is closed, or held (see `holding`)."""
        return self.ctx.vault is None or self._held is not None

    @property
    def holding(self) -> bool:
        """Locked with the vault kept open: some text could not be saved yet."""
        return self._held is not None

    def _unsaved_reason(self) -> str | None:
        """Save every view's pending edits: None when all is written, else why not."""
        if self._workspace is None:
            return None
        self._held_form = False
        try:
            self._workspace.save_pending()
        except GroupLeaderError as err:
            self._held_form = isinstance(err, FormNotFinished)  # what the locked page says
            return err.message
        return None

    def _damaged(self) -> bool:
        """The open vault is known to be damaged: its text will never be saved into it."""
        vault = self.ctx.vault
        return vault is not None and vault.damage is not None

    def _ask(self, question: Callable[[QWidget, str], str], reason: str) -> str:
        """Put a question about unsaved text; the idle time running out meanwhile closes
        it unanswered (`_idle_while_asking`), and the caller then locks and keeps the text."""
        self._asking = True
        try:
            return question(self, reason)
        finally:
            self._asking = False

    def lock(self) -> bool:
        """Ctrl+L: save, clear and close; show the unlock page. If some text cannot be
        saved, ask: Retry, lock now and keep the text (as the idle lock does), or stay
        open. True when the screens are locked."""
        if self._locking or self.locked:
            return False
        self._locking = True
        try:
            self._close_dialogs()
            while (reason := self._unsaved_reason()) is not None:
                choice = self._ask(
                    unsaved.ask_lock_damaged if self._damaged() else unsaved.ask_lock, reason)
                if self._idle_while_asking:
                    self._idle_while_asking, choice = False, unsaved.KEEP
                if choice == unsaved.KEEP:
                    self._hold()
                    return True
                if choice != unsaved.RETRY:
                    return False
            self._finish_lock()
            return True
        finally:
            self._locking = False

    def auto_lock(self) -> bool:
        """The idle lock: like Ctrl+L, but it asks nothing (nobody is there to answer):
        text that cannot be saved is kept and the vault held open until it is saved."""
        if self._locking or self.locked:
            return False
        self._locking = True
        try:
            self._close_dialogs()
            if self._unsaved_reason() is None:
                self._finish_lock()
            else:
                self._hold()
            return True
        finally:
            self._locking = False

    def _on_idle(self) -> None:
        if self._asking:  # nobody answers the question on the screen: close it, then lock
            self._idle_while_asking = True
            self._close_dialogs()
            return
        self.auto_lock()

    def _remember_place(self) -> None:
        """Where the user is: kept for the next unlock, and (ids only) in the settings for
        the next start (not for a demo vault, which is gone by then)."""
        vault, ws = self.ctx.require_vault(), self.workspace
        self._place = (vault.path, self.ctx.current_group_id, ws.tabs.currentIndex(),
                       self.ctx.current_meeting_id)
        if vault.path not in self._demo_paths:
            self.settings.set_place_for(vault.path, {
                "group": self._place[1], "view": self._place[2], "meeting": self._place[3]})

    def _stored_place(self, path: Path) -> tuple[Path, int | None, int, int | None] | None:
        """Where the window was in this vault when it last closed (from the settings)."""
        stored = self.settings.place_for(path)
        if "group" not in stored:
            return None
        return path, stored["group"], stored.get("view", 0), stored.get("meeting")

    def _finish_lock(self) -> None:
        """Everything is saved: clear every view, close the vault, show the unlock page."""
        vault = self.ctx.require_vault()
        was_held = self._release_hold()
        self._remember_place()
        self._close_vault(vault)
        if was_held:  # the unlock page is up already (a passphrase may be half typed)
            self.unlock_page.show_info(unsaved.SAVED_NOW)
            self._show_page(self.unlock_page)
        else:
            self.show_unlock(vault.path)

    def _hold(self) -> None:
        """Lock the screens but keep the vault open, the text in its editor, and try again
        to save it every few seconds; the lock finishes once it is saved."""
        vault = self.ctx.require_vault()
        self._held = vault
        self.ctx.vault_closing.emit()  # dialogs drop what they show
        self._stop_timers()
        self.ctx.runner.cancel_all()
        self.unlock_page.set_resume(self._confirm_held)
        self.show_unlock(vault.path, unsaved.HELD_FORM if self._held_form
                         else unsaved.HELD_DAMAGED if vault.damage is not None
                         else unsaved.HELD)
        self._held_timer.start()

    def _release_hold(self) -> bool:
        """Leave the held state (if in it); True if it was."""
        held, self._held = self._held is not None, None
        self._held_timer.stop()
        self.unlock_page.set_resume(None)
        return held

    def _retry_held(self) -> None:
        if self._held is None:
            self._held_timer.stop()
        elif not self._locking and not self._asking and self._unsaved_reason() is None:
            self._finish_lock()

    def _confirm_held(self, passphrase: str) -> Vault:
        """The unlock page's Unlock while held: the held vault, if this is its passphrase."""
        vault = self._held
        if vault is None or not vault.passphrase_matches(passphrase):
            raise WrongPassphrase()
        return vault

    def _resume_held(self) -> None:
        """Unlocked while held: the workspace as it was, the unsaved text in its editor."""
        self._release_hold()
        self._show_page(self.workspace)
        self._start_timers()

    def _close_vault(self, vault: Vault) -> None:
        """Clear every view, stop the timers and close the vault: only once everything is
        saved, or the user chose to lose what could not be (Quit and lose the text)."""
        self._release_hold()
        self.undo_router.clear()
        self.ctx.vault_closing.emit()  # dialogs drop what they show
        self.clipboard_guard.forget_copied_text()  # a copied note no longer pastes
        self.workspace.clear_clinical()
        self.ctx.select_meeting(None)
        self.ctx.current_group_id = None
        self.ctx.clinician_id = None
        self._stop_timers()
        self.ctx.runner.cancel_all()  # slow work ends (an unfinished write rolls back)
        self.ctx.vault = None
        vault.close()
        # Widgets a view dropped with deleteLater() would otherwise live (text and all)
        # until the event loop runs again: delete them now.
        from PySide6.QtCore import QEvent

        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def _close_dialogs(self) -> None:
        """Close every open dialog at once; none may ask a question that stalls a lock."""
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog)]
        dialogs += [d for d in self.findChildren(QDialog) if d not in dialogs]
        for dialog in dialogs:
            if not dialog.isVisible():
                continue
            if isinstance(dialog, LockableDialog):
                dialog.close_now()
            else:
                dialog.reject()

    def _leave_vault(self) -> bool:
        """Before opening or creating another vault: save and close the open one (if any,
        held or not). If some text cannot be saved, ask: Retry, or stay in this vault."""
        if self.ctx.vault is None:
            return True
        if self._locking:
            return False
        self._locking = True
        try:
            if not self.holding:
                self._close_dialogs()
            while (reason := self._unsaved_reason()) is not None:
                choice = self._ask(unsaved.ask_leave, reason)
                if self._idle_while_asking:
                    self._idle_while_asking = False
                    if not self.holding:
                        self._hold()
                    return False
                if choice != unsaved.RETRY:
                    if self.holding:
                        self.unlock_page.show_info(unsaved.HELD_ELSEWHERE)
                    return False
            self._finish_lock()
            return True
        finally:
            self._locking = False

    # ------------------------------------------------------------------ file menu
    def new_vault(self) -> None:
        if not self._leave_vault():
            return
        self.create_page.reset(None if not default_vault_exists() else next_free_default())
        self._show_page(self.create_page)
        self.create_page.passphrase.setFocus()

    def open_vault_file(self) -> None:
        preload.settle()
        from groupleader.ui import file_dialogs

        current = self.unlock_page.current_path()
        name = file_dialogs.open_file(self, self.settings, file_dialogs.VAULT, "Open a vault",
                                      VAULT_FILTER, current.parent if current else None)
        if name and self._leave_vault():
            self.show_unlock(Path(name))

    def open_demo(self) -> None:
        if not self._leave_vault():
            return
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="groupleader-demo-"))
        path = (folder / "demo.vault").absolute()
        import secrets

        passphrase = "demo-" + secrets.token_urlsafe(9)
        self._demo_dirs.append(folder)
        self._demo_paths.add(path)
        print(f"Demo vault (invented data): {path}\nPassphrase: {passphrase}", flush=True)
        self.show_unlock(path, "Making a demo vault of invented data; it is deleted on quit.")
        self.unlock_page.run(lambda: build_and_open_demo(path, passphrase),
                             "Making the demo vault…")

    def restore_from_backup(self) -> None:
        self.backups.choose_restore(self._restored)

    def _restored(self, restored: Path) -> None:
        if not self._leave_vault():
            return
        self.show_unlock(
            restored,
            f"The backup was copied to a new file, {restored.name}. Enter the passphrase the "
            "vault had when the backup was made to open it.",
        )

    def change_passphrase(self) -> None:
        from groupleader.ui.passphrase_dialog import ChangePassphraseDialog

        vault = self.ctx.vault
        if vault is None:
            return
        if vault.read_only:
            from PySide6.QtWidgets import QMessageBox  # not loaded at start-up

            from groupleader.data.vault import PASSWD_READ_ONLY_MESSAGE

            QMessageBox.information(self, "Change passphrase", PASSWD_READ_ONLY_MESSAGE)
            return
        dialog = ChangePassphraseDialog(vault, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.changed:
            self.statusBar().showMessage(
                "The passphrase is changed. Backups made before keep the old one.", 10_000
            )

    def export_pdf(self, print_it: bool = False) -> None:
        menus.export_pdf(self, print_it)

    def open_settings(self) -> None:
        from groupleader.ui.settings_dialog import SettingsDialog

        if self.ctx.vault is None:
            return
        if SettingsDialog(self.ctx, self.settings, self).exec() == QDialog.DialogCode.Accepted:
            self.autolock.set_minutes(self.settings.auto_lock_minutes)
            self.safe_action.setChecked(self.settings.screen_share_safe)
            self.workspace.banner.clear_message()

    def _toggle_safe(self) -> None:
        self.settings.screen_share_safe = self.safe_action.isChecked()
        self.ctx.settings_changed.emit()
        page = self.stack.currentWidget()
        if self.ctx.vault is not None and not self.locked and page is not None:
            self._show_page(page)  # the title, redacted or not

    def about(self) -> None:
        menus.about(self)

    def open_cosign_queue(self) -> None:
        """Edit > Awaiting Co-sign… (Ctrl+Shift+K), or the status bar's count."""
        self.signing_status.open_queue()

    def show_shortcuts(self) -> ShortcutsDialog:
        """Help > Keyboard Shortcuts (Ctrl+/): every key, read from the widgets, with a
        filter field; modeless, so it can stay beside the window while trying them."""
        places: list[tuple[str, QWidget]] = []
        ws = self._workspace
        if ws is not None:
            places.append(("Groups", ws.sidebar))
            for i in range(ws.tabs.count()):
                view = ws.tabs.widget(i)
                if view is not None:
                    places.append((ws.tabs.tabText(i).replace("&&", "&"), view))
        from groupleader.ui.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(shortcuts.collect(self, places), self)
        dialog.show()
        return dialog

    def open_find(self) -> None:
        """Edit > Find… (named so as not to shadow the static QWidget.find)."""
        menus.find(self)

    def open_note(self, meeting_id: int, kind: str, member_id: object, highlight: str) -> None:
        """Show a note found by Find: its group, the Sessions tab, then the note itself."""
        menus.open_note(self, meeting_id, kind, member_id, highlight)

    # ------------------------------------------------------------------ status
    def update_status(self) -> None:
        vault = self.ctx.vault
        if vault is None or self.holding:
            self.vault_label.setText("Locked" if self.current_page is self.unlock_page else "")
            self.vault_label.setToolTip("")
            self.saved_label.setText("")
            if self._signing_status is not None:
                self._signing_status.clear()
            return
        self.signing_status.follow_vault()
        from PySide6.QtCore import Qt

        self.vault_label.setTextFormat(Qt.TextFormat.PlainText)
        self.vault_label.setText(vault.path.name + (" (read-only)" if vault.read_only else ""))
        self.vault_label.setToolTip(str(vault.path))
        saved = vault.last_saved
        self.saved_label.setText(
            f"Saved {saved.astimezone().strftime('%H:%M')}" if saved is not None else ""
        )

    def _show_backup_failure(self, message: str) -> None:
        banner = self.workspace.banner
        banner.show_message(message, [("Settings…", self.open_settings),
                                      ("Hide", banner.clear_message)])

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event: QCloseEvent) -> None:
        vault = self.ctx.vault
        if vault is not None:
            while (reason := self._unsaved_reason()) is not None:
                choice = self._ask(
                    unsaved.ask_quit_damaged if self._damaged() else unsaved.ask_quit, reason)
                if self._idle_while_asking:  # nobody answered: lock, keep the text
                    self._idle_while_asking = False
                    event.ignore()
                    if not self.holding:
                        self.auto_lock()
                    return
                if choice == unsaved.DISCARD:
                    break
                if choice != unsaved.RETRY:
                    event.ignore()
                    return
            if not self.holding:
                self._remember_place()
            self.backups.backup_on_close()
            self._close_vault(vault)
        self.save_window()
        QThreadPool.globalInstance().waitForDone(10_000)
        if self._demo_dirs:
            import shutil

            for folder in self._demo_dirs:
                shutil.rmtree(folder, ignore_errors=True)
        event.accept()


# A refill posts a layout request to each layout it changes, and laying one out posts the
# next to its parent's: delivered by the event loop one pass at a time, with a repaint of
# the window between passes (4-5 paints after an unlock). Delivered here, before the loop
# paints, the first paint shows the window laid out (1-2 paints; unlock again 25 ms less
# at ten years, bench/bench_autosave_window.py). A cascade is as deep as the widget tree.
_LAYOUT_PASSES = 8


def _settle_layouts() -> None:
    for _ in range(_LAYOUT_PASSES):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest.value)
