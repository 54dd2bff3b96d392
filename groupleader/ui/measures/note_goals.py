"""Fills each member note's goals box in the Sessions view: the goals in force on the
session's day, each rating saved as it is chosen (one operation per choice), and which
questionnaires are due from the member at this session (entered in the Measures tab)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from groupleader.data.operations import measures as ops
from groupleader.data.operations import query
from groupleader.data.services import goals, measures
from groupleader.errors import GroupLeaderError
from groupleader.measures import registry

if TYPE_CHECKING:
    from groupleader.data.measures_snapshots import DueSnap
    from groupleader.data.snapshots import EligibleMember
    from groupleader.ui.sessions.member_notes import MemberNoteEditor
    from groupleader.ui.sessions.view import SessionsView


def goals_filler(view: SessionsView, eligible: list[EligibleMember],
                 forms_due: list[DueSnap] | None = None
                 ) -> Callable[[MemberNoteEditor], None] | None:
    """What fills each member-note editor's goals box as it is built: due forms are read
    once per session (or given, read with the session), a member's goals when their
    editor is first shown."""
    vault, meeting = view.ctx.vault, view.meeting
    if vault is None or meeting is None:
        return None
    memberships = {e.member_id: e.membership_id for e in eligible}
    meeting_id = meeting.id
    due: dict[int, list[str]] = {}
    if forms_due is None:
        forms_due = query(vault, measures.due, meeting_id)
    for d in forms_due:
        name = registry.instrument(d.instrument).name
        due.setdefault(d.member_id, []).append(name + (" (entered)" if d.entered else ""))

    def save(goal_id: int, value: int | None) -> bool:
        try:
            view.ctx.run(lambda v: ops.rate_goal(v, goal_id, meeting_id, value), view)
        except GroupLeaderError as err:
            view.report(err.message)
            return False
        return True

    def fill(editor: MemberNoteEditor) -> None:
        ms = memberships.get(editor.member_id)
        forms = due.get(editor.member_id)
        ratings = [] if ms is None or view.ctx.vault is None else query(
            view.ctx.vault, goals.goals_at, ms, meeting_id)
        locked = editor.signed or view.ctx.read_only
        editor.goals.show_goals(ratings, save, locked)
        editor.goals.show_due("Questionnaires due: " + ", ".join(forms) if forms else "")

    return fill
