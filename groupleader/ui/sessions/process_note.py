"""The private process note: its own page, never beside the progress notes.

Process (psychotherapy) notes are the leader's own working notes: kept apart from the
clinical record's progress notes and left out of every export unless the user asks.
The page says so in a header that cannot be mistaken for the progress-note panes, and
its text is read from the vault only when the page is opened.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from groupleader.data.snapshots import NoteStatus
from groupleader.ui.sessions.editors import NoteTextEdit
from groupleader.ui.sessions.signing import NoteStatusStrip, SignedBanner
from groupleader.ui.widgets import heading_font

HEADER = "Private process note — kept apart, left out of exports"


class ProcessNotePage(QWidget):
    edited = Signal()
    focus_left = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("process-note-pane")
        self.loaded_for: int | None = None  # the meeting whose note is shown
        self.note_id: int | None = None
        layout = QVBoxLayout(self)
        band = QFrame(self)
        band.setAutoFillBackground(True)
        pal = band.palette()
        pal.setColor(QPalette.ColorRole.Window, QColor("#3b2a4f"))
        pal.setColor(QPalette.ColorRole.WindowText, QColor("#ffffff"))
        band.setPalette(pal)
        band_layout = QVBoxLayout(band)
        band_layout.setContentsMargins(12, 10, 12, 10)
        self.header = QLabel(HEADER, band)
        self.header.setFont(heading_font(self.font(), 1.2))
        self.header.setAccessibleName("Private process note")
        self.header.setWordWrap(True)
        explain = QLabel(
            "Your own working notes about this session: not part of the progress notes, "
            "not in PDF summaries unless you ask for them (with a warning), and found by "
            "Find only when \"include process notes\" is ticked.", band)
        explain.setWordWrap(True)
        band_layout.addWidget(self.header)
        band_layout.addWidget(explain)
        layout.addWidget(band)
        self.signature = SignedBanner("process note", self)
        layout.addWidget(self.signature)
        self.edit = NoteTextEdit("Private process note", self, min_lines=10, max_lines=None)
        self.edit.textChanged.connect(self.edited)
        self.edit.focus_left.connect(self.focus_left)
        self.edit.setFrameShape(QFrame.Shape.Box)
        layout.addWidget(self.edit, 1)
        self.status = NoteStatusStrip("process note", self)
        layout.addWidget(self.status)

    def load(self, meeting_id: int | None, text: str, note_id: int | None,
             status: NoteStatus | None) -> None:
        self.loaded_for = meeting_id
        self.note_id = note_id
        self.blockSignals(True)
        try:
            self.edit.set_text_quietly(text)
        finally:
            self.blockSignals(False)
        self.set_status(status)

    def set_status(self, status: NoteStatus | None) -> None:
        self.status.set_status(status)
        self.signature.set_status(status)
        self.edit.lock(status is not None and status.signed)

    def value(self) -> str:
        return self.edit.toPlainText()

    def clear(self) -> None:
        self.load(None, "", None, None)

    def highlight(self, query: str) -> bool:
        found = self.edit.highlight(query)
        if found:
            self.edit.setFocus()
        return found

