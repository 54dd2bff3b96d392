"""The main window: the first screens, the workspace, menus, status bar, lock and unlock.

One `QStackedWidget` holds the pages: welcome, create, unlock and the workspace (the
groups sidebar beside the Roster / Seating / Sessions & Notes tabs). Locking follows
KeePassXC: guard against re-entry, close child dialogs, save pending edits, remember
where the user was, clear every view, close the vault, show the unlock page.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QThreadPool, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from groupleader import APP_NAME
from groupleader.errors import GroupLeaderError
from groupleader.ui import menus
from groupleader.ui.autolock import InactivityTimer
from groupleader.ui.context import AppContext
from groupleader.ui.unlock import (
    VAULT_FILTER,
    CreateVaultPage,
    UnlockPage,
    WelcomePage,
    build_and_open_demo,
    default_vault_exists,
    next_free_default,
)
from groupleader.ui.workspace import Workspace

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QCloseEvent

    from groupleader.data.vault import Vault
    from groupleader.ui.backup_actions import BackupController
    from groupleader.ui.settings import Settings


TITLE = APP_NAME


def first_size(available: tuple[int, int]) -> tuple[int, int]:
    """The window's size on first start: 90% of the screen's free area, at most 1600x1000
    (the views are laid out to stay usable down to 1024x700)."""
    return min(1600, int(available[0] * 0.9)), min(1000, int(available[1] * 0.9))


class MainWindow(QMainWindow):
    # Set by menus.build_menus(), called from __init__.
    backup_action: QAction
    lock_action: QAction
    find_action: QAction
    safe_action: QAction

    def __init__(self, settings: Settings, vault_path: str | Path | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.ctx = AppContext(settings, self)
        self._locking = False
        self._place: tuple[Path, int | None, int, int | None] | None = None
        self._demo_dirs: list[Path] = []
        self._demo_paths: set[Path] = set()
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
        self.autolock.inactive.connect(self.lock)

        self._unlocked_actions: list[QAction] = []  # disabled while the vault is locked
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
            self._workspace = Workspace(self.ctx, self.stack)
            self.stack.addWidget(self._workspace)
            splitter = self.settings.splitter_state
            if not splitter.isEmpty():
                self._workspace.splitter.restoreState(splitter)
        return self._workspace

    @property
    def backups(self) -> BackupController:
        if self._backups is None:
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
        self.stack.setCurrentWidget(page)
        unlocked = self.ctx.vault is not None
        for action in self._unlocked_actions:
            action.setEnabled(unlocked)
        if page is self._workspace and self.ctx.vault is not None:
            suffix = " (read-only)" if self.ctx.vault.read_only else ""
            self.setWindowTitle(f"{TITLE} — {self.ctx.vault.path.name}{suffix}")
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
    def _on_vault_ready(self, vault: Vault) -> None:
        ctx = self.ctx
        ctx.vault = vault
        demo = vault.path in self._demo_paths
        if not demo:
            self.settings.add_recent_vault(vault.path)
        ctx.clinician_id = self._profile_for(vault)
        self.workspace.ensure_views()
        self.workspace.show_read_only(vault.read_only)
        place = self._place if self._place and self._place[0] == vault.path else None
        self._show_page(self.workspace)
        self.workspace.sidebar.refresh(select_id=place[1] if place else None)
        if self.workspace.sidebar.current_id() is None:
            self.workspace.show_group(None)
        if place:
            self.workspace.tabs.setCurrentIndex(place[2])
            if place[3] is not None:
                ctx.select_meeting(place[3])
        self.autolock.set_minutes(self.settings.auto_lock_minutes)
        self.autolock.start()
        self.backups.enabled = not demo
        self.backups.start()
        self._status_timer.start()
        self.update_status()
        if ctx.clinician_id is None:
            self.statusBar().showMessage(
                "Tip: add your clinician profile in Settings (Ctrl+,) to sign notes.", 10_000
            )

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
    @property
    def locked(self) -> bool:
        return self.ctx.vault is None

    def lock(self) -> bool:
        """Save, clear and close; show the unlock page. False if nothing was locked."""
        if self._locking or self.ctx.vault is None:
            return False
        self._locking = True
        try:
            self._close_dialogs()
            ws = self.workspace
            try:
                ws.save_pending()
            except GroupLeaderError as err:
                QMessageBox.warning(
                    self, "Not locked",
                    f"{err.message}\n\nThe vault stays open so that nothing is lost.",
                )
                return False
            vault = self.ctx.vault
            self._place = (vault.path, self.ctx.current_group_id, ws.tabs.currentIndex(),
                           self.ctx.current_meeting_id)
            self._close_vault(vault)
            self.show_unlock(vault.path)
            return True
        finally:
            self._locking = False

    def _close_vault(self, vault: Vault) -> None:
        """Clear every view, stop the timers and close the vault (after saving)."""
        self.ctx.vault_closing.emit()  # dialogs drop what they show
        self.workspace.clear_clinical()
        self.ctx.select_meeting(None)
        self.ctx.current_group_id = None
        self.ctx.clinician_id = None
        self.autolock.stop()
        self.backups.stop()
        self._status_timer.stop()
        self.statusBar().clearMessage()
        self.ctx.runner.cancel_all()  # slow work ends (an unfinished write rolls back)
        self.ctx.vault = None
        vault.close()
        # Widgets a view dropped with deleteLater() would otherwise live (text and all)
        # until the event loop runs again: delete them now.
        from PySide6.QtCore import QEvent

        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def _close_dialogs(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()

    def _leave_vault(self) -> bool:
        """Before opening or creating another vault: lock the open one (if any)."""
        return self.ctx.vault is None or self.lock()

    # ------------------------------------------------------------------ file menu
    def new_vault(self) -> None:
        if not self._leave_vault():
            return
        self.create_page.reset(None if not default_vault_exists() else next_free_default())
        self._show_page(self.create_page)
        self.create_page.passphrase.setFocus()

    def open_vault_file(self) -> None:
        start = str(self.unlock_page.current_path() or "")
        name, _ = QFileDialog.getOpenFileName(self, "Open a vault", start, VAULT_FILTER)
        if name and self._leave_vault():
            self.show_unlock(Path(name))

    def open_demo(self) -> None:
        if importlib.util.find_spec("groupleader.data.demo") is None:
            QMessageBox.information(
                self, "Demo vault",
                "The demo vault is not available in this version of Group Leader.",
            )
            return
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
        if self.ctx.vault is not None and not self.lock():
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

    def about(self) -> None:
        menus.about(self)

    def open_find(self) -> None:
        """Edit > Find… (named so as not to shadow the static QWidget.find)."""
        menus.find(self)

    def open_note(self, meeting_id: int, kind: str, member_id: object, highlight: str) -> None:
        """Show a note found by Find: its group, the Sessions tab, then the note itself."""
        menus.open_note(self, meeting_id, kind, member_id, highlight)

    # ------------------------------------------------------------------ status
    def update_status(self) -> None:
        vault = self.ctx.vault
        if vault is None:
            self.vault_label.setText("Locked" if self.current_page is self.unlock_page else "")
            self.vault_label.setToolTip("")
            self.saved_label.setText("")
            return
        from PySide6.QtCore import Qt

        self.vault_label.setTextFormat(Qt.TextFormat.PlainText)
        self.vault_label.setText(vault.path.name + (" (read-only)" if vault.read_only else ""))
        self.vault_label.setToolTip(str(vault.path))
        saved = vault.last_saved
        self.saved_label.setText(
            f"Saved {saved.astimezone().strftime('%H:%M')}" if saved is not None else ""
        )

    def _show_backup_failure(self, message: str) -> None:
        self.workspace.banner.show_message(message, [("Settings…", self.open_settings)])

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event: QCloseEvent) -> None:
        vault = self.ctx.vault
        if vault is not None:
            try:
                self.workspace.save_pending()
            except GroupLeaderError as err:
                answer = QMessageBox.question(
                    self, "Quit without saving?",
                    f"{err.message}\n\nQuit anyway? What was not saved will be lost.",
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                    QMessageBox.StandardButton.No,
                )
                if answer != QMessageBox.StandardButton.Yes:
                    event.ignore()
                    return
            self.backups.backup_on_close()
            self._close_vault(vault)
        self.save_window()
        QThreadPool.globalInstance().waitForDone(10_000)
        if self._demo_dirs:
            import shutil

            for folder in self._demo_dirs:
                shutil.rmtree(folder, ignore_errors=True)
        event.accept()
