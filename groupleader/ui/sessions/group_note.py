"""The group note editor: the model's template, in plain text, with Yalom's factors.

The widget only holds and shows ``GroupNoteFields``; the view saves them (autosave) and
signs them. ``edited`` fires on every change the user makes, never on a load.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from groupleader.data.snapshots import GroupNoteFields, NoteStatus
from groupleader.factors import FACTORS
from groupleader.note_fields import GROUP_NOTE, STAGES, NoteField
from groupleader.ui.sessions.editors import (
    LabelledField,
    NoteTextEdit,
    mute,
    set_control_read_only,
)
from groupleader.ui.sessions.note_fields import NoteFields
from groupleader.ui.sessions.signing import NoteStatusStrip, SignedBanner

NOT_NOTED = "— not noted —"  # the stage box's first choice: no stage


def _with_mnemonic(label: str, letter: str) -> str:
    """`label` with "&" before the first `letter` (any case): its Alt shortcut."""
    i = label.lower().find(letter.lower())
    return label if i < 0 else f"{label[:i]}&{label[i:]}"


class GroupNoteEditor(QWidget):
    """The group-level progress note of one session."""

    edited = Signal()
    focus_left = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("group-note-pane")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.signature = SignedBanner("group note", self)
        outer.addWidget(self.signature)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget(scroll)
        scroll.setWidget(body)
        self._scroll = scroll
        layout = QVBoxLayout(body)
        layout.setSpacing(10)
        self.fields = NoteFields()
        for spec in GROUP_NOTE:  # the template, in its order (groupleader/note_fields.py)
            if spec.kind == "factors":
                layout.addWidget(self._build_factors(spec, body))
            elif spec.kind == "stage":
                layout.addWidget(self._build_stage(spec, body))
            else:
                layout.addWidget(self.fields.add(
                    spec.key, LabelledField(spec.label, spec.hint, body), self.edited,
                    self.focus_left))
        self.status = NoteStatusStrip("group note", body)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def _build_factors(self, spec: NoteField, parent: QWidget) -> QGroupBox:
        box = QGroupBox(spec.label, parent)
        grid = QGridLayout(box)
        grid.setVerticalSpacing(0)
        grid.setColumnStretch(0, 1)
        self.factor_boxes: dict[str, QCheckBox] = {}
        for row, factor in enumerate(FACTORS):
            check = QCheckBox(factor.label, box)
            check.setToolTip(factor.explanation)
            check.setAccessibleName(factor.label)
            check.setAccessibleDescription(factor.explanation)
            check.toggled.connect(self.edited)
            explain = QLabel(factor.explanation, box)
            explain.setWordWrap(True)
            mute(explain)
            explain.setBuddy(check)
            # Side by side the long factor names (about 330 px) and their explanations do
            # not fit a 1024-pixel window: each explanation sits under its box instead.
            explain.setContentsMargins(24, 0, 0, 4)
            grid.addWidget(check, 2 * row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(explain, 2 * row + 1, 0, Qt.AlignmentFlag.AlignTop)
            self.factor_boxes[factor.key] = check
        return box

    def _build_stage(self, spec: NoteField, parent: QWidget) -> QWidget:
        holder = QWidget(parent)
        layout = QGridLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(_with_mnemonic(spec.label, "s"), holder)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        self.stage = QComboBox(holder)
        self.stage.setAccessibleName(spec.label)
        self.stage.addItem(NOT_NOTED, None)
        for stage in STAGES:
            self.stage.addItem(stage.label, stage.key)
        self.stage.currentIndexChanged.connect(self.edited)
        label.setBuddy(self.stage)
        layout.addWidget(label, 0, 0)
        layout.addWidget(self.stage, 0, 1)
        layout.setColumnStretch(2, 1)
        return holder

    # ------------------------------------------------------------ data
    def edits(self) -> list[NoteTextEdit]:
        return self.fields.edits()

    def value(self) -> GroupNoteFields:
        texts = self.fields.texts()
        keys = tuple(k for k, box in self.factor_boxes.items() if box.isChecked())
        return GroupNoteFields(factors=keys, stage=self.stage.currentData(), **texts)

    def load(self, fields: GroupNoteFields | None, status: NoteStatus | None) -> None:
        """Show a saved note (or an empty one) without announcing an edit."""
        fields = fields or GroupNoteFields()
        self.blockSignals(True)
        try:
            self.fields.load(fields)
            for key, box in self.factor_boxes.items():
                box.setChecked(key in fields.factors)
            index = self.stage.findData(fields.stage) if fields.stage else 0
            self.stage.setCurrentIndex(max(index, 0))
        finally:
            self.blockSignals(False)
        self.set_status(status)
        self._scroll.verticalScrollBar().setValue(0)

    def set_status(self, status: NoteStatus | None) -> None:
        self.status.set_status(status)
        self.signature.set_status(status)
        self.set_read_only(status is not None and status.signed)

    def set_read_only(self, locked: bool) -> None:
        """Signed: nothing can change, but everything keeps its normal, legible colours."""
        self.fields.lock(locked)
        for box in self.factor_boxes.values():
            set_control_read_only(box, locked)
        set_control_read_only(self.stage, locked)

    @property
    def read_only(self) -> bool:
        return self.fields["themes"].edit.isReadOnly()

    def show_field_error(self, field: str | None, message: str) -> None:
        self.fields.show_error(field, message)

    def clear_errors(self) -> None:
        self.fields.clear_errors()

    def append_here_and_now(self, line: str) -> None:
        """Add a stamped quick note as a new paragraph of the here-and-now field."""
        edit = self.fields["here_and_now"].edit
        current = edit.toPlainText()
        sep = "" if not current or current.endswith("\n") else "\n"
        cursor = QTextCursor(edit.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(sep + line)  # announces an edit (autosave follows) and can be undone

    def highlight(self, query: str) -> bool:
        return self.fields.highlight(query, self._scroll)

    def clear(self) -> None:
        self.load(None, None)
