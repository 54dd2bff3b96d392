"""The register in the session view: the member's open risk entries at the top of their
note in every session after the one that opened them, the risk entry dialog when the
risk concern is ticked, and the "Risk & incidents" panel from the session (kept out of
``sessions/view.py`` to keep that module small)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from groupleader import register_vocab
from groupleader.data.operations import query
from groupleader.data.operations import register as ops
from groupleader.data.register_snapshots import RiskEntrySnap, RiskEntrySpec
from groupleader.data.services import risk
from groupleader.errors import GroupLeaderError
from groupleader.ui import unsaved
from groupleader.ui.register import panel as panel_mod
from groupleader.ui.register.dialogs import ReviewDialog, RiskEntryDialog

if TYPE_CHECKING:
    from groupleader.ui.sessions.view import SessionsView

# The answers when the member already has an open entry.
REVIEW, NEW, KEEP = "review", "new", "keep"


def note_lines(entries: list[RiskEntrySnap], meeting_id: int,
               on: date) -> list[tuple[str, bool]]:
    """(line, overdue) for each open entry: "Suicidal ideation or self-harm (moderate):
    open since 12 Nov, review by 19 Nov", and "(opened in this session)" for one opened
    in the session shown."""
    out = []
    for e in entries:
        kind = register_vocab.KIND_LABELS.get(e.kind, e.kind)
        level = register_vocab.LEVEL_LABELS.get(e.current_level, e.current_level).lower()
        where = " (opened in this session)" if e.meeting_id == meeting_id else ""
        out.append((f"{kind} ({level}): {e.line(on)}{where}", e.overdue(on)))
    return out


class SessionRegister(QObject):
    """Wires the register into one `SessionsView`."""

    def __init__(self, view: SessionsView) -> None:
        super().__init__(view)
        self.view = view
        view.member_notes.risk_ticked.connect(self.open_entry)

    def refresh(self) -> None:
        """The open entries of every member of the shown session, as of its date."""
        v = self.view
        if v.meeting is None or v.ctx.vault is None:
            v.member_notes.set_risks({})
            return
        day = v.meeting.starts_at.astimezone().date()
        try:
            by_member = query(v.ctx.require_vault(), risk.open_entries_in_group,
                              v.meeting.group_id, day)
        except GroupLeaderError as err:
            v.report(err.message)
            return
        # as of the session's day: what was open, and overdue, when it met
        v.member_notes.set_risks({mid: note_lines(entries, v.meeting.id, day)
                                  for mid, entries in by_member.items()})

    def open_entry(self, member_id: int) -> bool:
        """The risk concern was ticked: open a risk entry for the member in this session.

        A member with an entry already open is offered a review of it instead (one
        ongoing entry per concern; ticking again, in this session or a later one, makes
        no duplicate). A new entry's dialog cancelled unticks the box, so no concern is
        left ticked with no entry behind it."""
        v = self.view
        m = v.meeting
        editor = v.member_notes.editor(member_id)
        if m is None or editor is None or editor.signed or v.ctx.read_only:
            return False
        if v.loaded is not None and v.loaded.locked:
            v.report("This session is signed, so no risk entry can be opened in it. Open "
                     "it in the next session; review open entries in Risk & incidents.")
            return False
        day = m.starts_at.astimezone().date()
        try:
            already = query(v.ctx.require_vault(), risk.open_entries_for, member_id, day,
                            m.group_id)
        except GroupLeaderError as err:
            v.report(err.message)
            return False
        if already:
            return self._offer_review(member_id, editor.display_name, already, day)
        meeting_id, done = m.id, []

        def submit(spec: RiskEntrySpec) -> None:
            done.append(v.ctx.run(lambda vault: ops.open_risk_entry(
                vault, meeting_id, member_id, spec), v))

        dialog = RiskEntryDialog(submit, editor.display_name, day, parent=v)
        panel_mod.run_dialog(dialog)
        if done:
            self.refresh()
        else:
            editor.risk_flag.setChecked(False)  # toggled: the note saves it unticked
            v.report(f"No risk entry was opened, so {editor.display_name}'s risk concern is "
                     "unticked again. Tick it to open one.")
        return bool(done)

    def _offer_review(self, member_id: int, who: str, entries: list[RiskEntrySnap],
                      day: date) -> bool:
        """The member already has an open entry: review it (in this session) rather than
        open a second one for the same concern. One opened in this very session is
        already the entry for this tick: nothing is asked."""
        v = self.view
        m = v.meeting
        assert m is not None
        if any(e.meeting_id == m.id for e in entries):
            v.report(f"{who}'s risk entry of this session is open; review or close it in "
                     "Risk & incidents.")
            return False
        e = entries[0]
        kind = register_vocab.KIND_LABELS.get(e.kind, e.kind)
        more = f" (and {len(entries) - 1} more)" if len(entries) > 1 else ""
        answer = unsaved.ask(
            v, "Risk entry already open",
            f"{who} already has an open risk entry: {kind}, {e.line(day)}{more}.\n\n"
            "Review that entry in this session, or open a new entry for a different "
            "concern?",
            [(REVIEW, "Review the open entry", QMessageBox.ButtonRole.AcceptRole),
             (NEW, "Open a new entry", QMessageBox.ButtonRole.ActionRole),
             (KEEP, "Neither", QMessageBox.ButtonRole.RejectRole)], KEEP)
        if answer == KEEP:
            return False
        if answer == NEW:
            meeting_id, opened = m.id, []

            def submit_new(spec: RiskEntrySpec) -> None:
                opened.append(v.ctx.run(lambda vault: ops.open_risk_entry(
                    vault, meeting_id, member_id, spec), v))

            panel_mod.run_dialog(RiskEntryDialog(submit_new, who, day, parent=v))
            if opened:
                self.refresh()
            return bool(opened)
        entry_id, meeting_id, done = e.id, m.id, []

        def submit(on: date, level: str, note: str, next_by: date | None) -> None:
            done.append(v.ctx.run(lambda vault: ops.review_risk_entry(
                vault, entry_id, on, level, note, next_by, meeting_id), v))

        panel_mod.run_dialog(ReviewDialog(submit, e, day, parent=v))
        if done:
            self.refresh()
        return bool(done)

    def open_panel(self) -> panel_mod.RegisterPanel | None:
        v = self.view
        if v.group_id is None:
            return None
        v.autosave.flush()
        shown = panel_mod.open_panel(v.ctx, v.group_id,
                                     v.meeting.id if v.meeting is not None else None, v)
        self.refresh()
        return shown
