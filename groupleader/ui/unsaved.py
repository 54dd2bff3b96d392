"""The questions the window asks when typed text cannot be saved (a full disk, a drive
pulled out), and what the locked screen says while such text waits.

Nothing typed is dropped without the user saying so: Lock, Quit and opening another vault
first save every editor; when that fails they ask here. Each question names the way on
(free some space, reconnect the drive, then Retry) and its safe answer is the default of
Escape: stay where the text is. Only Quit offers to lose the text, and only in so many
words. The idle auto-lock asks nothing (nobody is there to answer): it hides the screens
and keeps the text, see `MainWindow.auto_lock` and docs/shell.md.

`ask` is the one place a question is put, so tests answer it (tests/ui/conftest.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # QMessageBox is loaded when a question is put (costly at start-up)
    from PySide6.QtWidgets import QMessageBox, QWidget

RETRY = "retry"
KEEP = "keep"  # lock the screen anyway, keep the text in memory and keep trying
STAY = "stay"
DISCARD = "discard"

# key, button text, role (a QMessageBox.ButtonRole, or its name: no QMessageBox at import)
Choice = tuple[str, str, "str | QMessageBox.ButtonRole"]

_RETRY: Choice = (RETRY, "Retry", "AcceptRole")

HELD = (
    "Locked. Your latest text could not be saved yet, so it is kept here, in memory "
    "only, and saved as soon as the disk allows. Unlock to see it. Free some space or "
    "reconnect the drive; do not quit before it is saved."
)
HELD_FORM = (
    "Locked. A questionnaire typed in Measures is not finished, so it is not saved: it is "
    "kept here, in memory only, and nothing is written until you finish it. Unlock to see it."
)
HELD_DAMAGED = (
    "Locked. Your latest text cannot be saved: the vault file is damaged. It is kept here, "
    "in memory only; unlock to see it again and copy it somewhere safe (another program, or "
    "a vault restored from a backup). Quitting loses it."
)
SAVED_NOW = "Your text is saved now, and the vault is locked."
HELD_ELSEWHERE = (
    "Your latest text in the locked vault could not be saved yet. Unlock it to see the "
    "text, or free some space so that it can be saved; then open the other vault."
)


def ask(parent: QWidget, title: str, text: str, choices: Sequence[Choice],
        escape: str) -> str:
    """Put one question with these buttons (the first is the default); the chosen key.
    Escape, closing the box, or the box being closed by a lock, answer `escape`."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton,
                      parent)
    buttons = {}
    for key, label, role in choices:
        buttons[key] = box.addButton(
            label, getattr(QMessageBox.ButtonRole, role) if isinstance(role, str) else role)
    box.setDefaultButton(buttons[choices[0][0]])
    box.setEscapeButton(buttons[escape])
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    return next((key for key, button in buttons.items() if button is clicked), escape)


def ask_lock(parent: QWidget, reason: str) -> str:
    """Ctrl+L with text that cannot be saved: RETRY, KEEP or STAY."""
    return ask(
        parent, "Your text is not saved yet",
        "Your latest text could not be saved, so the vault is not locked yet.\n\n"
        f"{reason}\n\n"
        "Retry once that is done, or lock now: the text is then kept in memory "
        "(never written anywhere else) and saved as soon as the disk allows.",
        [_RETRY, (KEEP, "Lock now, keep the text", "ActionRole"),
         (STAY, "Stay open", "RejectRole")],
        STAY)


def ask_lock_damaged(parent: QWidget, reason: str) -> str:
    """Ctrl+L with text that a damaged vault will never take: STAY (to copy it) or KEEP."""
    return ask(
        parent, "Your text cannot be saved",
        "Your latest text cannot be saved: the vault file is damaged.\n\n"
        f"{reason}\n\n"
        "Stay open to copy it somewhere safe (another program, or a vault restored from a "
        "backup), or lock now: the text is then kept in memory only (never written "
        "anywhere) and shown again when you unlock.",
        [(STAY, "Stay open", "RejectRole"), (KEEP, "Lock now, keep the text", "ActionRole")],
        STAY)


def ask_quit(parent: QWidget, reason: str) -> str:
    """Quit with text that cannot be saved: RETRY, STAY (don't quit) or DISCARD."""
    return ask(
        parent, "Your text is not saved yet",
        f"Your latest text could not be saved.\n\n{reason}\n\n"
        "If you quit now, that text is lost.",
        [_RETRY, (STAY, "Don't quit", "RejectRole"),
         (DISCARD, "Quit and lose the text", "DestructiveRole")],
        STAY)


def ask_quit_damaged(parent: QWidget, reason: str) -> str:
    """Quit with text a damaged vault will never take: STAY (to copy it) or DISCARD."""
    return ask(
        parent, "Your text cannot be saved",
        f"Your latest text cannot be saved: the vault file is damaged.\n\n{reason}\n\n"
        "Don't quit yet: copy it somewhere safe first (another program, or a vault restored "
        "from a backup). If you quit now, that text is lost.",
        [(STAY, "Don't quit", "RejectRole"),
         (DISCARD, "Quit and lose the text", "DestructiveRole")],
        STAY)


def ask_leave(parent: QWidget, reason: str) -> str:
    """Opening or creating another vault with text that cannot be saved: RETRY or STAY."""
    return ask(
        parent, "Your text is not saved yet",
        "Your latest text could not be saved, so this vault stays open.\n\n"
        f"{reason}\n\nRetry once that is done.",
        [_RETRY, (STAY, "Stay in this vault", "RejectRole")],
        STAY)
