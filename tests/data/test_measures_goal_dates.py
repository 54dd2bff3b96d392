"""A goal change can't be dated on or before a session whose member note rates the goals
or is signed: that note keeps the goals it was written with, and no rating is orphaned."""

from __future__ import annotations

from datetime import timedelta

import pytest

from groupleader.data.measures_snapshots import GoalSpec
from groupleader.data.operations import measures as ops
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import goals
from groupleader.data.snapshots import MemberNoteFields
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput
from tests.conftest import PIN
from tests.data.conftest import JOINED, PAST_SESSION, World
from tests.data.test_measures import weekly_sessions

AFTER = PAST_SESSION.date() + timedelta(days=1)


def _shown(vault: Vault, ms: int, meeting_id: int) -> list[tuple[str, int | None]]:
    return [(r.goal.text, r.value) for r in query(vault, goals.goals_at, ms, meeting_id)]


def test_a_backdated_change_is_refused_before_a_rated_session(vault: Vault, world: World) -> None:
    ms = world.memberships[world.anna]
    ops.set_goals(vault, ms, [GoalSpec(1, "Say when I feel overlooked")], JOINED)
    [g] = query(vault, goals.goals_at, ms, world.held)
    ops.rate_goal(vault, g.goal.id, world.held, 1)
    with pytest.raises(InvalidInput, match="Date this change after"):
        ops.set_goals(vault, ms, [GoalSpec(1, "Sleep before midnight")], JOINED)
    assert _shown(vault, ms, world.held) == [("Say when I feel overlooked", 1)]
    [later] = weekly_sessions(vault, world, 1)
    ops.set_goals(vault, ms, [GoalSpec(1, "Sleep before midnight")], AFTER)  # after: fine
    assert _shown(vault, ms, world.held) == [("Say when I feel overlooked", 1)]
    assert _shown(vault, ms, later) == [("Sleep before midnight", None)]


def test_a_backdated_goal_never_appears_in_a_signed_note(vault: Vault, world: World) -> None:
    ms = world.memberships[world.anna]
    note = ops_notes.save_member_note(vault, world.held, world.anna,
                                      MemberNoteFields(participation="Quiet")).value
    ops_notes.sign_note(vault, "member", note.id, world.lead, pin=PIN)
    with pytest.raises(InvalidInput, match="Date this change after"):
        ops.set_goals(vault, ms, [GoalSpec(1, "Sleep before midnight")], JOINED)
    assert _shown(vault, ms, world.held) == []
