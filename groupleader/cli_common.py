"""What every command of the command line shares: exit codes, passphrases, opening a vault.

Passphrases come from `--passphrase-file`, the GROUPLEADER_PASSPHRASE environment
variable, or an interactive prompt that does not echo (the way restic and borg do it).
A file's or the variable's byte-order mark and trailing line breaks are not part of the
passphrase (`passphrases.from_text_source`): it is the text one would type in the window.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from groupleader import passphrases
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
    """The secret in a file: its text without a byte-order mark or trailing line breaks."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        reason = getattr(err, "strerror", None) or "not readable text"
        raise InvalidInput(f"Cannot read the {what} file {path}: {reason}.") from None
    text = passphrases.from_text_source(text)
    if not text:
        raise InvalidInput(f"The {what} file {path} is empty.")
    return text


def passphrase_from(args: argparse.Namespace, prompt: str = "Passphrase: ") -> str:
    return _passphrase_as_given(args, prompt)[0]


def _passphrase_as_given(args: argparse.Namespace, prompt: str) -> tuple[str, str]:
    """The passphrase, and what earlier versions made of the same file or variable."""
    if getattr(args, "passphrase_file", None):
        phrase = read_secret_file(args.passphrase_file)
        with contextlib.suppress(OSError, UnicodeDecodeError):
            text = Path(args.passphrase_file).read_text(encoding="utf-8")
            return phrase, text.removesuffix("\n").removesuffix("\r")  # the old rule
        return phrase, phrase
    env = os.environ.get(PASSPHRASE_ENV) or ""
    if passphrases.from_text_source(env):
        return passphrases.from_text_source(env), env
    if not sys.stdin or not sys.stdin.isatty():
        raise InvalidInput(
            f"No passphrase given: use --passphrase-file FILE or set {PASSPHRASE_ENV}."
        )
    typed = getpass.getpass(prompt)
    return typed, typed


def new_passphrase_from(
    file_option: str | None,
    *,
    allow_env: bool,
    option: str = "--new-passphrase-file",
    vault: str | Path | None = None,
) -> str:
    """A new passphrase: from a file, the environment (for init), or asked twice.

    Refused, with a suggestion of random words, when it is short or easy to guess (the
    same zxcvbn check as the window's); `vault` lends its name to the words tried first.
    """
    if file_option:
        phrase = read_secret_file(file_option, "new passphrase")
    else:
        env = os.environ.get(PASSPHRASE_ENV) if allow_env else None
        phrase = passphrases.from_text_source(env or "")
        if not phrase:
            if not sys.stdin or not sys.stdin.isatty():
                hint = f" or set {PASSPHRASE_ENV}" if allow_env else ""
                raise InvalidInput(f"No new passphrase given: use {option} FILE{hint}.")
            phrase = getpass.getpass("New passphrase: ")
            check_strength(phrase, vault)  # before asking a second time
            if getpass.getpass("Repeat the new passphrase: ") != phrase:
                raise InvalidInput("The two passphrases differ; nothing was changed.")
    check_strength(phrase, vault)
    return phrase


def check_strength(phrase: str, vault: str | Path | None = None) -> None:
    """`passphrases.check_new`, its refusal ending with a suggestion of random words."""
    try:
        passphrases.check_new(phrase, passphrases.user_words(vault))
    except InvalidInput as err:
        raise InvalidInput(
            f"{err.message} For example (made just now, at random): "
            f"\"{passphrases.suggest()}\".", err.field
        ) from None


def open_vault_from(args: argparse.Namespace) -> Vault:
    return open_vault_and_passphrase(args)[0]


def open_vault_and_passphrase(
    args: argparse.Namespace, prompt: str = "Passphrase: ", *, for_verify: bool = False
) -> tuple[Vault, str]:
    """Open `args.vault`; also return the passphrase that opened it. `for_verify` opens it
    read-only and as it is, never upgraded (`Vault.open_for_verify`).

    Earlier versions kept a file's byte-order mark (and a second line break) and any line
    break at the end of the variable in the passphrase, so a vault made that way is tried
    with the text exactly as given when the cleaned text does not open it (only then: the
    extra tries each run the key derivation).
    """
    from groupleader.data.vault import Vault
    from groupleader.errors import WrongPassphrase

    opener = Vault.open_for_verify if for_verify else Vault.open
    phrase, as_given = _passphrase_as_given(args, prompt)
    try:
        return opener(args.vault, phrase), phrase
    except WrongPassphrase:
        if as_given == phrase or "\x00" in as_given:
            raise
    return opener(args.vault, as_given), as_given

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
