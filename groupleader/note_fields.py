"""The fields of a group note and of a member note: one vocabulary for screen and paper.

Like `groupleader.factors`, this is the fixed list the rest of the program reads: the
note editors build their template from it, the services clean and check the same keys,
and the PDF prints each field under its title. Keys are the vault's column names, so
they never change; labels (on screen), titles (on paper) and hints may.

A note "says something" (`group_has_content`, `member_has_content`) when any text field
is non-blank after stripping, or it has a factor, a stage or the risk flag. Only such
notes are signed in bulk ("Sign all notes…"); an empty note stays a draft.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

FieldKind = Literal["text", "factors", "stage", "flag"]


@dataclass(frozen=True)
class NoteField:
    key: str  # the attribute of the note (and its column in the vault)
    label: str  # what the screen shows over the field
    title: str  # what the PDF prints over its text (the same words, where they fit)
    hint: str = ""  # the one-line help under the label on screen
    kind: FieldKind = "text"


def _text(key: str, label: str, hint: str) -> NoteField:
    return NoteField(key, label, label, hint)


@dataclass(frozen=True)
class Stage:
    key: str  # a GroupStage value
    label: str


# The group note's template, in the order the screen shows it.
GROUP_NOTE: tuple[NoteField, ...] = (
    _text("themes", "Themes", "What the group talked about."),
    _text("here_and_now", "Here-and-now process",
          "What happened between members, and with the leaders, in the room. "
          "Quick notes from the session timer land here."),
    _text("interventions", "Interventions", "What the leaders did, and how the group responded."),
    NoteField("factors", "Therapeutic factors (Yalom)", "Therapeutic factors (Yalom)",
              kind="factors"),
    NoteField("stage", "Group stage", "Group stage", kind="stage"),
    _text("critical_incidents", "Critical incidents", "Moments that changed the session."),
    _text("boundary_incidents", "Boundary incidents",
          "Lateness, contact outside the group, breaks of the group agreement."),
    _text("risk", "Risk and safety", "Any risk raised, and what was done about it."),
    _text("plan", "Plan", "For the next session."),
)

# One member's note, in the order the screen shows it.
MEMBER_NOTE: tuple[NoteField, ...] = (
    _text("participation", "Participation", "How the member took part; what they brought."),
    _text("goals", "Progress toward goals", "Movement on their own goals for the group."),
    _text("response", "Response to interventions", "How they met the leaders and the group."),
    NoteField("risk_flag", "Risk concern for this member", "Risk concern", kind="flag"),
    _text("risk_followup", "Risk follow-up", "Only if there is a risk concern: what was done."),
    _text("plan", "Plan", "For this member, before or at the next session."),
)

GROUP_TEXT: tuple[str, ...] = tuple(f.key for f in GROUP_NOTE if f.kind == "text")
MEMBER_TEXT: tuple[str, ...] = tuple(f.key for f in MEMBER_NOTE if f.kind == "text")

# Stages of group development (Yalom), with the Tuckman names readers may know better.
STAGES: tuple[Stage, ...] = (
    Stage("orientation", "Orientation (forming)"),
    Stage("conflict", "Conflict (storming)"),
    Stage("cohesion", "Cohesion (norming)"),
    Stage("working", "Working (performing)"),
    Stage("termination", "Termination (ending)"),
)

_GROUP = {f.key: f for f in GROUP_NOTE}
_MEMBER = {f.key: f for f in MEMBER_NOTE}
_STAGES = {s.key: s.label for s in STAGES}


def group_field(key: str) -> NoteField:
    """The group-note field with this key; KeyError for an unknown key."""
    return _GROUP[key]


def member_field(key: str) -> NoteField:
    """The member-note field with this key; KeyError for an unknown key."""
    return _MEMBER[key]


def stage_label(key: str | None) -> str:
    """The label of a stage ("" when none was noted or the key is unknown)."""
    return _STAGES.get(key or "", "")


class GroupNoteValues(Protocol):
    """What `group_has_content` reads: a group note's fields (snapshot or row)."""

    @property
    def factors(self) -> Sequence[str]: ...
    @property
    def stage(self) -> str | None: ...


class MemberNoteValues(Protocol):
    """What `member_has_content` reads: a member note's fields (snapshot or row)."""

    @property
    def risk_flag(self) -> bool: ...


def _any_text(note: object, keys: Iterable[str]) -> bool:
    return any((getattr(note, key) or "").strip() for key in keys)


def group_has_content(note: GroupNoteValues) -> bool:
    """Whether a group note says anything: any text, a factor or a stage."""
    return bool(note.factors) or bool(note.stage) or _any_text(note, GROUP_TEXT)


def member_has_content(note: MemberNoteValues) -> bool:
    """Whether a member note says anything: any text, or the risk flag."""
    return bool(note.risk_flag) or _any_text(note, MEMBER_TEXT)
