"""The text fields of a note form (group note, member note), kept together by name.

Which fields a note has, in what order and under which label, is the vocabulary of
`groupleader.note_fields`; the editors build their forms from it and keep the text fields
here.

Both note editors hold their plain-text fields the same way: each field announces edits
and a focus-out to its editor, loads quietly, locks when signed and shows its own error.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QScrollArea

from groupleader.ui.sessions.editors import LabelledField, NoteTextEdit


class NoteFields(dict[str, LabelledField]):
    """A note form's text fields by field name, in the order they were added."""

    def add(self, name: str, field: LabelledField, edited: SignalInstance,
            focus_left: SignalInstance) -> LabelledField:
        """Keep `field` as `name`, its edits and focus-out relayed to the editor's signals."""
        field.edit.textChanged.connect(edited)
        field.edit.focus_left.connect(focus_left)
        self[name] = field
        return field

    def edits(self) -> list[NoteTextEdit]:
        return [f.edit for f in self.values()]

    def texts(self) -> dict[str, str]:
        return {name: f.edit.toPlainText() for name, f in self.items()}

    def load(self, fields: Any) -> None:
        """Show each field's text from `fields` (a note's fields snapshot), quietly."""
        for name, field in self.items():
            field.edit.set_text_quietly(getattr(fields, name))
            field.clear_error()

    def lock(self, locked: bool) -> None:
        for field in self.values():
            field.edit.lock(locked)

    def show_error(self, name: str | None, message: str) -> None:
        if name is not None and name in self:
            self[name].show_error(message)

    def clear_errors(self) -> None:
        for field in self.values():
            field.clear_error()

    def highlight(self, query: str, scroll: QScrollArea) -> bool:
        """Mark `query` in every field; show and focus the first field that has it."""
        found = False
        for field in self.values():
            if field.edit.highlight(query) and not found:
                found = True
                scroll.ensureWidgetVisible(field)
                field.edit.setFocus()
        return found
