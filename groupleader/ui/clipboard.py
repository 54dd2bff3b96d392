"""Text copied from the program does not outlive the unlocked vault.

A process note copied with Ctrl+C would otherwise still paste after Lock, and on X11 the
primary selection (what a middle click pastes) holds whatever was last selected in a
note. `ClipboardGuard` remembers what this program put on the clipboard and the
selection, and `forget_copied_text` (called when the vault closes: lock, auto-lock,
quit, opening another vault) clears each of them that still holds it. What another
program copied is left alone.

How "ours" is told: where the platform reports ownership (X11, Wayland, Windows),
`QClipboard.ownsClipboard()`/`ownsSelection()` at the moment of the change. macOS and the
offscreen platform never report ownership; there a change counts as ours when the
widget with the keyboard focus (or, failing that, any text widget of the program) has
exactly the clipboard's text selected, which is what a copy from it leaves behind.

Only a keyed digest of the copied text is kept (a random key per run), never the text.
At lock a clipboard still owned by the program is cleared; one owned by another program
is cleared only if it holds the same text (a clipboard manager on X11 takes over what was
copied, to keep it after the program quits).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QClipboard, QGuiApplication

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

# The widget classes are looked up only when a copy is checked (PySide6 builds each type
# on first use, and the first screen needs none of these).
Mode = QClipboard.Mode
_REPORTS_OWNERSHIP = ("xcb", "windows", "wayland")
_PARAGRAPH_SEPARATOR = "\u2029"  # what QTextCursor.selectedText() has for a line break


class ClipboardGuard(QObject):
    """Remembers what the program copied; `forget_copied_text` clears what is still there."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._key = os.urandom(32)
        self._copied: dict[Mode, bytes] = {}
        self._clipboard = QGuiApplication.clipboard()
        self._clipboard.changed.connect(self._on_changed)

    def modes(self) -> list[Mode]:
        modes = [Mode.Clipboard]
        if self._clipboard.supportsSelection():
            modes.append(Mode.Selection)
        return modes

    def holds_copied_text(self, mode: Mode = Mode.Clipboard) -> bool:
        """Whether `mode` still holds text this program copied."""
        if self._owns(mode):
            return True
        digest = self._copied.get(mode)
        return digest is not None and self._digest(self._clipboard.text(mode)) == digest

    def forget_copied_text(self) -> list[Mode]:
        """Clear the clipboard and the selection where they hold the program's text."""
        cleared = []
        for mode in self.modes():
            if mode in self._copied and self.holds_copied_text(mode):
                self._clipboard.clear(mode)
                cleared.append(mode)
        self._copied.clear()
        return cleared

    # ------------------------------------------------------------------ tracking
    def _on_changed(self, mode: Mode) -> None:
        if mode not in (Mode.Clipboard, Mode.Selection):
            return
        if self._owns(mode):
            text = self._clipboard.text(mode)
        elif _platform_reports_ownership():
            return  # another program's text: not read, not remembered
        else:
            text = self._clipboard.text(mode)
            if not _copied_from_here(text):
                return
        if text:
            self._copied[mode] = self._digest(text)

    def _owns(self, mode: Mode) -> bool:
        if mode == Mode.Selection:
            return self._clipboard.ownsSelection()
        return self._clipboard.ownsClipboard()

    def _digest(self, text: str) -> bytes:
        import hashlib  # here, not at start-up

        data = text.encode("utf-8", "surrogatepass")
        return hashlib.blake2b(data, key=self._key, digest_size=32).digest()


def _platform_reports_ownership() -> bool:
    return QGuiApplication.platformName().startswith(_REPORTS_OWNERSHIP)


def _copied_from_here(text: str) -> bool:
    """True if a text widget of the program has exactly `text` selected (a copy's source)."""
    if not text:
        return False
    from PySide6.QtWidgets import QApplication

    focus = QApplication.focusWidget()
    candidates = [focus] if focus is not None else []
    candidates += [w for w in QApplication.allWidgets() if w is not focus]
    return any(_selected_text(w) == text for w in candidates)


def _selected_text(widget: QWidget | None) -> str | None:
    from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QTextEdit

    if isinstance(widget, QLineEdit):
        return widget.selectedText()
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        return widget.textCursor().selectedText().replace(_PARAGRAPH_SEPARATOR, "\n")
    if isinstance(widget, QLabel):
        return widget.selectedText()
    return None
