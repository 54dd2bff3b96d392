"""The cloned-note check: a member-note field written word for word in two or more notes.

Auditors flag identical ("cloned") notes: a note says what happened to this member in this
session. Before signing, the window warns when a text field of member notes of the same
session is the same in two or more of them, after trimming and joining runs of spaces
and line breaks (and ignoring case), and at least `MIN_LENGTH` characters long (a short
"Attended." or "None" is not a clone). Plain functions, no widgets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from groupleader.note_fields import MEMBER_TEXT, member_field

MIN_LENGTH = 20


@dataclass(frozen=True)
class Clone:
    """One field whose text is the same in the notes of `names` (as the view shows them)."""

    field: str  # the field's key
    label: str  # the field's label, as the editor shows it
    names: tuple[str, ...]


def normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def find_clones(notes: Iterable[tuple[str, object]],
                among: Iterable[str] | None = None) -> list[Clone]:
    """Fields written the same in two or more of `notes` ((name shown, fields) pairs; the
    fields are a member note's, e.g. `MemberNoteFields`, read by their text keys).

    `among` (names) keeps only the clones that involve at least one of those notes (the
    one about to be signed); None keeps all. In field order, then by the first name."""
    notes = list(notes)
    wanted = None if among is None else set(among)
    clones: list[Clone] = []
    for key in MEMBER_TEXT:
        same: dict[str, list[str]] = {}
        for name, fields in notes:
            text = normalised(getattr(fields, key) or "")
            if len(text) >= MIN_LENGTH:
                same.setdefault(text, []).append(name)
        for names in same.values():
            if len(names) > 1 and (wanted is None or wanted & set(names)):
                clones.append(Clone(key, member_field(key).label, tuple(names)))
    return clones


def warning_text(clones: list[Clone]) -> str:
    """The warning shown before signing: each field and whose notes say the same."""
    lines = [f"• {c.label}: the same text in the notes for {_names(c.names)}." for c in clones]
    return ("Some member notes say word for word the same thing:\n\n" + "\n".join(lines)
            + "\n\nIdentical notes are what auditors flag: each note should describe this "
            "member in this session. Go back to edit them, or sign anyway.")


def _names(names: tuple[str, ...]) -> str:
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return ", ".join(names[:-1]) + f" and {names[-1]}"
