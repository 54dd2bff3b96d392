"""The review of a de-identified export, shown in the export dialog before anything is saved.

It lists every replacement in its sentence (the replacement highlighted) and every
possible name left (a capitalised word that is no known clinician, place or common word).
The user may choose a word, say whose it is (a member's other spelling) or that it is a
general term to hide, and press Hide, or press "Not a name" to keep it as it is in this
export (it is no longer listed; nothing is saved): the dialog re-renders the preview with the word
hidden and the review is computed again. What is chosen here is kept in the dialog only,
and written to the vault when the PDF is saved (`groupleader.data.operations.privacy`).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from groupleader.report.redact import PossibleName, Review

SHOWN_LIMIT = 400  # replacements listed; the count above says how many there were
MARK = "background-color: #ffe08a; color: #000000; font-weight: bold;"
TERM = None  # the "Hide as" choice for a general term to hide


def replacement_html(review: Review, originals: bool) -> str:
    """Each replacement in its sentence, the replacement highlighted (all text escaped).

    With `originals` the word replaced is shown before it ("Zoë → Z.L."); without (screen-
    share safe) only what will be printed.
    """
    lines = []
    for r in review.replacements[:SHOWN_LIMIT]:
        shown = (f"{html.escape(r.original)} → {html.escape(r.replacement)}" if originals
                 else html.escape(r.replacement))
        lines.append(f"…{html.escape(r.before)} <span style=\"{MARK}\">{shown}</span> "
                     f"{html.escape(r.after)}…")
    more = len(review.replacements) - SHOWN_LIMIT
    if more > 0:
        lines.append(f"<i>and {more} more</i>")
    if not lines:
        lines.append("<i>Nothing was replaced.</i>")
    return "<br>".join(lines)


def possible_text(p: PossibleName) -> str:
    return f"{p.word}   “…{p.before} {p.word} {p.after}…”"


class ReviewPanel(QGroupBox):
    """The review: replacements, possible names, and the controls to hide one more word."""

    hide_requested = Signal(str, object)  # the word, a member id or None (a general term)
    keep_requested = Signal(str)  # a word accepted as no name in this export

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Review before saving", parent)
        self.setAccessibleName("De-identification review")
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.replacements = QTextBrowser()
        self.replacements.setAccessibleName("Replacements in their sentences")
        self.replacements.setOpenLinks(False)
        self.replacements.setMinimumHeight(90)
        layout.addWidget(self.replacements, 2)
        possible_label = QLabel("&Possible names left:")
        layout.addWidget(possible_label)
        self.possible = QListWidget()
        self.possible.setAccessibleName("Possible names left")
        self.possible.setMinimumHeight(60)
        possible_label.setBuddy(self.possible)
        self.possible.currentItemChanged.connect(self._chosen)
        layout.addWidget(self.possible, 1)
        row = QHBoxLayout()
        word_label = QLabel("&Word:")
        self.word = QLineEdit()
        self.word.setAccessibleName("Word to hide")
        self.word.setPlaceholderText("a word or phrase to hide")
        self.word.setMaxLength(200)
        word_label.setBuddy(self.word)
        as_label = QLabel("&as:")
        self.owner = QComboBox()
        self.owner.setAccessibleName("Hide the word as")
        as_label.setBuddy(self.owner)
        self.hide_button = QPushButton("&Hide")
        self.hide_button.setAccessibleName("Hide the word")
        self.hide_button.clicked.connect(self.hide_word)
        self.keep_button = QPushButton("&Not a name")
        self.keep_button.setAccessibleName("Not a name: keep the word in this export")
        self.keep_button.setToolTip("Keep the word as it is in this export and stop "
                                    "listing it (nothing is saved to the vault)")
        self.keep_button.clicked.connect(self.keep_word)
        row.addWidget(word_label)
        row.addWidget(self.word, 1)
        for w in (as_label, self.owner, self.hide_button, self.keep_button):
            row.addWidget(w)
        layout.addLayout(row)
        self.pending = QLabel()
        self.pending.setTextFormat(Qt.TextFormat.PlainText)
        self.pending.setWordWrap(True)
        layout.addWidget(self.pending)
        self.set_members([])
        self.set_pending([])
        self.word.installEventFilter(self)
        self.possible.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the word or the list hides the word, and never presses the dialog's
        default button (Save)."""
        if (watched in (self.word, self.possible) and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.hide_word()
            return True
        return super().eventFilter(watched, event)

    def set_members(self, members: list[tuple[int, str]]) -> None:
        """The choices of "as": a general term, or the other spelling of one of `members`."""
        self.owner.clear()
        self.owner.addItem("a general term to hide (every export)", TERM)
        for member_id, label in members:
            self.owner.addItem(f"another spelling of {label}", member_id)

    def show_review(self, review: Review, originals: bool, note: str = "") -> None:
        left = review.possible_words()
        self.summary.setText(
            f"{len(review.replacements)} replacement{'s' if len(review.replacements) != 1 else ''}"
            f"; {len(left)} possible name{'s' if len(left) != 1 else ''} left{note}. "
            "Pseudonymised for supervision, not HIPAA Safe Harbor de-identification: "
            "dates, the group's name, clinicians' names, places and events remain.")
        self.replacements.setHtml(replacement_html(review, originals))
        self.possible.clear()
        seen: set[str] = set()
        for p in review.possible:
            if p.word in left and p.word not in seen:
                seen.add(p.word)
                item = QListWidgetItem(possible_text(p))
                item.setData(Qt.ItemDataRole.UserRole, p.word)
                self.possible.addItem(item)
        if self.possible.count():
            self.possible.setCurrentRow(0)

    def set_pending(self, pending: list[str], kept: str = "") -> None:
        text = ("Saved to the vault with the PDF: " + "; ".join(pending) if pending
                else "Words you hide here are saved to the vault only when you save the PDF.")
        if kept:
            text += f" Kept as no name in this export: {kept}."
        self.pending.setText(text)

    def _chosen(self, item: QListWidgetItem | None, _old: object = None) -> None:
        if item is not None:
            self.word.setText(str(item.data(Qt.ItemDataRole.UserRole)))

    def keep_word(self) -> None:
        word = " ".join(self.word.text().split())
        if word:
            self.keep_requested.emit(word)

    def hide_word(self) -> None:
        word = " ".join(self.word.text().split())
        if word:
            self.hide_requested.emit(word, self.owner.currentData())
