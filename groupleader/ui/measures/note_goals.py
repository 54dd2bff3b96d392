"""Fills each member note's goals box in the Sessions view: the goals in force on the
session's day, each rating saved as it is chosen (one operation per choice)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from groupleader.data.operations import measures as ops
from groupleader.data.operations import query
from groupleader.data.services import goals
from groupleader.errors import GroupLeaderError

if TYPE_CHECKING:
    from groupleader.data.snapshots import EligibleMember
    from groupleader.ui.sessions.view import SessionsView


def show_goals(view: SessionsView, eligible: list[EligibleMember]) -> None:
    vault, meeting = view.ctx.vault, view.meeting
    if vault is None or meeting is None:
        return
    memberships = {e.member_id: e.membership_id for e in eligible}
    meeting_id = meeting.id
    for editor in view.member_notes.built_editors():
        ms = memberships.get(editor.member_id)
        if ms is None:
            editor.goals.show_goals([], lambda _g, _v: False)
            continue

        def save(goal_id: int, value: int | None) -> bool:
            try:
                view.ctx.run(lambda v: ops.rate_goal(v, goal_id, meeting_id, value), view)
            except GroupLeaderError as err:
                view.report(err.message)
                return False
            return True

        locked = editor.signed or view.ctx.read_only
        editor.goals.show_goals(query(vault, goals.goals_at, ms, meeting_id), save, locked)
