"""Small shared widgets: error banner, field error, passphrase edit, strength meter,
empty state, and a helper that runs slow work off the UI thread.

Colours come from the platform palette (or are chosen against it), so light and dark
schemes both stay readable. Every label that may show user text is set to plain text.

Start-up note: the unlock page is built from these widgets, so nothing here touches the
`Qt` namespace or `QStyle` while constructing them (PySide6 builds those types lazily, and
the `Qt` namespace alone costs about 25 ms); they are imported where a message is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from groupleader import passphrases

if TYPE_CHECKING:
    import logging

# The same rule as the vault's (both come from the pure `groupleader.passphrases`), without
# importing the data layer, which pulls in SQLAlchemy, on the first screen.
MIN_PASSPHRASE_LENGTH = passphrases.MIN_LENGTH


def _log() -> logging.Logger:
    """The module's logger (logging is imported only when something goes wrong)."""
    import logging

    return logging.getLogger(__name__)


# ---------------------------------------------------------------------- colours


def is_dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Window).lightness() < 128


def error_color(widget: QWidget) -> QColor:
    """A red that reads well on the widget's own background, light or dark."""
    return QColor("#ff8a80") if is_dark(widget) else QColor("#b3261e")


def ok_color(widget: QWidget) -> QColor:
    return QColor("#81c995") if is_dark(widget) else QColor("#1e7b34")


def _set_text_color(label: QWidget, color: QColor) -> None:
    pal = label.palette()
    pal.setColor(QPalette.ColorRole.WindowText, color)
    label.setPalette(pal)


def heading_font(base: QFont, scale: float = 1.5, bold: bool = True) -> QFont:
    font = QFont(base)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    return font


# ---------------------------------------------------------------------- messages


class FieldError(QLabel):
    """A small message shown under (beside) one form field; hidden when empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        # Expanding: a form only widens fields that ask to grow, and a wrapped label
        # left at its size hint is cut off.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setAccessibleName("Field error")
        self.hide()

    def show_message(self, message: str) -> None:
        from PySide6.QtCore import Qt

        self.setTextFormat(Qt.TextFormat.PlainText)
        _set_text_color(self, error_color(self))
        self.setText(message)
        self.setVisible(bool(message))

    def clear_message(self) -> None:
        self.setText("")
        self.hide()


def reserved(widget: QWidget, lines: int) -> QWidget:
    """`widget` in a holder that keeps `lines` lines of room while it is hidden or short,
    so a message that comes and goes as the user types (an error under a field) never
    moves the fields and buttons below it: the next click lands where it was aimed."""
    holder = QWidget(widget.parentWidget())
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget)
    layout.addStretch(1)
    holder.setMinimumHeight(widget.fontMetrics().lineSpacing() * lines + 16)
    return holder


class ErrorBanner(QFrame):
    """A calm message across the top of a page, with optional "way on" buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setAccessibleName("Message")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        self._icon = QLabel(self)
        self._icon.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        layout.addWidget(self._icon)
        self._layout = layout
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.label, 1)
        self._buttons = QHBoxLayout()
        layout.addLayout(self._buttons)
        self._button_widgets: list[QPushButton] = []
        self.hide()

    def show_message(
        self,
        message: str,
        actions: list[tuple[str, Callable[[], None]]] | None = None,
        *,
        kind: str = "error",
    ) -> None:
        """Show `message` (plain text); `actions` are (button text, callback) ways on."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QStyle

        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._layout.setAlignment(self._icon, Qt.AlignmentFlag.AlignTop)
        icon = {
            "error": QStyle.StandardPixmap.SP_MessageBoxWarning,
            "info": QStyle.StandardPixmap.SP_MessageBoxInformation,
        }[kind]
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        self._icon.setPixmap(self.style().standardIcon(icon).pixmap(size, size))
        pal = self.palette()
        parent = self.parentWidget()
        base = parent.palette() if parent is not None else pal
        tint = error_color(self) if kind == "error" else base.color(QPalette.ColorRole.Highlight)
        window = base.color(QPalette.ColorRole.Window)
        # A faint wash of the tint over the window colour: readable in light and dark.
        mixed = QColor(
            round(window.red() * 0.85 + tint.red() * 0.15),
            round(window.green() * 0.85 + tint.green() * 0.15),
            round(window.blue() * 0.85 + tint.blue() * 0.15),
        )
        pal.setColor(QPalette.ColorRole.Window, mixed)
        self.setPalette(pal)
        self.label.setText(message)
        for button in self._button_widgets:
            button.deleteLater()
        self._button_widgets = []
        for text, callback in actions or []:
            button = QPushButton(text, self)
            button.setAccessibleName(text.rstrip("…."))
            button.clicked.connect(callback)
            self._buttons.addWidget(button)
            self._button_widgets.append(button)
        self.show()

    def clear_message(self) -> None:
        self.label.setText("")
        for button in self._button_widgets:
            button.deleteLater()
        self._button_widgets = []
        self.hide()

    @property
    def action_buttons(self) -> list[QPushButton]:
        return list(self._button_widgets)


class LockableDialog(QDialog):
    """A dialog the lock closes with `close_now()`: at once, asking nothing, dropping
    what it shows (a plain dialog is simply rejected)."""

    def close_now(self) -> None:
        self.reject()


class EmptyState(QWidget):
    """A centred title, explanation and an optional button: what to do when there is nothing."""

    def __init__(
        self,
        title: str,
        text: str = "",
        button_text: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from PySide6.QtCore import Qt

        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.title = QLabel(title, self)
        self.title.setFont(heading_font(self.font(), 1.3))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.text = QLabel(text, self)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        self.text.setVisible(bool(text))
        layout.addWidget(self.text)
        self.button: QPushButton | None = None
        if button_text:
            self.button = QPushButton(button_text, self)
            self.button.setAccessibleName(button_text.rstrip("…"))
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(self.button)
            row.addStretch(1)
            layout.addLayout(row)
        layout.addStretch(2)


class PassphraseEdit(QWidget):
    """A password line edit with a Show/Hide button beside it."""

    returnPressed = Signal()  # noqa: N815 - mirrors QLineEdit
    textChanged = Signal(str)  # noqa: N815

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.edit = QLineEdit(self)
        # Password mode also sets the input-method hints: hidden, sensitive, no prediction.
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName(accessible_name)
        layout.addWidget(self.edit, 1)
        self.toggle = QToolButton(self)
        self.toggle.setText("Show")
        self.toggle.setCheckable(True)  # reached by Tab, not by clicking (a QToolButton default)
        self.toggle.setAccessibleName(f"Show {accessible_name.lower()}")
        self.toggle.setToolTip("Show or hide what you typed")
        self.toggle.toggled.connect(self._on_toggled)
        layout.addWidget(self.toggle)
        self.edit.returnPressed.connect(self.returnPressed)
        self.edit.textChanged.connect(self.textChanged)
        self.setFocusProxy(self.edit)

    def _on_toggled(self, shown: bool) -> None:
        self.edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.toggle.setText("Hide" if shown else "Show")

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:
        self.edit.setText(text)

    def clear(self) -> None:
        """Forget what was typed and go back to hidden."""
        self.edit.clear()
        self.toggle.setChecked(False)


def show_suggestion(phrase: str, first: PassphraseEdit, second: PassphraseEdit,
                    *errors: FieldError) -> None:
    """Put a suggested passphrase in both fields, shown, so it can be written down."""
    first.setText(phrase)
    second.setText(phrase)
    first.toggle.setChecked(True)
    for error in errors:
        error.clear_message()


class StrengthMeter(QWidget):
    """A bar and a one-line hint that follow a passphrase edit (zxcvbn, through
    `groupleader.passphrases`), and a button that suggests five random words.

    zxcvbn is imported at the first non-empty text, not when the page is built.
    """

    suggested = Signal(str)  # a new suggestion, for the page to put in its fields

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._user_inputs: Callable[[], Iterable[str]] = passphrases.user_words
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 4)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(8)
        self.bar.setAccessibleName("Passphrase strength")
        layout.addWidget(self.bar)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName("Passphrase strength hint")
        self.hint.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # three lines kept for the hint, so the fields below do not move as it is typed
        self.hint.setMinimumHeight(self.hint.fontMetrics().lineSpacing() * 3 + 4)
        row.addWidget(self.hint, 1)
        self.suggest_button = QPushButton("Suggest one", self)
        self.suggest_button.setAccessibleName("Suggest a passphrase of five random words")
        self.suggest_button.setToolTip(
            "Five words drawn at random: easy to remember, hard to guess"
        )
        self.suggest_button.clicked.connect(self._suggest)
        row.addWidget(self.suggest_button)
        layout.addLayout(row)
        self.acceptable = False
        self.update_for("")

    def set_user_inputs(self, words: Callable[[], Iterable[str]]) -> None:
        """Where the words a guesser would try first come from (e.g. the vault's name)."""
        self._user_inputs = words

    def update_for(self, text: str) -> None:
        strength = passphrases.assess(text, self._user_inputs() if text else ())
        self.acceptable = strength.acceptable
        self.bar.setValue(strength.score)
        self.bar.setAccessibleDescription(strength.hint)
        self.hint.setText(strength.hint)

    def _suggest(self) -> None:
        self.suggested.emit(passphrases.suggest())
