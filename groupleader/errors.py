"""Errors a user can meet, each with a message fit to show in a dialog.

Messages never contain clinical text or names: they may be printed on a terminal,
shown in a dialog or end up in a bug report.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


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
    """Not a vault, or a vault whose pages no longer read back as they were written.

    `path` (when known) is the damaged vault, so the CLI and the window can name the
    newest backup of it (`data.backups.restore_advice`); `details` are short findings such
    as "page 83 of 164 fails its check", never data from the file.
    """

    default_message = (
        "This file is not a Group Leader vault, or it is damaged. Open another file, "
        "or restore the vault from one of your backups."
    )
    generic_advice = "Restore the vault from one of your backups, and keep the damaged file."

    def __init__(
        self,
        message: str | None = None,
        *,
        path: Path | None = None,
        details: Iterable[str] = (),
    ) -> None:
        super().__init__(message)
        self.path = path
        self.details = tuple(details)

    def with_advice(self, advice: str) -> str:
        """The message with its generic last sentence replaced by `advice`."""
        return self.message.removesuffix(self.generic_advice).rstrip() + " " + advice


class VaultTooNew(GroupLeaderError):
    default_message = (
        "This vault was made by a newer version of Group Leader. Install the newer "
        "version to open it; nothing in the file was changed."
    )


class UnfinishedWrite(GroupLeaderError):
    """A crash left the vault's rollback journal (an unfinished write) beside it, and this
    open cannot finish it: it reads only (`verify`), or the drive is read-only."""

    default_message = (
        "A crash left an unfinished write beside this vault. Open the vault in Group "
        "Leader once, which finishes it, then try again; nothing in the file was changed."
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


class VaultReadOnly(GroupLeaderError):
    """The vault is open read-only (read-only file, folder, drive or mount): no edits."""

    default_message = (
        "This vault is open read-only, because its file or its folder cannot be written "
        "(a read-only drive, folder or file), so nothing can be changed. To work in it, "
        "copy the vault file to a folder you can write to and open the copy."
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


class WrongPin(GroupLeaderError):
    """The signer's PIN did not match: nothing was signed and nothing was written."""

    default_message = "That PIN is not right, so nothing was signed. Check it and try again."


class PinNotSet(GroupLeaderError):
    """The profile has no signing PIN yet: it is set in Settings before it signs."""

    default_message = (
        "This profile has no signing PIN yet. Set one in Settings (Signing PIN…), then sign."
    )


class PinLockedOut(GroupLeaderError):
    """Too many wrong PINs in a row: wait a little before the next try."""

    def __init__(self, seconds: int) -> None:
        super().__init__(
            f"Too many wrong PINs in a row: nothing was signed or changed. Wait {seconds} "
            "seconds, then try again.")
        self.seconds = seconds
class FormNotFinished(GroupLeaderError):
    """Answers typed into a form (a questionnaire) that can't be saved as they stand: half
    typed, or they would replace a stored form. Lock keeps them (see ui/unsaved.py)."""


class SessionLocked(GroupLeaderError):
    """The session's group note is signed: its attendance, seating, interactions, leaders,
    date, time, length and status are locked with it (the service refuses, a trigger too)."""

    default_message = (
        "This session is signed, so its attendance, seating, time and status stay as they "
        "were signed. Record a correction as an amendment (Session > Correct…)."
    )
