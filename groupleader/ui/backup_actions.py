"""Backups from the window: Backup now, daily while open, on close; Restore from backup.

Every backup is an encrypted copy written by `groupleader.data.backups.make_backup`
(atomic: a whole file or nothing) into the folder chosen in Settings, keeping the newest
N of this vault's own backups. The program's default folder is created (0700) when it is
missing; a folder the user chose is never created: if it is missing (a USB stick not
connected), that is reported, so no backup lands on the local disk by mistake. A failure
(missing or unwritable folder, full disk) is reported calmly; the vault itself is
untouched by a failed backup, so nothing is lost.

Restore never writes over the open vault or any other file: the chosen backup is copied
by `groupleader.data.backups.restore_backup` (the same code as `groupleader restore`)
to a NEW file the user names, and that copy is then offered in the unlock page.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from groupleader.errors import GroupLeaderError, StorageError
from groupleader.ui.runner import Progress, Task

if TYPE_CHECKING:
    from groupleader.ui.context import AppContext
    from groupleader.ui.settings import Settings

DAILY = timedelta(hours=24)
CHECK_EVERY_MS = 15 * 60_000  # how often the daily timer looks at the last backup's time
VAULT_FILTER = "Group Leader vaults (*.vault);;All files (*)"


class BackupController(QObject):
    """Makes backups for the open vault and restores copies of old ones.

    The daily backup waits for a pause in use (`pause_s` without a key or a click, at
    most `max_wait_s`): while it copies and checks the vault (about 2 s at ten years of
    records) an action that reads or saves waits for it, and the minutes after an unlock
    are the busiest.
    """

    pause_s = 20.0
    max_wait_s = 15 * 60.0
    retry_ms = 5_000

    backup_written = Signal(str)  # path of the new backup
    backup_failed = Signal(str)  # a calm message (no clinical text)

    def __init__(self, ctx: AppContext, settings: Settings, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings
        self.window = parent
        self.enabled = True  # off for the demo vault: its invented data needs no backups
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self._daily)
        self._waiting_since: float | None = None  # the daily backup waits for a pause
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._daily)

    def folder(self) -> Path:
        return Path(self.settings.backup_folder).expanduser()

    @staticmethod
    def ensure_folder(folder: Path) -> None:
        """The program's own default folder is made (0700); a chosen one must exist."""
        from groupleader.data.outputs import check_folder, make_private_folder, path_text_ok
        from groupleader.paths import default_backup_dir

        if not path_text_ok(str(folder)):
            raise StorageError("The backup folder's name holds a character that cannot be part "
                               "of a file name. Choose another folder in Settings; your vault "
                               "itself is safe.")
        if folder.absolute() == default_backup_dir().absolute():
            make_private_folder(folder)
            return
        if not folder.is_dir():
            raise StorageError(
                f"The backup folder {folder} is not there. Connect the drive it is on; if it "
                "has moved, Choose another folder in Settings. Your vault itself is safe.")
        try:
            check_folder(folder)
        except GroupLeaderError as err:
            raise StorageError(f"{err.message} You can choose another folder in Settings; "
                               "your vault itself is safe.") from None

    # ------------------------------------------------------------------ writing
    def _backup_work(self) -> Callable[[Progress], Path]:
        """The backup as work for the runner (the vault serializes it with any save)."""
        from groupleader.data.backups import make_backup

        vault = self.ctx.require_vault()
        folder, keep = self.folder(), max(1, self.settings.backup_count)

        def work(progress: Progress) -> Path:
            self.ensure_folder(folder)
            return make_backup(vault, folder, keep=keep, progress=progress)

        return work

    def backup(self) -> Path:
        """Write one backup now, waiting for it (on close); raises GroupLeaderError."""
        dest = self._backup_work()(lambda _done, _total: None)
        self.backup_written.emit(str(dest))
        return dest

    def _start(self, on_done: Callable[[Path], None],
               on_failed: Callable[[GroupLeaderError], None]) -> Task:
        def done(dest: Path) -> None:
            self.backup_written.emit(str(dest))
            on_done(dest)

        def failed(err: GroupLeaderError) -> None:
            self.backup_failed.emit(err.message)
            on_failed(err)

        return self.ctx.runner.start(self._backup_work(), done, failed)

    def backup_now(self) -> Task | None:
        """File > Backup now, on a worker: then say where, or say calmly why not."""
        if self.ctx.vault is None:
            return None
        self.ctx.status_message.emit("Writing a backup…")
        return self._start(
            lambda dest: self.ctx.status_message.emit(f"Backup written to {dest.parent}."),
            lambda err: self._warn("Backup not written", err))

    def _warn(self, title: str, err: GroupLeaderError) -> None:
        QMessageBox.warning(self.window, title, err.message)

    def is_due(self, now: datetime | None = None) -> bool:
        """True when the open vault has no backup in the folder from the last 24 hours."""
        from groupleader.data.backups import last_backup_time

        if self.ctx.vault is None:
            return False
        last = last_backup_time(self.folder(), self.ctx.vault.path)
        return last is None or (now or datetime.now(UTC)) - last >= DAILY

    def backup_if_due(self) -> Task | None:
        """The daily backup while open, on a worker: quiet when it works, a banner if not."""
        if not self.enabled or self.ctx.vault is None or not self.is_due():
            return None
        return self._start(lambda _dest: self.ctx.status_message.emit("Daily backup written."),
                           lambda _err: None)

    def _daily(self) -> Task | None:
        """`backup_if_due` once the user pauses (or has kept on for `max_wait_s`)."""
        if not self.enabled or self.ctx.vault is None or not self.is_due():
            self._waiting_since = None
            return None
        watch = getattr(self.window, "autolock", None)
        idle = watch.idle_s() if watch is not None else float("inf")
        now = time.monotonic()
        if self._waiting_since is None:
            self._waiting_since = now
        if idle < self.pause_s and now - self._waiting_since < self.max_wait_s:
            self._retry.start(self.retry_ms)
            return None
        self._waiting_since = None
        return self.backup_if_due()

    def backup_on_close(self) -> bool:
        """The backup when the program closes (it waits for it); a failure is shown but
        never stops closing."""
        if not self.enabled or self.ctx.vault is None:
            return True
        try:
            self.backup()
        except GroupLeaderError as err:
            QMessageBox.warning(
                self.window,
                "Backup not written",
                f"{err.message}\n\nThe vault itself is not changed by this; only the backup "
                "is missing.",
            )
            return False
        return True

    def start(self) -> None:
        """After unlock: remove abandoned partial writes (a killed backup, export or
        restore) beside the vault and in the backup folder, then check for a backup now
        (soon) and every quarter hour."""
        from groupleader.data.atomic import cleanup_partials

        if self.ctx.vault is not None:
            cleanup_partials(self.ctx.vault.path.parent)
        cleanup_partials(self.folder())
        self.timer.start()
        self._waiting_since = None
        self._retry.start(2000)  # soon, and once the user pauses (`_daily`)

    def stop(self) -> None:
        self.timer.stop()
        self._retry.stop()
        self._waiting_since = None

    # ------------------------------------------------------------------ restoring
    def choose_restore(self, on_restored: Callable[[Path], None]) -> Task | None:
        """Ask for a backup and a new file name, copy it there on a worker; then
        `on_restored(new file)`. None if the user chose nothing.

        The copy is written to a temporary name and renamed, so an interrupted copy
        leaves nothing behind. The open vault, the backup itself and any other existing
        file are never changed (`groupleader.data.backups.restore_backup`).
        """
        from groupleader.ui import file_dialogs

        backup = file_dialogs.open_file(self.window, self.settings, file_dialogs.BACKUP,
                                        "Choose a backup to restore", VAULT_FILTER,
                                        self.folder())
        if not backup:
            return None
        source = Path(backup)
        stamp = datetime.now().strftime("%Y-%m-%d")
        suggestion = source.parent.parent / f"restored-{stamp}.vault"
        if self.ctx.vault is not None:
            current = self.ctx.vault.path
            suggestion = current.with_name(f"{current.stem}-restored-{stamp}.vault")
        target = file_dialogs.save_file(self.window, self.settings, file_dialogs.RESTORE_TARGET,
                                        "Save the restored vault as a new file",
                                        suggestion.name, VAULT_FILTER, suggestion.parent)
        if not target:
            return None
        dest = Path(target)
        if not dest.suffix:
            dest = dest.with_suffix(".vault")
        from groupleader.data.backups import restore_backup

        open_path = self.ctx.vault.path if self.ctx.vault else None
        return self.ctx.runner.start(
            lambda _progress: restore_backup(source, dest, open_path), on_restored,
            lambda err: self._warn("Backup not restored", err))
