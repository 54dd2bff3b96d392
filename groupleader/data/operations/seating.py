"""Operations on the circle: chairs and who spoke to whom."""

from __future__ import annotations

from collections.abc import Sequence

from groupleader.data.operations.base import Changes, Done, Unit, unit
from groupleader.data.services import seating
from groupleader.data.snapshots import ChairSnap, ChairSpec, InteractionSnap, Party
from groupleader.data.vault import Vault


def _seating_changed(u: Unit, meeting_id: int) -> Changes:
    return Changes(groups=frozenset({u.group_of(meeting_id)}), seating=frozenset({meeting_id}))


def save_seating(
    vault: Vault, meeting_id: int, chairs: Sequence[ChairSpec]
) -> Done[list[ChairSnap]]:
    with unit(vault) as u:
        result = seating.save_seating(u.db, meeting_id, chairs)
        u.audit("seating.save", "meeting", meeting_id)
        return Done(result, _seating_changed(u, meeting_id))


def add_interaction(
    vault: Vault, meeting_id: int, speaker: Party, to: Party | None = None
) -> Done[InteractionSnap]:
    with unit(vault) as u:
        row = seating.add_interaction(u.db, meeting_id, speaker, to)
        u.audit("interaction.add", "interaction", row.id)
        return Done(row, _seating_changed(u, meeting_id))


def add_interactions(
    vault: Vault, meeting_id: int, pairs: Sequence[tuple[Party, Party | None]]
) -> Done[list[InteractionSnap]]:
    with unit(vault) as u:
        rows = seating.add_interactions(u.db, meeting_id, pairs)
        u.audit("interaction.add", "interaction", *(r.id for r in rows))
        return Done(rows, _seating_changed(u, meeting_id))


def remove_last_interaction(vault: Vault, meeting_id: int) -> Done[bool]:
    with unit(vault) as u:
        removed = seating.remove_last_interaction(u.db, meeting_id)
        if removed:
            u.audit("interaction.remove", "meeting", meeting_id)
        return Done(removed, _seating_changed(u, meeting_id) if removed else Changes())
