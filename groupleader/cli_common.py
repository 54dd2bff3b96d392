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

from groupleader.errors import InvalidInput

if TYPE_CHECKING:
    from groupleader.data.vault import Vault  # imported lazily at run time: a quick start

PASSPHRASE_ENV = "GROUPLEADER_PASSPHRASE"
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
