"""A member's risk entries and boundary incidents as the roster's detail pane shows them
(their history, every group)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from groupleader import register_vocab
from groupleader.data.register_snapshots import IncidentSnap, RiskEntrySnap


def register_text(entries: Sequence[RiskEntrySnap], incidents: Sequence[IncidentSnap],
                  today: date) -> str:
    """One line per risk entry ("Medical (low): open since 5 Nov, review by 12 Nov
    (overdue)") and per incident ("Session 6, 6 Aug: Contact outside the group — with
    Kwame; resolved"), newest last; "" when there are none."""
    lines = []
    for e in entries:
        kind = register_vocab.KIND_LABELS.get(e.kind, e.kind)
        level = register_vocab.LEVEL_LABELS.get(e.current_level, e.current_level).lower()
        lines.append(f"\u26a0 {kind} ({level}): {e.line(today)}")
    for i in incidents:
        when = i.meeting_starts_at.astimezone()
        status = register_vocab.FOLLOW_UP_LABELS.get(i.current_status, i.current_status)
        lines.append(f"Incident, session {i.meeting_number} ({when.day} {when:%b %Y}): "
                     f"{i.rule_title or 'no rule named'}; {status.lower()}")
    return "\n".join(lines)
