"""Keyboard entry of a paper questionnaire: a digit per item, moving on by itself.

The clinician reads the member's answers off the paper and types them: each digit answers
the current item and moves to the next; Space or "-" leaves the item blank and moves on;
Backspace goes back one item and clears it; Home goes to the first item; Return saves. When only the
total is known, "Total only" swaps the items for one number field. The running score
(with its band, or why it has none) shows below; `result()` is what would be saved.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from groupleader.errors import InvalidInput
from groupleader.measures import registry
from groupleader.measures.definition import Instrument
from groupleader.measures.scoring import Result, band, blank_risk_items, score, score_total

BLANK_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Minus)
# Only the keys 0-9 answer an item: "²", "٣" and other Unicode digits are ignored.
ASCII_DIGITS = frozenset("0123456789")


def describe(inst: Instrument, result: Result | None) -> str:
    """One line for the score as it stands: values, band, how it was scored, risk."""
    if result is None:
        return "No score yet."
    if not result.scored:
        return (f"{result.status.capitalize()}: {result.missing} items blank "
                f"(at most {inst.missing.prorate_up_to} can be).")
    parts = []
    for s in inst.series:
        v = result.values.get(s.key)
        if v is None:
            parts.append(f"{s.label} –")
        elif inst.scoring == "sum":
            b = band(inst, v)
            parts.append(f"{s.label} {v:g}" + (f" ({b.label})" if b else ""))
        else:
            parts.append(f"{s.label} {v:.2f}")
    text = ", ".join(parts)
    if result.status == "prorated":
        text += f"; prorated over {result.missing} blank"
        text += "s" if result.missing > 1 else ""
    elif result.status == "total only":
        text += "; total only"
    if result.risk:
        text += "; risk item " + ", ".join(
            f"{n} answered “{inst.option_label(a)}”" for n, a in result.risk)
    return text


def risk_unanswered(inst: Instrument, answers: list[int | None] | None) -> str:
    """The warning for risk items left blank on a typed form ("" when none)."""
    if answers is None or not any(a is not None for a in answers):
        return ""
    blank = blank_risk_items(inst, answers)
    if not blank:
        return ""
    which = ", ".join(str(n) for n in blank)
    return (f"Risk item {which} not answered: no risk entry can be opened from a blank, "
            "and it is not counted as 0. Ask the member.")


def parse_total(inst: Instrument, text: str) -> float:
    """A typed total: plain ASCII digits (a whole number) for a sum-scored instrument, a
    plain decimal ("3.5") for a mean-scored one; never Python number syntax ("1e1", "2_0")."""
    t = text.strip()
    whole = inst.scoring == "sum"
    if t and all(c in ASCII_DIGITS for c in t):
        return float(int(t))
    if not whole:
        head, dot, tail = t.partition(".")
        if dot and (head or tail) and all(c in ASCII_DIGITS for c in head + tail):
            return float(t)
    lo, hi = inst.score_range
    kind = "a whole number" if whole else "a number"
    raise InvalidInput(f"The {inst.name} total must be {kind} from {lo:g} to {hi:g}.",
                       field="total")


class ItemEntry(QFrame):
    """One form's items, answered from the keyboard."""

    changed = Signal()
    finished = Signal()  # the last item was answered
    submitted = Signal()  # Return: save the form as it stands

    def __init__(self, inst: Instrument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inst = inst
        self.answers: list[int | None] = [None] * inst.n_items
        self.touched = [False] * inst.n_items
        self.current = 0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"{inst.name} items")
        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        self._rows: list[tuple[QLabel, QLabel, QLabel]] = []
        for i, text in enumerate(inst.items):
            number = QLabel(f"{i + 1}.")
            item = QLabel(text)
            item.setTextFormat(Qt.TextFormat.PlainText)
            item.setWordWrap(True)
            answer = QLabel("")
            answer.setMinimumWidth(140)
            for col, w in enumerate((number, item, answer)):
                grid.addWidget(w, i, col)
            self._rows.append((number, item, answer))
        legend = "   ".join(f"{o.value} {o.label}" for o in inst.options)
        hint = QLabel(f"{legend}    Space: blank   Backspace: back")
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setWordWrap(True)
        grid.addWidget(hint, inst.n_items, 0, 1, 3)
        self._paint()

    def set_answers(self, answers: list[int | None]) -> None:
        self.answers = list(answers)
        self.touched = [a is not None for a in answers]
        self.current = 0
        self._paint()
        self.changed.emit()

    def _answer(self, value: int | None) -> None:
        self.answers[self.current] = value
        self.touched[self.current] = True
        if self.current + 1 < self.inst.n_items:
            self.current += 1
            self._paint()
            self.changed.emit()
        else:
            self._paint()
            self.changed.emit()
            self.finished.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        text = event.text()
        lo, hi = self.inst.min_value, self.inst.max_value
        if len(text) == 1 and text in ASCII_DIGITS and lo <= int(text) <= hi:
            self._answer(int(text))
        elif key in BLANK_KEYS:
            self._answer(None)
        elif key == Qt.Key.Key_Backspace:
            if self.current > 0 and not self.touched[self.current]:
                self.current -= 1
            self.answers[self.current] = None
            self.touched[self.current] = False
            self._paint()
            self.changed.emit()
        elif key == Qt.Key.Key_Up and self.current > 0:
            self.current -= 1
            self._paint()
        elif key == Qt.Key.Key_Down and self.current + 1 < self.inst.n_items:
            self.current += 1
            self._paint()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submitted.emit()
        elif key == Qt.Key.Key_Home:
            self.current = 0
            self._paint()
        else:
            super().keyPressEvent(event)

    def _paint(self) -> None:
        for i, (number, item, answer) in enumerate(self._rows):
            a = self.answers[i]
            if a is not None:
                answer.setText(f"{a}  {self.inst.option_label(a)}")
            else:
                answer.setText("blank" if self.touched[i] else "")
            bold = i == self.current
            for w in (number, item, answer):
                f = w.font()
                f.setBold(bold)
                w.setFont(f)

    def result(self) -> Result | None:
        if not any(self.touched):
            return None
        return score(self.inst, self.answers)


class ScoreEntry(QWidget):
    """Pick the instrument, then type the items (or only the total)."""

    changed = Signal()
    finished = Signal()
    submitted = Signal()
    instrument_chosen = Signal()  # the form shown is now of another instrument

    def __init__(self, parent: QWidget | None = None,
                 instruments: tuple[Instrument, ...] | None = None) -> None:
        super().__init__(parent)
        self._instruments = instruments if instruments is not None else registry.instruments()
        self.combo = QComboBox()
        self.combo.setAccessibleName("Instrument")
        for inst in self._instruments:
            self.combo.addItem(inst.name, inst.key)
        self.total_only = QCheckBox("Total only")
        self.total_edit = QLineEdit()
        self.total_edit.setPlaceholderText("Total")
        self.total_edit.setAccessibleName("Total")
        self.total_edit.setMaximumWidth(80)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.attribution = QLabel()
        self.attribution.setTextFormat(Qt.TextFormat.PlainText)
        self.attribution.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.combo)
        top.addWidget(self.total_only)
        top.addWidget(self.total_edit)
        top.addStretch(1)
        self._layout = QVBoxLayout(self)
        self._layout.addLayout(top)
        self.items: ItemEntry | None = None
        self._shown = registry.instrument(str(self.combo.currentData()))
        # Asked before another instrument replaces typed answers (the view asks save / back /
        # discard, as for a member switch); False puts the combo back.
        self.may_leave: Callable[[], bool] | None = None
        self.typed = False  # answers typed since the form was last cleared or loaded
        self._loading = False
        self._layout.addWidget(self.summary)
        self._layout.addWidget(self.attribution)
        self.combo.currentIndexChanged.connect(self._combo_changed)
        self.total_only.toggled.connect(self._mode_changed)
        self.total_edit.textChanged.connect(self._update)
        self.total_edit.returnPressed.connect(self.submitted)
        self._instrument_changed()

    @property
    def instrument(self) -> Instrument:
        """The instrument of the form shown (while a change of the combo is being asked
        about, still the one the typed answers are for)."""
        return self._shown

    def select(self, key: str) -> None:
        i = self.combo.findData(key)
        if i < 0:
            raise KeyError(key)
        self.combo.setCurrentIndex(i)

    def reset(self) -> None:
        """An empty form of the same instrument (after one was saved)."""
        self._instrument_changed()

    def load(self, answers: list[int | None] | None, total: float | None) -> None:
        """Show a stored form (its answers, or its total only); nothing counts as typed."""
        self._loading = True
        try:
            self._instrument_changed()
            if answers is not None and self.items is not None:
                self.items.set_answers(answers)
            elif total is not None:
                self.total_only.setChecked(True)
                self.total_edit.setText(f"{total:g}")
        finally:
            self._loading = False
        self.typed = False

    def complete(self) -> bool:
        """Whether the form is typed to its end (every item answered or left blank on
        purpose, or a valid total): what a lock may save without asking."""
        try:
            result = self.result()
        except InvalidInput:
            return False
        if result is None:
            return False
        if self.total_only.isChecked():
            return True
        return self.items is not None and all(self.items.touched)

    def progress(self) -> str:
        """How far the form is typed, for a message ("5 of 9 items")."""
        if self.total_only.isChecked() or self.items is None:
            return "its total"
        return f"{sum(self.items.touched)} of {self.instrument.n_items} items"

    @property
    def dirty(self) -> bool:
        """Typed answers that are not (yet) a stored form."""
        return self.typed and self._has_input()

    def _combo_changed(self) -> None:
        if str(self.combo.currentData()) == self._shown.key:
            return
        if self.dirty and self.may_leave is not None and not self.may_leave():
            self.combo.blockSignals(True)
            self.combo.setCurrentIndex(self.combo.findData(self._shown.key))
            self.combo.blockSignals(False)
            return
        self._instrument_changed()
        self.instrument_chosen.emit()

    def _instrument_changed(self) -> None:
        self.typed = False
        inst = self._shown = registry.instrument(str(self.combo.currentData()))
        if self.items is not None:
            self._layout.removeWidget(self.items)
            self.items.hide()
            self.items.deleteLater()
        self.items = ItemEntry(inst, self)
        self.items.changed.connect(self._update)
        self.items.finished.connect(self.finished)
        self.items.submitted.connect(self.submitted)
        self._layout.insertWidget(1, self.items)
        self.total_only.setEnabled(inst.total_only)
        if not inst.total_only:
            self.total_only.setChecked(False)
        self.total_edit.clear()
        self.attribution.setText(f"{inst.attribution} {inst.licence}")
        self._mode_changed()

    def _mode_changed(self) -> None:
        only = self.total_only.isChecked()
        self.total_edit.setVisible(only)
        if self.items is not None:
            self.items.setVisible(not only)
            (self.total_edit if only else self.items).setFocus()
        self._update()

    def result(self) -> Result | None:
        """The form as entered; InvalidInput for a total that is no number or out of range."""
        inst = self.instrument
        if self.total_only.isChecked():
            text = self.total_edit.text().strip()
            if not text:
                return None
            return score_total(inst, parse_total(inst, text))
        return self.items.result() if self.items is not None else None

    def answers(self) -> list[int | None] | None:
        """The item answers, or None when only a total is entered."""
        if self.total_only.isChecked() or self.items is None:
            return None
        return list(self.items.answers)

    def _update(self) -> None:
        try:
            text = describe(self.instrument, self.result())
        except InvalidInput as e:
            text = str(e)
        warning = risk_unanswered(self.instrument, self.answers())
        if warning and self.items is not None and (self._loading or any(
                any(self.items.touched[n - 1:]) for n in self.instrument.risk_items)):
            # once the risk item is passed (or a stored form is shown)
            text += "\n" + warning
        self.summary.setText(text)
        if not self._loading:
            self.typed = self.typed or self._has_input()
        self.changed.emit()

    def _has_input(self) -> bool:
        if self.total_only.isChecked():
            return bool(self.total_edit.text().strip())
        return self.items is not None and any(self.items.touched)
