"""Plain-text note fields shared by the group, member and process note editors."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QKeyEvent,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from groupleader.ui.widgets import FieldError

_WORD = re.compile(r"\w+")


def mute(label: QWidget) -> None:
    """A secondary text colour that still reads well (about 5:1 on the window colour)."""
    pal = label.palette()
    text = pal.color(QPalette.ColorRole.WindowText)
    window = pal.color(QPalette.ColorRole.Window)
    mixed = QColor(round(text.red() * 0.7 + window.red() * 0.3),
                   round(text.green() * 0.7 + window.green() * 0.3),
                   round(text.blue() * 0.7 + window.blue() * 0.3))
    pal.setColor(QPalette.ColorRole.WindowText, mixed)
    label.setPalette(pal)


class _ReadOnlyFilter(QObject):
    """Eats what would change a control (clicks, wheel, keys other than Tab)."""

    BLOCKED = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
               QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel, QEvent.Type.KeyPress,
               QEvent.Type.KeyRelease}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in self.BLOCKED:
            return False
        if event.type() == QEvent.Type.Wheel:  # the control stays; the page scrolls on
            area = _scroll_area_of(watched)
            if area is not None:
                QCoreApplication.sendEvent(area.viewport(), event)
            return True
        # Tab and Shift+Tab still move on through the page
        moving = isinstance(event, QKeyEvent) and event.key() in (Qt.Key.Key_Tab,
                                                                   Qt.Key.Key_Backtab)
        return not moving


def _scroll_area_of(obj: QObject) -> QAbstractScrollArea | None:
    """The nearest scroll area around a widget (the page it sits on), if any."""
    widget = obj.parent() if isinstance(obj, QWidget) else None
    while isinstance(widget, QWidget):
        if isinstance(widget, QAbstractScrollArea):
            return widget
        widget = widget.parentWidget()
    return None


def set_control_read_only(widget: QWidget, locked: bool) -> None:
    """Make a check box or combo box read-only without greying it out.

    `setEnabled(False)` paints a signed note's factors in the disabled colour, hard to read;
    here the control keeps its normal colours and can still take focus (a screen reader
    reads it), but clicks, the wheel and keys other than Tab change nothing.
    """
    current = getattr(widget, "_read_only_filter", None)
    if locked and current is None:
        guard = _ReadOnlyFilter(widget)
        widget.installEventFilter(guard)
        widget._read_only_filter = guard  # type: ignore[attr-defined]
    elif not locked and current is not None:
        widget.removeEventFilter(current)
        current.deleteLater()
        widget._read_only_filter = None  # type: ignore[attr-defined]
    widget.setProperty("read_only", locked)


class NoteTextEdit(QPlainTextEdit):
    """A plain-text note field: Tab moves on, focus-out is announced (autosave flushes)."""

    focus_left = Signal()

    def __init__(self, accessible_name: str, parent: QWidget | None = None,
                 min_lines: int = 3, max_lines: int | None = 18) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self._min_lines, self._max_lines = min_lines, max_lines
        if max_lines is None:  # fills its page
            self.setMinimumHeight(self._height_for(min_lines))
        else:  # grows with its text, then scrolls
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.document().documentLayout().documentSizeChanged.connect(self._fit)
            self._fit()

    def _height_for(self, lines: int) -> int:
        margins = self.contentsMargins()
        doc_margin = int(self.document().documentMargin() * 2)
        return (self.fontMetrics().lineSpacing() * lines + margins.top() + margins.bottom()
                + doc_margin + 2)

    def _fit(self, *_: object) -> None:
        assert self._max_lines is not None
        lines = int(self.document().documentLayout().documentSize().height())
        self.setFixedHeight(self._height_for(min(max(lines + 1, self._min_lines),
                                                 self._max_lines)))

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.focus_left.emit()

    def lock(self, locked: bool) -> None:
        """Read-only, and visibly so (a signed note should not look editable)."""
        if getattr(self, "_locked", None) is locked:
            return  # as it is (a refill for another session changes nothing here)
        self._locked = locked
        self.setReadOnly(locked)
        pal = self.palette()
        parent = self.parentWidget()
        base = parent.palette() if parent is not None else QPalette()
        role = QPalette.ColorRole.Window if locked else QPalette.ColorRole.Base
        pal.setColor(QPalette.ColorRole.Base, base.color(role))
        self.setPalette(pal)

    def set_text_quietly(self, text: str) -> None:
        """Replace the text without announcing an edit (loading from the vault)."""
        self.blockSignals(True)
        try:
            self.setPlainText(text)
            self.setExtraSelections([])
        finally:
            self.blockSignals(False)

    def highlight(self, query: str) -> bool:
        """Mark every word of `query` (case-insensitive); put the cursor on the first."""
        selections: list[QTextEdit.ExtraSelection] = []
        fmt = QTextCharFormat()
        fmt.setBackground(QColor("#ffe066"))
        fmt.setForeground(QColor("#000000"))
        first: QTextCursor | None = None
        doc = self.document()
        for word in _WORD.findall(query):
            cursor = doc.find(word, 0)
            while not cursor.isNull():
                sel = QTextEdit.ExtraSelection()
                sel.cursor = cursor
                sel.format = fmt
                selections.append(sel)
                if first is None or cursor.selectionStart() < first.selectionStart():
                    first = QTextCursor(cursor)
                cursor = doc.find(word, cursor, QTextDocument.FindFlag(0))
        self.setExtraSelections(selections)
        if first is not None:
            first.setPosition(first.selectionStart())  # the caret before the word
            self.setTextCursor(first)
            self.ensureCursorVisible()
        return first is not None


class LabelledField(QWidget):
    """A bold label, a one-line hint, the text field, and a field error under it."""

    def __init__(self, label: str, hint: str, parent: QWidget | None = None,
                 min_lines: int = 3) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        title = QLabel(label, self)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        if hint:
            hint_label = QLabel(hint, self)
            hint_label.setWordWrap(True)
            mute(hint_label)
            layout.addWidget(hint_label)
        self.edit = NoteTextEdit(label, self, min_lines)
        title.setBuddy(self.edit)
        layout.addWidget(self.edit)
        self.error = FieldError(self)
        layout.addWidget(self.error)

    def show_error(self, message: str) -> None:
        self.error.show_message(message)

    def clear_error(self) -> None:
        self.error.clear_message()

