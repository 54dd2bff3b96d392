"""Errors a user can meet, each with a message fit to show in a dialog.

Messages never contain clinical text or names: they may be printed on a terminal,
shown in a dialog or end up in a bug report.
"""

from __future__ import annotations


class GroupLeaderError(Exception):
    """Base of every error meant for the user; `message` is one or two calm sentences."""

    default_message = "Something went wrong."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class WrongPassphrase(GroupLeaderError):
    default_message = (
        "That passphrase does not open this vault. Check Caps Lock and the keyboard "
        "layout, then try again."
    )


class VaultInUse(GroupLeaderError):
    default_message = (
        "This vault is open in another Group Leader window or program. Close it there "
        "first, or open another file."
    )


class VaultDamaged(GroupLeaderError):
    default_message = (
        "This file is not a Group Leader vault, or it is damaged. Open another file, "
        "or restore the vault from one of your backups."
    )


class VaultTooNew(GroupLeaderError):
    default_message = (
        "This vault was made by a newer version of Group Leader. Install the newer "
        "version to open it; nothing in the file was changed."
    )


class VaultMissing(GroupLeaderError):
    default_message = "There is no vault at that location. Choose another file or create a vault."


class VaultExists(GroupLeaderError):
    default_message = "A file already exists there. Choose another name; nothing was overwritten."


class StorageError(GroupLeaderError):
    """The disk refused a write (full, read-only, removed). What was typed is still in memory."""

    default_message = (
        "The vault could not be written (the disk may be full, read-only or removed). "
        "Your text is still here; free some space or reconnect the drive and it will be "
        "saved again."
    )


class InvalidInput(GroupLeaderError):
    """Bad input from the user; `field` names the field so a form can show it beside it."""

    default_message = "Please check what you entered."

    def __init__(self, message: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class SignedNoteError(GroupLeaderError):
    default_message = (
        "This note is signed and can no longer be changed. Add an addendum to correct "
        "or complete it."
    )
