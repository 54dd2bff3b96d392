"""Help > Check a Printed Summary…: type the code from the foot of a page and learn whether
that paper still matches the record, what was added since, or that it matches nothing here.

The answer is the same as `groupleader verify VAULT --pdf FILE.pdf` gives
(`groupleader.data.paper_codes.check_code`), run on a worker (it reads every session of
the vault), and never shows note text or a member's name. Enter checks; Esc closes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from groupleader.data import paper_codes
from groupleader.data.operations import query
from groupleader.errors import GroupLeaderError
from groupleader.ui.context import AppContext

HEADINGS = {
    paper_codes.MATCH: "This paper matches the record.",
    paper_codes.ADDED: "Something was added since this paper was printed.",
    paper_codes.CHANGED: "This paper no longer matches the record.",
    paper_codes.UNKNOWN: "This code matches nothing in this vault.",
    paper_codes.TYPO: "This looks like a typo, not a real code.",
}
NEXT_STEP = {
    paper_codes.MATCH: "Nothing it shows has changed since it was printed. The code vouches "
                       "for the record, not for the ink: if the paper's text looks altered, "
                       "compare it with a fresh export.",
    paper_codes.ADDED: "The paper is still what was signed, but it is no longer complete: "
                       "export the session or extract again to print what was added.",
    paper_codes.CHANGED: "Do not rely on this paper. Check the vault (File > Check Vault…) "
                         "and compare with your newest backup.",
    paper_codes.UNKNOWN: "Check that this is the vault the paper came from, and compare the "
                         "code with the paper once more.",
    paper_codes.TYPO: "Correct the code and press Enter to check again.",
}


class PaperCheckDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Check a Printed Summary")
        self.setMinimumWidth(460)
        intro = QLabel(
            "Type the verification code printed at the foot of each page of a session "
            "summary or member extract (after “Verify:”). Spaces, dashes and capitals do "
            "not matter.")
        intro.setWordWrap(True)
        label = QLabel("&Code:")
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText("16 characters, as on the page: 7KQ2-M9XD-…")
        self.code_edit.setMaxLength(40)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.TypeWriter)
        self.code_edit.setFont(mono)
        self.code_edit.setAccessibleName("Verification code")
        label.setBuddy(self.code_edit)
        self.heading = QLabel()
        bold = self.heading.font()
        bold.setBold(True)
        self.heading.setFont(bold)
        self.heading.setWordWrap(True)
        self.answer = QLabel()
        self.answer.setWordWrap(True)
        self.answer.setTextFormat(Qt.TextFormat.PlainText)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.check_button = QPushButton("C&heck")
        self.check_button.setDefault(True)
        self.buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        # Enter presses Check (the default button), never Close, even while checking.
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)
        close.setDefault(False)
        self.buttons.rejected.connect(self.reject)
        self.check_button.clicked.connect(self.check)
        self.code_edit.textEdited.connect(lambda _t: self._show_answer("", ""))

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(label)
        layout.addWidget(self.code_edit)
        layout.addWidget(self.heading)
        layout.addWidget(self.answer)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.last_check: paper_codes.PaperCheck | None = None
        self.busy = False
        self.code_edit.setFocus()

    def check(self) -> None:
        """Check the typed code on a worker; a typo is answered at once."""
        vault = self.ctx.vault
        typed = self.code_edit.text()
        if vault is None or self.busy:
            return
        self.last_check = None
        problem = paper_codes.typo_in(typed)
        if problem is not None:
            self._done(paper_codes.PaperCheck(typed.strip(), paper_codes.TYPO, (problem,)))
            return
        self.busy = True
        self._show_answer("Checking…", "")
        self.ctx.runner.start(lambda _progress: query(vault, paper_codes.check_code, typed),
                              self._done, self._failed)

    def _done(self, result: paper_codes.PaperCheck) -> None:
        self.busy = False
        self.last_check = result
        body = "\n".join(result.lines)
        self._show_answer(HEADINGS[result.outcome], f"{body}\n\n{NEXT_STEP[result.outcome]}")
        if result.outcome == paper_codes.TYPO:
            self.code_edit.setFocus()
            self.code_edit.selectAll()

    def _failed(self, err: GroupLeaderError) -> None:
        self.busy = False
        self.last_check = None
        self._show_answer("The code could not be checked.", err.message)

    def _show_answer(self, heading: str, text: str) -> None:
        self.heading.setText(heading)
        self.answer.setText(text)
