"""Operations on measures: a group's questionnaires, members' forms, goals and ratings.

Saving a form whose risk item (PHQ-9 item 9, CORE-10 item 6, or whatever a definition
names) is answered above its lowest option opens a risk entry for the member in the same
transaction, quoting the item and the answer; saving the same answer again opens no
second one (nor does the same answer saved after a total only, or after the form was
deleted: `measures.risk_recorded`).

A signed session's scores stay writable (the form is the member's paper, not the signed
note; every save is audited), but its risk entries are locked with it. A risk answer on a
form of a signed session therefore goes where the register puts what comes later: a
review, dated today, of the member's open self-harm entry in the group if there is one
(never lowering its level nor moving its review later), else a new entry open from today,
in the group's latest unsigned held session or else its next unsigned one. With neither,
the form is refused as a whole with a message that says why, so the answer is never
stored without reaching the register (docs/measures.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from groupleader import register_vocab
from groupleader.data import clock, measures_csv, outputs, roster_csv
from groupleader.data.measures_snapshots import (
    GoalRatingSnap,
    GoalSnap,
    GoalSpec,
    GroupInstrumentSnap,
    SavedScore,
    ScoreSnap,
)
from groupleader.data.models import Membership, RiskKind, RiskLevel
from groupleader.data.operations.base import Changes, Done, Unit, query, unit
from groupleader.data.register_snapshots import RiskEntrySpec
from groupleader.data.services import goals as goals_service
from groupleader.data.services import measures, risk
from groupleader.data.services._common import fetch, session_signed
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput
from groupleader.measures import registry


def _changed(group_id: int, *meeting_ids: int) -> Changes:
    return Changes(groups=frozenset({group_id}), notes=frozenset(meeting_ids))


def set_group_instruments(vault: Vault, group_id: int, entries: Sequence[tuple[str, str]]
                          ) -> Done[list[GroupInstrumentSnap]]:
    with unit(vault) as u:
        snaps = measures.set_group_instruments(u.db, group_id, entries)
        u.audit("group.instruments", "group", group_id)
        return Done(snaps, Changes(groups=frozenset({group_id}), group_records=True))


def save_score(vault: Vault, meeting_id: int, member_id: int, instrument: str,
               answers: Sequence[int | None] | None = None,
               total: float | None = None) -> Done[SavedScore]:
    """Save a member's form (item answers, or a total only) at a session."""
    with unit(vault) as u:
        snap, result = measures.save_score(u.db, meeting_id, member_id, instrument,
                                           answers, total)
        u.audit("measure.save", "measure_score", snap.id)
        opened, done = open_risk_entries(u, snap, list(result.risk))
        changes = _changed(snap.group_id, meeting_id)
        if opened:
            changes = changes | Changes(register=frozenset({snap.group_id}))
        return Done(SavedScore(snap, opened, done), changes)


def risk_quote(instrument: str, item: int, answer: int) -> str:
    """What a risk entry opened by a form says: the item and the answer, quoted."""
    inst = registry.instrument(instrument)
    return (f"{inst.name} item {item} (\u201c{inst.items[item - 1]}\u201d) answered "
            f"\u201c{inst.option_label(answer)}\u201d ({answer} of {inst.max_value}).")


_RISK_ORDER = (RiskLevel.LOW, RiskLevel.MODERATE, RiskLevel.HIGH)


def _higher(a: str, b: str) -> str:
    return a if _RISK_ORDER.index(RiskLevel(a)) >= _RISK_ORDER.index(RiskLevel(b)) else b


def open_risk_entries(u: Unit, snap: ScoreSnap, risk_answers: list[tuple[int, int]]
                      ) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """One risk entry per risk item newly answered above its lowest option: kind
    self-harm, level high for the top answer and moderate below it, for the leader to
    review (the register's own dialog edits it). Returns the entries opened or reviewed
    and what was done, in words."""
    signed = session_signed(u.db, snap.meeting_id)
    ids: list[int] = []
    done: list[str] = []
    for item, answer in risk_answers:
        level = RiskLevel.HIGH if answer >= registry.instrument(snap.instrument).max_value \
            else RiskLevel.MODERATE
        quote = risk_quote(snap.instrument, item, answer)
        later = (f"{quote} From the form of session {snap.meeting_number} "
                 f"({snap.on_date:%d %b %Y}), entered after that session was signed.")
        if measures.risk_recorded(u.db, snap.group_id, snap.member_id, snap.meeting_id,
                                  quote, later):
            continue
        if not signed:
            entry = risk.open_entry(u.db, snap.meeting_id, snap.member_id, RiskEntrySpec(
                kind=RiskKind.SELF_HARM, level=level, observed=quote))
            u.audit("risk.open", "risk_entry", entry.id)
            ids.append(entry.id)
            done.append(f"opened a risk entry (level {level}) in session "
                        f"{entry.meeting_number}")
            continue
        entry_id, what = _late_risk(u, snap, item, level, later)
        ids.append(entry_id)
        done.append(what)
    return tuple(ids), tuple(done)


def _late_risk(u: Unit, snap: ScoreSnap, item: int, level: str, later: str
               ) -> tuple[int, str]:
    """A risk answer on a signed session's form (docs/measures.md, "Late forms"). An open
    self-harm entry of the member in the group, its review not overdue, gets a review dated
    today that never lowers its level nor puts its review later. Otherwise a new entry,
    open from today: filed under the group's latest unsigned session already held, else
    the next unsigned one (still to come) with `opened_on` today, so the register and the
    roster show it now."""
    today = clock.today()
    # A review must be dated today and due today or later: an entry whose review is
    # overdue cannot take one without putting its review later, so it gets a new entry.
    current = [e for e in risk.open_entries_for(u.db, snap.member_id, today, snap.group_id)
               if e.kind == RiskKind.SELF_HARM and e.current_review_by is not None
               and e.current_review_by >= today]
    if current:
        open_ = current[-1]
        due = min(register_vocab.default_review_by(today), open_.current_review_by or today)
        review = risk.review_entry(u.db, open_.id, today, _higher(level, open_.current_level),
                                   later, due)
        u.audit("risk.review", "risk_entry", review.id)
        return review.id, (f"added a review to the open risk entry of "
                           f"{open_.opened_on:%d %b %Y} (level {review.current_level}, "
                           f"review by {due:%d %b %Y})")
    home = measures.latest_unsigned_held_session(u.db, snap.group_id)
    if home is None:
        home = measures.later_unsigned_session(u.db, snap.meeting_id)
    if home is None:
        inst = registry.instrument(snap.instrument)
        raise InvalidInput(
            f"Session {snap.meeting_number} is signed and this {inst.name} form answers "
            f"its risk item {item} above 0: the risk entry goes in an unsigned session, and "
            "the group has none. Add the next session, then save the form again.", "answers")
    entry = risk.open_entry(u.db, home.id, snap.member_id, RiskEntrySpec(
        kind=RiskKind.SELF_HARM, level=level, observed=later), opened_on=today)
    u.audit("risk.open", "risk_entry", entry.id)
    return entry.id, (f"opened a risk entry (level {level}, open from "
                      f"{entry.opened_on:%d %b %Y}) in session {entry.meeting_number}")


def delete_score(vault: Vault, score_id: int) -> Done[ScoreSnap]:
    with unit(vault) as u:
        snap = measures.delete_score(u.db, score_id)
        u.audit("measure.delete", "measure_score", score_id)
        return Done(snap, _changed(snap.group_id, snap.meeting_id))


def set_goals(vault: Vault, membership_id: int, specs: Sequence[GoalSpec],
              on_date: date) -> Done[list[GoalSnap]]:
    with unit(vault) as u:
        ms = fetch(u.db, Membership, membership_id, "membership_id")
        snaps = goals_service.set_goals(u.db, membership_id, specs, on_date)
        if u.wrote():
            u.audit("member.goals", "membership", membership_id)
        return Done(snaps, Changes(groups=frozenset({ms.group_id}), roster=True,
                                   members=frozenset({ms.member_id})))


def rate_goal(vault: Vault, goal_id: int, meeting_id: int,
              value: int | None) -> Done[GoalRatingSnap]:
    with unit(vault) as u:
        snap = goals_service.rate_goal(u.db, goal_id, meeting_id, value)
        u.audit_if_wrote("member.goal.rate", "member_goal", goal_id)
        return Done(snap, _changed(u.group_of(meeting_id), meeting_id))


def export_scores(vault: Vault, group_id: int, dest: Path | str,
                  deidentified: bool = False) -> Done[int]:
    """Write the group's scores to a CSV file (one row per member, session and
    instrument, formula-like cells escaped; `deidentified`: pseudonyms, not names); how
    many rows. Like the roster export: it may
    replace a CSV the user chose, never the vault or a backup, and writes nothing to the
    vault now (its audit event waits for the next write)."""
    dest = outputs.check_destination(dest, outputs.Kind.CSV, vault_path=vault.path,
                                     replace=True)
    rows = query(vault, measures_csv.export_rows, group_id, deidentified)
    roster_csv.write_csv(dest, roster_csv.roster_csv_bytes(rows))
    vault.audit_later("measures.export", "group", (group_id,))
    return Done(len(rows) - 1)
