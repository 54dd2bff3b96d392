"""Sign, addendum and co-sign: the status strip under each note, and the actions behind it.

Signing locks a note for good (the service refuses later edits, a trigger too), so it
asks first. The questions are module-level functions (``ask_confirmation``,
``ask_addendum_text``, ``ask_supervisor``) so tests can answer them without a modal
loop; errors never open a modal box: they go to the view's banner through ``report``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from groupleader import amendments
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import clinicians
from groupleader.data.snapshots import ClinicianSnap, MeetingSnap, NoteStatus
from groupleader.errors import GroupLeaderError
from groupleader.ui.context import AppContext
from groupleader.ui.sessions.sign_all import SignAllPlan, signed_message

_WORD = re.compile(r"\w+")
NO_PROFILE = (
    "Choose your clinician profile in Settings first: a note is signed in your name."
)


def local(moment: datetime) -> str:
    """An aware datetime in local time, e.g. "3 Mar 2026 18:05"."""
    here = moment.astimezone()
    return f"{here.day} {here:%b %Y %H:%M}"


def signed_line(status: NoteStatus | None) -> str:
    """The one line at the top of a note page: who signed it and when, or that it is a draft."""
    if status is None or not status.signed:
        return "Draft — not signed"
    assert status.signed_by is not None and status.signed_at is not None
    line = f"Signed by {status.signed_by.name}, {local(status.signed_at)}"
    if status.cosigned_by is not None and status.cosigned_at is not None:
        line += f" · Co-signed by {status.cosigned_by.name}, {local(status.cosigned_at)}"
    return line


def status_text(status: NoteStatus | None) -> str:
    """The line under a note: the signed line and what signing means, or the draft hint."""
    if status is None or not status.signed:
        return "Draft — saved as you type; sign when it is complete."
    return signed_line(status) + " — locked; corrections go in an addendum."


class SignedBanner(QLabel):
    """A coloured strip at the top of a note page: signed (green) or draft (amber).

    Both colours are set explicitly (text and background), so the strip reads the same in a
    light or a dark theme; the contrast is above 7:1 either way.
    """

    SIGNED = ("#e3f1e6", "#14401f")  # background, text
    DRAFT = ("#fdf1d8", "#4d3300")

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)  # clinician names show literally
        self.setWordWrap(True)
        self.setAccessibleName(f"{what} signature")
        self.setContentsMargins(10, 6, 10, 6)
        self.setAutoFillBackground(True)
        font = self.font()
        font.setBold(True)
        self.setFont(font)
        self.set_status(None)

    def set_status(self, status: NoteStatus | None) -> None:
        self.signed = status is not None and status.signed
        back, fore = self.SIGNED if self.signed else self.DRAFT
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Window, QColor(back))
        pal.setColor(QPalette.ColorRole.WindowText, QColor(fore))
        self.setPalette(pal)
        self.setText(("✓ " if self.signed else "") + signed_line(status))


# ---------------------------------------------------------------- questions (patchable)


def ask_confirmation(parent: QWidget, title: str, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Cancel, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    sign = box.addButton("Sign and lock", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(sign)
    box.exec()
    return box.clickedButton() is sign


class AddendumDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add an addendum")
        layout = QVBoxLayout(self)
        hint = QLabel("The addendum is dated and signed in your name, and shown below the "
                      "note. The note itself stays as it was signed.", self)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.edit = QPlainTextEdit(self)
        self.edit.setAccessibleName("Addendum text")
        self.edit.setTabChangesFocus(True)
        layout.addWidget(self.edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = buttons.addButton("Add addendum", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(480, 260)


def ask_addendum_text(parent: QWidget) -> str | None:
    dialog = AddendumDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.edit.toPlainText()


def ask_supervisor(parent: QWidget, supervisors: list[ClinicianSnap]) -> int | None:
    names = [s.name for s in supervisors]
    name, ok = QInputDialog.getItem(parent, "Co-sign", "Supervisor co-signing:", names, 0,
                                    False)
    return supervisors[names.index(name)].id if ok and name in names else None


# ---------------------------------------------------------------- actions


class Signer:
    """Runs sign / addendum / co-sign for one view; errors go to `report`."""

    def __init__(self, ctx: AppContext, parent: QWidget,
                 report: Callable[[str], None]) -> None:
        self.ctx = ctx
        self.parent = parent  # also the view its changes are announced from
        self.report = report

    def _confirm(self, description: str) -> bool:
        text = (f"Sign {description}?\n\nSigned notes are locked: they can no longer be "
                "edited, only completed with a dated addendum.")
        return ask_confirmation(self.parent, "Sign and lock", text)

    def sign(self, kind: str, note_id: int | None, description: str) -> bool:
        """Sign one note after a confirmation; True if it was signed."""
        if self.ctx.clinician_id is None:
            self.report(NO_PROFILE)
            return False
        if note_id is None:
            self.report("There is nothing to sign yet: write the note first.")
            return False
        if not self._confirm(description):
            return False
        signer = self.ctx.clinician_id
        try:
            self.ctx.run(lambda v: ops_notes.sign_note(v, kind, note_id, signer), self.parent)
        except GroupLeaderError as err:
            self.report(err.message)
            return False
        return True

    def sign_meeting(self, meeting: MeetingSnap, plan: SignAllPlan) -> int:
        """Sign all: one confirmation promising `plan`, then one unit of work that signs
        every written, unsigned group and member note of the session (all or nothing).
        Returns how many were signed; the status bar says so."""
        if self.ctx.clinician_id is None:
            self.report(NO_PROFILE)
            return 0
        if not plan.count:
            self.report("There is nothing to sign yet: write the notes first.")
            return 0
        if not self._confirm(plan.question(meeting.label)):
            return 0
        signer = self.ctx.clinician_id
        try:
            count = self.ctx.run(
                lambda v: ops_notes.sign_meeting_notes(v, meeting.id, signer), self.parent)
        except GroupLeaderError as err:
            self.report(err.message)
            return 0
        message = signed_message(count, meeting.label)
        self.ctx.status_message.emit(message)
        if count != plan.count:  # not what the question promised: say so where it stays
            self.report(message if count else
                        "Nothing was signed: this session has no unsigned note with text.")
        return count

    def addendum(self, kind: str, note_id: int) -> bool:
        if self.ctx.clinician_id is None:
            self.report(NO_PROFILE)
            return False
        body = ask_addendum_text(self.parent)
        if body is None:
            return False
        author = self.ctx.clinician_id
        try:
            self.ctx.run(lambda v: ops_notes.add_addendum(v, kind, note_id, author, body),
                         self.parent)
        except GroupLeaderError as err:
            self.report(err.message)
            return False
        return True

    def cosign(self, kind: str, note_id: int) -> bool:
        try:
            vault = self.ctx.require_vault()
            supervisors = query(vault, clinicians.list_clinicians, role="supervisor")
            if not supervisors:
                self.report("Add a supervisor profile in Settings to co-sign notes.")
                return False
            chosen = next((s.id for s in supervisors if s.id == self.ctx.clinician_id), None)
            if chosen is None:
                chosen = ask_supervisor(self.parent, supervisors)
            if chosen is None:
                return False
            supervisor = chosen
            self.ctx.run(lambda v: ops_notes.cosign_note(v, kind, note_id, supervisor),
                         self.parent)
        except GroupLeaderError as err:
            self.report(err.message)
            return False
        return True


# ---------------------------------------------------------------- the strip


class NoteStatusStrip(QWidget):
    """Under a note: its state, Sign / Addendum / Co-sign, and the addenda (oldest first)."""

    sign_clicked = Signal()
    addendum_clicked = Signal()
    cosign_clicked = Signal()

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        self.state = QLabel(self)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setWordWrap(True)
        self.state.setAccessibleName(f"{what} status")
        row.addWidget(self.state, 1)
        self.sign_button = QPushButton("Sign…", self)
        self.sign_button.setAccessibleName(f"Sign the {what}")
        self.addendum_button = QPushButton("Addendum…", self)
        self.addendum_button.setAccessibleName(f"Add an addendum to the {what}")
        self.cosign_button = QPushButton("Co-sign…", self)
        self.cosign_button.setAccessibleName(f"Co-sign the {what}")
        for button, signal in ((self.sign_button, self.sign_clicked),
                               (self.addendum_button, self.addendum_clicked),
                               (self.cosign_button, self.cosign_clicked)):
            button.clicked.connect(signal)
            row.addWidget(button)
        layout.addLayout(row)
        self.addenda = QLabel(self)
        self.addenda.setTextFormat(Qt.TextFormat.PlainText)
        self.addenda.setWordWrap(True)
        self.addenda.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.addenda.setAccessibleName(f"Addenda to the {what}")
        self.addenda.setFrameShape(QLabel.Shape.StyledPanel)
        self.addenda.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.addenda)
        self._plain = ""
        # names a member in an amendment's wording (the view sets it: the screen's names)
        self.member_label: Callable[[int], str] = lambda _member_id: "a member"
        self.set_status(None)

    def addendum_lines(self, status: NoteStatus | None) -> list[str]:
        """Each addendum and amendment, oldest first: when, who, and what it says."""
        lines = []
        for a in status.addenda if status else ():
            if a.is_amendment and a.change is not None:
                body = amendments.line(a.change, a.text, self.member_label)
                lines.append(f"Amendment, {local(a.created_at)}, {a.clinician_name}:\n{body}")
            else:
                lines.append(f"Addendum, {local(a.created_at)}, {a.clinician_name}:\n{a.text}")
        return lines

    def set_status(self, status: NoteStatus | None) -> None:
        signed = status is not None and status.signed
        self.state.setText(status_text(status))
        self.sign_button.setVisible(not signed)
        self.addendum_button.setVisible(signed)
        self.cosign_button.setVisible(signed and status is not None
                                      and status.cosigned_at is None)
        lines = self.addendum_lines(status)
        self.addenda.setTextFormat(Qt.TextFormat.PlainText)
        self.addenda.setText("\n\n".join(lines))
        self.addenda.setVisible(bool(lines))

    def highlight(self, query: str) -> bool:
        """Mark the words of `query` in the addenda (Find opened an addendum); True if found.

        The addenda are shown as plain text; to mark words the label switches to rich text
        built from the escaped text, so names with `<b>&` still show literally.
        """
        plain = self.addenda.text() if self.addenda.textFormat() == Qt.TextFormat.PlainText \
            else self._plain
        self._plain = plain
        words = [w for w in _WORD.findall(query) if w]
        if not plain or not words:
            return False
        pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
        parts, last, found = [], 0, False
        for match in pattern.finditer(plain):
            parts.append(html.escape(plain[last:match.start()]))
            parts.append(f'<span style="background-color:#ffe066; color:#000000;">'
                         f"{html.escape(match.group())}</span>")
            last, found = match.end(), True
        if not found:
            return False
        parts.append(html.escape(plain[last:]))
        self.addenda.setTextFormat(Qt.TextFormat.RichText)
        self.addenda.setText("".join(parts).replace("\n", "<br>"))
        return True

    def plain_addenda(self) -> str:
        """The addenda as plain text, marked or not."""
        if self.addenda.textFormat() == Qt.TextFormat.PlainText:
            return self.addenda.text()
        return self._plain


def show_addendum(editor: QWidget, query: str) -> bool:
    """Find opened an addendum: mark its words under `editor`'s note and scroll there."""
    strip = getattr(editor, "status", None)
    if not isinstance(strip, NoteStatusStrip):
        return False
    found = strip.highlight(query)
    scroll = getattr(editor, "_scroll", None)
    if scroll is not None:
        scroll.ensureWidgetVisible(strip.addenda)
    return found
