"""Undo commands: each changes the model (which saves); the scene follows the model.

Command texts name the kind of change, never a person, so the Undo menu is safe to show
on a shared screen.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from groupleader.data.snapshots import Party
from groupleader.ui.seating.model import SeatingModel
from groupleader.ui.seating.presenter import Circle


class SetCircleCommand(QUndoCommand):
    """Any change of the circle (a drop, a swap, a new chair): the circle before and
    after. A whole drag is one command, pushed when the mouse is released."""

    def __init__(self, model: SeatingModel, before: Circle, after: Circle, text: str) -> None:
        super().__init__(text)
        self.model, self.before, self.after = model, before, after

    def redo(self) -> None:
        if not self.model.set_circle(self.after) and self.model.circle != self.after:
            self.setObsolete(True)  # refused: the stack drops it

    def undo(self) -> None:
        self.model.set_circle(self.before)


class AddInteractionCommand(QUndoCommand):
    """One directed interaction; undo removes the session's most recent one, which is
    this one because the stack undoes in reverse order."""

    def __init__(self, model: SeatingModel, speaker: Party, to: Party | None) -> None:
        super().__init__("Record an interaction")
        self.model, self.speaker, self.to = model, speaker, to

    def redo(self) -> None:
        if not self.model.add_interaction(self.speaker, self.to):
            self.setObsolete(True)

    def undo(self) -> None:
        self.model.remove_last_interaction()
