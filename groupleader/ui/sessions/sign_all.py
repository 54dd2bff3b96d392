"""Sign all notes…: what the one confirmation promises, and what is reported afterwards.

`notes.sign_meeting_notes` signs, in one unit of work, every unsigned group and member note
of the session that has any content; an empty note (no text, factor, stage or risk flag)
stays a draft. The question asked first must promise exactly that, so the same rule is
applied here to what the editors hold once they are saved (`has_content`), and the status
bar reports the count the service returns. Plain functions, no widgets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from groupleader import note_fields
from groupleader.data.snapshots import GroupNoteFields, MemberNoteFields


def has_content(fields: GroupNoteFields | MemberNoteFields | None) -> bool:
    """Whether a note says anything (the service's rule for signing in bulk, from
    `groupleader.note_fields`)."""
    if isinstance(fields, GroupNoteFields):
        return note_fields.group_has_content(fields)
    if isinstance(fields, MemberNoteFields):
        return note_fields.member_has_content(fields)
    return False


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass(frozen=True)
class SignAllPlan:
    """What "Sign all notes…" will sign in one session."""

    group: bool  # the group note has content and is not signed yet
    group_empty: bool  # the group note is not signed and has nothing written
    members: int  # unsigned member notes with content
    unwritten: int  # members shown whose note is missing or empty (left unsigned)

    @property
    def count(self) -> int:
        return int(self.group) + self.members

    def question(self, label: str) -> str:
        """The confirmation's subject, e.g. "the group note and 2 member notes of session 4
        (1 member has nothing written yet and will not be signed)"."""
        what = ["the group note"] if self.group else []
        if self.members:
            what.append(_plural(self.members, "member note", "member notes"))
        text = " and ".join(what) + f" of {label.lower()}"
        left = []
        if self.group_empty:
            left.append("the group note")
        if self.unwritten:
            left.append(_plural(self.unwritten, "member", "members"))
        if left:
            verb = "has" if len(left) == 1 and self.unwritten <= 1 else "have"
            text += f" ({' and '.join(left)} {verb} nothing written yet and will not be signed)"
        return text


def plan_sign_all(
    group: GroupNoteFields | None, group_signed: bool,
    member_notes: Iterable[tuple[MemberNoteFields | None, bool]],
) -> SignAllPlan:
    """`group`: the saved group note (None: none yet); `member_notes`: (saved fields or
    None, signed) for each member shown."""
    members = unwritten = 0
    for fields, signed in member_notes:
        if signed:
            continue
        if has_content(fields):
            members += 1
        else:
            unwritten += 1
    group_written = has_content(group)
    return SignAllPlan(group=group_written and not group_signed,
                       group_empty=not group_signed and not group_written,
                       members=members, unwritten=unwritten)


def signed_message(count: int, label: str) -> str:
    """The status bar's line after signing (no names, no note text)."""
    return f"Signed {_plural(count, 'note', 'notes')} of {label.lower()}; they are locked now."
