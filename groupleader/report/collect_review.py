"""The supervision parts of a period report, from sessions already loaded: how far the
notes are signed, who spoke how much, the stage and factors session by session.

Everything here works on `MeetingNotes` snapshots that `collect_period` read through the
services; names come through the report's `Namer`, so a de-identified report gets aliases.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from statistics import median

from groupleader import factors as factor_vocab
from groupleader import note_fields
from groupleader.data import clock
from groupleader.data.snapshots import MeetingNotes, MeetingSnap, NoteStatus
from groupleader.report.collect import ATTENDED, local
from groupleader.report.model import (
    Documentation,
    ParticipationRow,
    SessionLine,
    StagePoint,
)

STATUS_LABELS = {"held": "Held", "cancelled": "Cancelled", "scheduled": "Scheduled"}


def _statuses(n: MeetingNotes) -> list[tuple[str, NoteStatus]]:
    """("group" or "member", status) of every group and member note of one session."""
    out = [("group", n.group_note.status)] if n.group_note is not None else []
    return out + [("member", x.status) for x in n.member_notes]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def notes_state(n: MeetingNotes) -> str:
    """"3 co-signed, 1 awaiting co-sign, 2 unsigned" for one session ("no notes" if none)."""
    states = Counter(status.state for _kind, status in _statuses(n))
    if not states:
        return "no notes"
    parts = [f"{states[key]} {words}" for key, words in (
        ("cosigned", "co-signed"), ("signed", "awaiting co-sign"), ("draft", "unsigned"))
        if states[key]]
    return ", ".join(parts)


def documentation(loaded: Sequence[MeetingNotes]) -> Documentation:
    """Counts over the period's group and member notes, and the median number of days
    from a session's (local) date to its notes' signatures."""
    total = unsigned = awaiting = cosigned = 0
    delays: list[int] = []
    where: list[str] = []
    for n in loaded:
        day = local(n.meeting.starts_at).date()
        drafts: Counter[str] = Counter()
        for kind, status in _statuses(n):
            total += 1
            if status.signed_at is None:
                unsigned += 1
                drafts[kind] += 1
                continue
            delays.append((local(status.signed_at).date() - day).days)
            if status.cosigned_at is None:
                awaiting += 1
            else:
                cosigned += 1
        if drafts:
            parts = (["group note"] if drafts["group"] else []) + (
                [_plural(drafts["member"], "member note")] if drafts["member"] else [])
            where.append(f"{n.meeting.label}: {', '.join(parts)}")
    return Documentation(total, unsigned, awaiting, cosigned,
                         float(median(delays)) if delays else None, tuple(where))


def session_lines(sessions: Sequence[MeetingSnap], loaded: dict[int, MeetingNotes]
                  ) -> list[SessionLine]:
    """Every session of the period in order: held ones with attendance and notes,
    cancelled ones said to be cancelled."""
    lines = []
    for m in sessions:
        t = local(m.starts_at)
        n = loaded.get(m.id)
        attended = notes = ""
        if n is not None:
            present = sum(1 for a in n.attendance if a.status in ATTENDED)
            attended = f"{present} of {len(n.attendance)}" if n.attendance else "not recorded"
            notes = notes_state(n)
        leaders = ", ".join(c.name for c in m.leaders) if m.status == "held" else ""
        status = STATUS_LABELS.get(m.status, m.status)
        if m.status == "scheduled" and m.starts_at < clock.now():
            status = "Scheduled, not marked held"
        lines.append(SessionLine(
            m.label, f"{t:%a} {t.day} {t:%b %Y %H:%M}", status,
            attended, notes, leaders or ("Not recorded" if m.status == "held" else ""),
            cancelled=m.status == "cancelled"))
    return lines


def participation(loaded: Sequence[MeetingNotes], member_ids: Sequence[int],
                  name_of: Callable[[int], str]) -> tuple[list[ParticipationRow], int]:
    """Per member: remarks made and received, and attended sessions without a remark
    (counted only over sessions where any interaction was recorded); and the number of
    such sessions."""
    spoke: Counter[int] = Counter()
    spoken_to: Counter[int] = Counter()
    attended: Counter[int] = Counter()
    counted: Counter[int] = Counter()
    silent: Counter[int] = Counter()
    with_interactions = 0
    for n in loaded:
        here = {a.member_id for a in n.attendance if a.status in ATTENDED}
        attended.update(here)
        if not n.interactions:
            continue
        with_interactions += 1
        speakers = set()
        for i in n.interactions:
            if i.speaker.member_id is not None:
                spoke[i.speaker.member_id] += i.count
                speakers.add(i.speaker.member_id)
            if i.to is not None and i.to.member_id is not None:
                spoken_to[i.to.member_id] += i.count
        counted.update(here)
        silent.update(here - speakers)
    rows = [ParticipationRow(name_of(mid), attended[mid], spoke[mid], spoken_to[mid],
                             silent[mid], counted[mid])
            for mid in member_ids if attended[mid] or spoke[mid] or spoken_to[mid]]
    rows.sort(key=lambda r: r.name.casefold())
    return rows, with_interactions


def stage_points(loaded: Sequence[MeetingNotes]
                 ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[StagePoint, ...]]:
    """The chart's stage names, the factors noted at least once (in the vocabulary's
    order), and one point per held session."""
    stage_keys = [s.key for s in note_fields.STAGES]
    stage_names = tuple(s.label.split(" (")[0] for s in note_fields.STAGES)
    noted: set[str] = set()
    points = []
    for n in loaded:
        fields = n.group_note.fields if n.group_note is not None else None
        keys = [k for k in (fields.factors if fields else ()) if factor_vocab.is_factor(k)]
        noted.update(keys)
        stage = fields.stage if fields else None
        t = local(n.meeting.starts_at)
        points.append(StagePoint(
            str(n.meeting.number), f"{t.day} {t:%b}",
            stage_keys.index(stage) if stage in stage_keys else None,
            tuple(factor_vocab.factor(k).label for k in keys)))
    factor_names = tuple(f.label for f in factor_vocab.FACTORS if f.key in noted)
    return stage_names, factor_names, tuple(points)
