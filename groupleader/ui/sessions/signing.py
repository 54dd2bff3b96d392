"""Sign, addendum and co-sign: the status strip under each note, and the actions behind it.

Signing locks a note for good (the service refuses later edits, a trigger too), so it
asks first: what is signed, who signs, and the signer's PIN (`groupleader.ui.pin_dialogs`;
the operation checks the PIN). Before that, member notes written word for word alike are
flagged (`groupleader.cloned_notes`). Co-signing asks who co-signs and their PIN, and
never changes the program's owner ("I am" in Settings). An addendum (and an amendment,
`sessions.view`) asks for its author's PIN the same way; a wrong one keeps what was typed.
The questions are module-level functions (``pin_dialogs.ask_signing_pin``,
``pin_dialogs.ask_cosigner``, ``ask_sign_anyway``, ``ask_addendum_text``) so tests can
answer them without a modal loop; errors never open a modal box: they go to the view's
banner through ``report``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from groupleader import amendments
from groupleader.cloned_notes import Clone, warning_text
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import clinicians
from groupleader.data.snapshots import ClinicianSnap, MeetingSnap, NoteStatus
from groupleader.errors import GroupLeaderError, PinLockedOut, PinNotSet, WrongPin
from groupleader.ui import pin_dialogs
from groupleader.ui.context import AppContext
from groupleader.ui.sessions.sign_all import SignAllPlan, signed_message

_WORD = re.compile(r"\w+")
ADDENDUM_PIN_TEXT = (
    "Add this addendum in your name?\n\nIt is dated and kept below the note for good; "
    "the note itself stays as it was signed."
)
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
    line = f"Signed as author by {status.signed_by.printed_name}, {local(status.signed_at)}"
    if status.cosigned_by is not None and status.cosigned_at is not None:
        line += (f" · Co-signed as supervisor (reviewed) by {status.cosigned_by.printed_name}, "
                 f"{local(status.cosigned_at)}")
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


def ask_sign_anyway(parent: QWidget, text: str) -> bool:
    """The cloned-note warning: True to sign anyway, False to go back and edit."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Identical member notes", text,
                      QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    back = box.addButton("Go back and edit", QMessageBox.ButtonRole.RejectRole)
    anyway = box.addButton("Sign anyway", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    box.exec()
    return box.clickedButton() is anyway


class AddendumDialog(QDialog):
    """The addendum's text; `problem` (a wrong PIN, say) shows above it, the text kept."""

    def __init__(self, parent: QWidget | None = None, text: str = "",
                 problem: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add an addendum")
        layout = QVBoxLayout(self)
        hint = QLabel("The addendum is dated and signed in your name, and shown below the "
                      "note. The note itself stays as it was signed.", self)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.error = QLabel(problem or "", self)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Problem")
        self.error.setVisible(bool(problem))
        layout.addWidget(self.error)
        self.edit = QPlainTextEdit(self)
        self.edit.setAccessibleName("Addendum text")
        self.edit.setTabChangesFocus(True)
        self.edit.setPlainText(text)
        layout.addWidget(self.edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = buttons.addButton("Add addendum", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(480, 260)


def ask_addendum_text(parent: QWidget, text: str = "", problem: str | None = None
                      ) -> str | None:
    """The addendum's text (starting from `text`, with `problem` shown), or None."""
    dialog = AddendumDialog(parent, text, problem)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.edit.toPlainText()


# ---------------------------------------------------------------- actions


def signing_profile(ctx: AppContext, parent: QWidget,
                    report: Callable[[str], None]) -> ClinicianSnap | None:
    """The profile that signs ("I am" in Settings), with a PIN: a profile without one is
    asked to set it first. None (after saying why) when there is none."""
    if ctx.clinician_id is None:
        report(NO_PROFILE)
        return None
    try:
        me = query(ctx.require_vault(), clinicians.get_clinician, ctx.clinician_id)
    except GroupLeaderError as err:
        report(err.message)
        return None
    if not me.has_pin:
        set_now = pin_dialogs.ask_new_pin(
            ctx, parent, me, "Set your signing PIN first: from now on notes are signed in "
            "your name only with it. Use at least 4 characters; a passphrase works too.")
        if set_now is None:
            report(PinNotSet.default_message)
            return None
        me = set_now
    return me


def cosign_notes(ctx: AppContext, parent: QWidget, items: list[tuple[str, int]],
                 description: str, report: Callable[[str], None]) -> int:
    """Ask who co-signs (a supervisor profile) and their PIN, then co-sign `items` in one
    unit of work; how many were co-signed (0 after saying why). The program's owner
    (`ctx.clinician_id`, "I am" in Settings) is never changed."""
    try:
        supervisors = query(ctx.require_vault(), clinicians.list_clinicians, role="supervisor")
    except GroupLeaderError as err:
        report(err.message)
        return 0
    if not supervisors:
        report("Add a supervisor profile in Settings to co-sign notes.")
        return 0
    text = f"Co-sign {description}?"
    answer = pin_dialogs.ask_cosigner(parent, supervisors, text, ctx.clinician_id)
    if answer is None:
        return 0
    supervisor, pin = answer
    try:
        return ctx.run(lambda v: ops_notes.cosign_notes(v, items, supervisor, pin=pin), parent)
    except GroupLeaderError as err:
        report(err.message)
        return 0


class Signer:
    """Runs sign / addendum / co-sign for one view; errors go to `report`."""

    def __init__(self, ctx: AppContext, parent: QWidget,
                 report: Callable[[str], None]) -> None:
        self.ctx = ctx
        self.parent = parent  # also the view its changes are announced from
        self.report = report

    def _pin(self, signer: ClinicianSnap, description: str) -> str | None:
        text = (f"Sign {description}?\n\nSigned notes are locked: they can no longer be "
                "edited, only completed with a dated addendum.")
        return pin_dialogs.ask_signing_pin(self.parent, "Sign and lock", text, signer)

    def _not_cloned(self, clones: Sequence[Clone]) -> bool:
        """No clone, or the clinician chose to sign anyway."""
        return not clones or ask_sign_anyway(self.parent, warning_text(list(clones)))

    def sign(self, kind: str, note_id: int | None, description: str,
             clones: Sequence[Clone] = ()) -> bool:
        """Sign one note after the clone check and the signer's PIN; True if signed."""
        if self.ctx.clinician_id is None:
            self.report(NO_PROFILE)
            return False
        if note_id is None:
            self.report("There is nothing to sign yet: write the note first.")
            return False
        signer = signing_profile(self.ctx, self.parent, self.report)
        if signer is None or not self._not_cloned(clones):
            return False
        pin = self._pin(signer, description)
        if pin is None:
            return False
        try:
            self.ctx.run(lambda v: ops_notes.sign_note(v, kind, note_id, signer.id, pin=pin),
                         self.parent)
        except GroupLeaderError as err:
            self.report(err.message)
            return False
        return True

    def sign_meeting(self, meeting: MeetingSnap, plan: SignAllPlan,
                     clones: Sequence[Clone] = ()) -> int:
        """Sign all: the clone check, one PIN prompt promising `plan`, then one unit of
        work that signs every written, unsigned group and member note of the session (all
        or nothing). Returns how many were signed; the status bar says so."""
        if self.ctx.clinician_id is None:
            self.report(NO_PROFILE)
            return 0
        if not plan.count:
            self.report("There is nothing to sign yet: write the notes first.")
            return 0
        signer = signing_profile(self.ctx, self.parent, self.report)
        if signer is None or not self._not_cloned(clones):
            return 0
        pin = self._pin(signer, plan.question(meeting.label))
        if pin is None:
            return 0
        try:
            count = self.ctx.run(
                lambda v: ops_notes.sign_meeting_notes(v, meeting.id, signer.id, pin=pin),
                self.parent)
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
        """An addendum in the author's name, with their PIN (a profile without one sets it
        first). A wrong PIN, or cancelling the PIN, goes back to the text as it was typed;
        True if added."""
        author = signing_profile(self.ctx, self.parent, self.report)
        if author is None:
            return False
        body: str | None = ""
        problem: str | None = None
        while True:
            body = ask_addendum_text(self.parent, body or "", problem)
            if body is None:
                return False
            pin = pin_dialogs.ask_signing_pin(
                self.parent, "Add an addendum", ADDENDUM_PIN_TEXT, author, "Add addendum")
            if pin is None:
                problem = None
                continue
            try:
                self._add_addendum(kind, note_id, author.id, body, pin)
            except (WrongPin, PinLockedOut) as err:
                problem = err.message
                continue
            except GroupLeaderError as err:
                self.report(err.message)
                return False
            return True

    def _add_addendum(self, kind: str, note_id: int, author: int, text: str, pin: str) -> None:
        self.ctx.run(lambda v: ops_notes.add_addendum(v, kind, note_id, author, text, pin=pin),
                     self.parent)

    def cosign(self, kind: str, note_id: int, description: str = "this note") -> bool:
        return cosign_notes(self.ctx, self.parent, [(kind, note_id)], description,
                            self.report) > 0


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
