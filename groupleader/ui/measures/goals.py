"""A member's goals for the group: set (one to three, with their history) in a dialog, and
rated session by session in the member's note (worse / same / better, or 0 to 10).

The note's box only shows and rates: the caller gives it the goals in force on the
session's day (`goals.goals_at`) and a function that saves one rating.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from groupleader.data.measures_snapshots import GoalRatingSnap, GoalSnap, GoalSpec
from groupleader.data.services.goals import DIRECTION_LABELS, MAX_GOALS

SCALES = (("direction", "worse / same / better"), ("zero_ten", "0 to 10"))


def rating_choices(scale: str) -> list[tuple[str, int | None]]:
    first: list[tuple[str, int | None]] = [("not rated", None)]
    if scale == "direction":
        return first + [(label, value) for value, label in DIRECTION_LABELS.items()]
    return first + [(str(v), v) for v in range(11)]


class GoalsBox(QGroupBox):
    """The member's goals in their note, each with this session's rating, and the
    questionnaires due from the member at this session."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Goals for the group", parent)
        col = QVBoxLayout(self)
        self.due = QLabel()
        self.due.setTextFormat(Qt.TextFormat.PlainText)
        self.due.setWordWrap(True)
        self.due.setAccessibleName("Questionnaires due")
        col.addWidget(self.due)
        self.form = QFormLayout()
        col.addLayout(self.form)
        self.combos: dict[int, QComboBox] = {}
        self.hide()

    def show_due(self, text: str) -> None:
        """"Questionnaires due: CORE-10 (entered), GCQ-S", or "" when none is due."""
        self.due.setText(text)
        self.due.setVisible(bool(text))
        self.setVisible(bool(text) or bool(self.combos))

    def show_goals(self, ratings: Sequence[GoalRatingSnap],
                   save: Callable[[int, int | None], bool], locked: bool = False) -> None:
        """Show the goals; `save(goal_id, value)` writes a rating (False: it failed and
        the choice goes back)."""
        while self.form.rowCount():
            self.form.removeRow(0)
        self.combos = {}
        for r in ratings:
            combo = QComboBox()
            combo.setAccessibleName(f"Progress on goal {r.goal.position}")
            for label, value in rating_choices(r.goal.scale):
                combo.addItem(label, value)
            combo.setCurrentIndex(max(0, combo.findData(r.value)))
            combo.setEnabled(not locked)
            goal_id, shown = r.goal.id, combo.currentIndex()

            def changed(_: int, c: QComboBox = combo, gid: int = goal_id,
                        before: list[int] = [shown]) -> None:  # noqa: B006
                if save(gid, c.currentData()):
                    before[0] = c.currentIndex()
                else:
                    c.blockSignals(True)
                    c.setCurrentIndex(before[0])
                    c.blockSignals(False)

            combo.currentIndexChanged.connect(changed)
            text = QLabel(f"{r.goal.position}. {r.goal.text}")
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.setWordWrap(True)
            self.form.addRow(text, combo)
            self.combos[goal_id] = combo
        self.setTitle("Goals for the group" if ratings else "Questionnaires")
        self.setVisible(bool(ratings) or bool(self.due.text()))


def history_text(history: Sequence[GoalSnap]) -> str:
    lines = []
    for g in history:
        if g.replaced_on is not None:
            lines.append(f"{g.position}. “{g.text}” (set {g.set_on:%d %b %Y}, "
                         f"changed {g.replaced_on:%d %b %Y})")
    return "\n".join(lines) or "No earlier wording."


class GoalsDialog(QDialog):
    """Set or edit a member's one to three goals; earlier wordings are listed below."""

    def __init__(self, name: str, current: Sequence[GoalSnap], history: Sequence[GoalSnap],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Goals: {name}")
        form = QFormLayout()
        self.texts: list[QLineEdit] = []
        self.scales: list[QComboBox] = []
        by_position = {g.position: g for g in current}
        for position in range(1, MAX_GOALS + 1):
            g = by_position.get(position)
            text = QLineEdit(g.text if g else "")
            text.setAccessibleName(f"Goal {position}")
            scale = QComboBox()
            for key, label in SCALES:
                scale.addItem(label, key)
            scale.setCurrentIndex(max(0, scale.findData(g.scale if g else "direction")))
            row = QHBoxLayout()
            row.addWidget(text, 1)
            row.addWidget(scale)
            form.addRow(f"Goal {position}", row)
            self.texts.append(text)
            self.scales.append(scale)
        earlier = QLabel(history_text(history))
        earlier.setTextFormat(Qt.TextFormat.PlainText)
        earlier.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        col = QVBoxLayout(self)
        col.addLayout(form)
        col.addWidget(QLabel("Earlier wording"))
        col.addWidget(earlier)
        col.addWidget(buttons)

    def specs(self) -> list[GoalSpec]:
        return [GoalSpec(i + 1, t.text(), str(s.currentData()))
                for i, (t, s) in enumerate(zip(self.texts, self.scales, strict=True))]
