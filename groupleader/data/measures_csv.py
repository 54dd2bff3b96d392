"""CSV export of scores for a research or audit spreadsheet: one row per member, session
and instrument, formula-like cells escaped as in the roster export (`roster_csv`).

The columns follow the instruments the registry knows: a total column, one per scale of
any scale-scored instrument, and the item answers (blank items as "-"), so an instrument
added as a definition only is exported like the shipped ones.

De-identified (the default in the window, and the only choice in screen-share safe mode),
the member column holds each member's pseudonym in the group instead of the full name.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from groupleader.data.measures_snapshots import ScoreSnap
from groupleader.data.models import Member, Membership
from groupleader.data.roster_csv import roster_csv_bytes
from groupleader.data.services import measures
from groupleader.measures import registry, scoring

BASE_HEADER = ["member", "session", "date", "instrument", "entered as", "status", "total",
               "band", "change from first", "reliable change"]


def _scale_columns() -> list[tuple[str, str, str]]:
    """(instrument key, scale key, header) of every scale-scored instrument's scales."""
    return [(inst.key, s.key, f"{inst.name} {s.label}") for inst in registry.instruments()
            if inst.scoring == "scale_means" for s in inst.scales]


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if value == int(value) else f"{value:.2f}"


def rows_for(scores: Iterable[ScoreSnap], names: dict[int, str],
             member_header: str = "member") -> list[list[str]]:
    scale_cols = _scale_columns()
    header = [member_header] + BASE_HEADER[1:] + [h for _, _, h in scale_cols] + ["answers"]
    out = [header]
    baselines: dict[tuple[int, str], float] = {}
    for s in scores:
        if not registry.is_instrument(s.instrument):
            continue
        inst = registry.instrument(s.instrument)
        total = s.values.get("total")
        b = scoring.band(inst, total)
        delta = direction = ""
        if total is not None:
            first = baselines.setdefault((s.member_id, s.instrument), total)
            c = scoring.change(inst, first, total)
            if c.direction != "not applicable":
                delta, direction = _number(c.delta), c.direction
        row = [names.get(s.member_id, ""), str(s.meeting_number), s.on_date.isoformat(),
               inst.name, "items" if s.answers is not None else "total only", s.status,
               _number(total), b.label if b else "", delta, direction]
        row += [_number(s.values.get(scale)) if key == s.instrument else ""
                for key, scale, _ in scale_cols]
        row.append(" ".join("-" if a is None else str(a) for a in s.answers)
                   if s.answers is not None else "")
        out.append(row)
    return out


def export_rows(db: Session, group_id: int, deidentified: bool = False) -> list[list[str]]:
    """The header and one row per form entered in the group's sessions; `deidentified`:
    members by their pseudonym in the group, never by name."""
    scores = measures.group_scores(db, group_id)
    ids = {s.member_id for s in scores}
    if deidentified:
        names = {member_id: pseudonym for member_id, pseudonym in db.execute(
            select(Membership.member_id, Membership.pseudonym).where(
                Membership.group_id == group_id, Membership.member_id.in_(ids))
            .order_by(Membership.id))}
        return rows_for(scores, names, "member (pseudonym)")
    names = {m.id: m.full_name for m in db.scalars(select(Member).where(Member.id.in_(ids)))}
    return rows_for(scores, names)


def scores_csv_bytes(db: Session, group_id: int, deidentified: bool = False) -> bytes:
    return roster_csv_bytes(export_rows(db, group_id, deidentified))
