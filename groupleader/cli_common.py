"""What every command of the command line shares: exit codes, passphrases, opening a vault.

Passphrases come from `--passphrase-file`, the GROUPLEADER_PASSPHRASE environment
variable, or an interactive prompt that does not echo (the way restic and borg do it).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from groupleader.errors import InvalidInput, VaultDamaged

if TYPE_CHECKING:
    from groupleader.data.vault import Vault  # imported lazily at run time: a quick start

PASSPHRASE_ENV = "GROUPLEADER_PASSPHRASE"
# Where the window keeps its settings and the key of its backup folder (the same as in
# groupleader/ui/settings.py, which the command line does not import).
SETTINGS_NAMES = ("GroupLeader", "GroupLeader")
BACKUP_FOLDER_KEY = "backup/folder"
EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE = 0, 1, 2

Handler = Callable[[argparse.Namespace], int]


def read_secret_file(path: str, what: str = "passphrase") -> str:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        reason = getattr(err, "strerror", None) or "not readable text"
        raise InvalidInput(f"Cannot read the {what} file {path}: {reason}.") from None
    text = text.removesuffix("\n").removesuffix("\r")
    if not text:
        raise InvalidInput(f"The {what} file {path} is empty.")
    return text


def passphrase_from(args: argparse.Namespace, prompt: str = "Passphrase: ") -> str:
    if getattr(args, "passphrase_file", None):
        return read_secret_file(args.passphrase_file)
    env = os.environ.get(PASSPHRASE_ENV)
    if env:
        return env
    if not sys.stdin or not sys.stdin.isatty():
        raise InvalidInput(
            f"No passphrase given: use --passphrase-file FILE or set {PASSPHRASE_ENV}."
        )
    return getpass.getpass(prompt)


def new_passphrase_from(
    file_option: str | None, *, allow_env: bool, option: str = "--new-passphrase-file"
) -> str:
    """A new passphrase: from a file, the environment (for init), or asked twice."""
    if file_option:
        return read_secret_file(file_option, "new passphrase")
    env = os.environ.get(PASSPHRASE_ENV) if allow_env else None
    if env:
        return env
    if not sys.stdin or not sys.stdin.isatty():
        hint = f" or set {PASSPHRASE_ENV}" if allow_env else ""
        raise InvalidInput(f"No new passphrase given: use {option} FILE{hint}.")
    first = getpass.getpass("New passphrase: ")
    if getpass.getpass("Repeat the new passphrase: ") != first:
        raise InvalidInput("The two passphrases differ; nothing was changed.")
    return first


def open_vault_from(args: argparse.Namespace) -> Vault:
    from groupleader.data.vault import Vault

    return Vault.open(args.vault, passphrase_from(args))


def backup_folders(vault_path: Path) -> list[Path]:
    """Where backups of a vault may be: the folder chosen in the window's Settings (read
    with Qt's own reader, only when needed), the default backup folder, the vault's own."""
    from groupleader.paths import default_backup_dir

    folders = []
    try:
        from PySide6.QtCore import QSettings

        chosen = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                           *SETTINGS_NAMES).value(BACKUP_FOLDER_KEY)
        if isinstance(chosen, str) and chosen:
            folders.append(Path(chosen))
    except ImportError:  # pragma: no cover - PySide6 is a dependency
        pass
    return [*folders, default_backup_dir(), vault_path.parent]


def restore_advice(vault_path: Path) -> str:
    """Which backup to restore for a damaged vault (the newest one found), as a sentence."""
    from groupleader.data.backups import restore_advice as advice

    return advice(vault_path, backup_folders(vault_path))


def damaged_message(err: VaultDamaged) -> str:
    """A damaged vault's message, naming the newest backup to restore (when there is one)."""
    return err.message if err.path is None else err.with_advice(restore_advice(err.path))
