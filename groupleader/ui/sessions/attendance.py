"""Attendance: every member active on the session's date, one click each.

"Everyone present" marks every member not yet recorded as present (one click for the
usual session) in one unit of work, all or nothing; then a click on a row corrects the
few who were late or absent. Each click is written at once. The first record also marks
a scheduled session as held.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from groupleader import amendments
from groupleader.data import clock
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.register_snapshots import AttendanceDetails
from groupleader.data.services.meetings import HOLD_AHEAD
from groupleader.data.snapshots import AttendanceRow, EligibleMember, MeetingSnap, MemberSpec
from groupleader.errors import GroupLeaderError
from groupleader.ui.context import AppContext
from groupleader.ui.elided import ElidedLabel
from groupleader.ui.privacy import screen_safe, shown_name
from groupleader.ui.sessions.attendance_details import details_summary

# (status, button text, long name): the short text keeps a row narrow enough for a
# 1024-pixel window; the long name is what screen readers and tooltips say.
STATUSES: tuple[tuple[str, str, str], ...] = (
    ("present", "Present", "Present"),
    ("late", "Late", "Late"),
    ("absent_notice", "Absent (notice)", "Absent, with notice"),
    ("absent_no_notice", "Absent (no notice)", "Absent, no notice"),
)
# In a narrow page (the name above its buttons) the absences are said shorter, so that the
# row fits a 1024-pixel window; the tooltip and the accessible name keep the long form.
NARROW_LABELS = {"absent_notice": "Notice", "absent_no_notice": "No notice"}
ATTENDED = {"present", "late"}
DEFAULT_LATE_MINUTES = 10
NAME_CHARS_MAX = 40  # a name longer than this many "n" widths may be cut (tooltip: all)
MORE_CHARS = 18  # what "More…" shows of the details recorded (its tooltip: all)
ENDINGS = ("graduated", "left", "transferred")  # what "Ends today…" offers
# A chosen status must show at a glance (the platform's "checked" look is often faint).
CHECKED_STYLE = """
QToolButton { padding: 3px 5px; }
QToolButton:checked { font-weight: bold; color: #ffffff; border: 1px solid #333333;
                      border-radius: 3px; }
QToolButton[status="present"]:checked { background: #1e7b34; }
QToolButton[status="late"]:checked { background: #9a5b00; }
QToolButton[status="absent_notice"]:checked { background: #3d5a80; }
QToolButton[status="absent_no_notice"]:checked { background: #b3261e; }
"""


def describe(status: str | None, minutes_late: int | None = None) -> str:
    if status == "late":
        return f"late {minutes_late} min" if minutes_late else "late"
    return {s: long for s, _short, long in STATUSES}.get(status or "", "not recorded").lower()


def too_far_ahead(meeting: MeetingSnap) -> bool:
    """True when the session starts more than the data layer's HOLD_AHEAD from now."""
    return meeting.status != "cancelled" and meeting.starts_at > clock.now() + HOLD_AHEAD


def long_date(moment: datetime) -> str:
    """E.g. "Tuesday 3 March 2026 at 18:00", in local time."""
    here = moment.astimezone()
    return f"{here:%A} {here.day} {here:%B %Y at %H:%M}"


class _Row:
    """The widgets of one member's row. Made once and refilled for the next session
    (`fill`, `blank`): a switch of session builds no widget."""

    def __init__(self, panel: AttendancePanel, grid: QGridLayout, row: int,
                 member: EligibleMember, name: str) -> None:
        self.member_id = member.member_id
        parent = grid.parentWidget()
        self.membership_id = member.membership_id
        self.name = ElidedLabel("", parent)
        self.name.setMaximumWidth(self.name.fontMetrics().horizontalAdvance("n" * NAME_CHARS_MAX))
        self.group = QButtonGroup(parent)
        self.group.setExclusive(True)
        self.buttons: dict[str, QToolButton] = {}
        self.widgets: list[QWidget] = [self.name]
        for status, label, long in STATUSES:
            button = QToolButton(parent)
            button.setText(label)
            button.setCheckable(True)
            button.setProperty("status", status)
            bold = button.font()
            bold.setBold(True)
            button.setProperty("wide_text", label)
            button.setMinimumWidth(QFontMetrics(bold).horizontalAdvance(label) + 12)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setToolTip(long)
            button.clicked.connect(lambda _=False, s=status: panel.record(self.member_id, s))
            self.group.addButton(button)
            self.buttons[status] = button
            self.widgets.append(button)
        self.minutes = QSpinBox(parent)
        self.minutes.setRange(1, 600)
        self.minutes.setValue(DEFAULT_LATE_MINUTES)
        self.minutes.setSuffix(" min")
        self.minutes.setMaximumWidth(self.minutes.fontMetrics().horizontalAdvance("600 min") + 40)
        self.minutes.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.minutes.setEnabled(False)
        self.minutes.editingFinished.connect(lambda: panel.minutes_changed(self.member_id))
        self.widgets.append(self.minutes)
        # Their last session: graduated (or left) today, in two clicks from here.
        self.ends = QToolButton(parent)
        self.ends.setText("Ends…")
        self.ends.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.ends.setToolTip("Their last session: graduated, left or transferred on this "
                             "session's date (they still belong to it)")
        self.ends.clicked.connect(lambda: panel.end_membership(self.member_id))
        self.widgets.append(self.ends)
        # Left early, the reason for an absence, contact after one (issue 16)
        self.more = QToolButton(parent)
        self.more.setText("More…")
        self.more.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.more.setToolTip("Left early, the reason for an absence, contact after one")
        self.more.clicked.connect(lambda: panel.edit_details(self.member_id))
        self.widgets.append(self.more)
        self.placed: tuple[int, bool] | None = None  # (row, stacked) where it sits now
        self.fill(member, name)
        self.place(grid, row, stacked=False)

    def fill(self, member: EligibleMember, name: str) -> None:
        """This member's row: the name, the controls' names, no mark yet."""
        self.member_id, self.membership_id = member.member_id, member.membership_id
        self.name.setText(name)
        self.name.set_tip("")
        self.name.setAccessibleName("")
        for (_status, _label, long), button in zip(STATUSES, self.buttons.values(),
                                                   strict=True):
            button.setAccessibleName(f"{long}: {name}")
        self.minutes.blockSignals(True)
        self.minutes.setMaximum(600)
        self.minutes.setValue(DEFAULT_LATE_MINUTES)
        self.minutes.blockSignals(False)
        self.minutes.setAccessibleName(f"Minutes late: {name}")
        self.ends.setAccessibleName(f"Membership ends at this session: {name}")
        self.more.setAccessibleName(f"Left early, reason or contact: {name}")
        self.show_details(None)
        for widget in self.widgets:
            widget.show()

    def blank(self) -> None:
        """Hidden and emptied of every name (kept for the next session's rows)."""
        self.placed = None  # placed again when used again
        self.name.setText("")
        self.name.set_tip("")
        for widget in self.widgets:
            widget.setAccessibleName("")
            widget.hide()

    def controls(self) -> list[QWidget]:
        """Present, Late, minutes, Absent (notice), Absent (no notice), More…, Ends…."""
        b = self.buttons
        return [b["present"], b["late"], self.minutes, b["absent_notice"],
                b["absent_no_notice"], self.more, self.ends]

    def show_details(self, rec: AttendanceRow | None) -> None:
        """"More…" names what is recorded: "left 20 min early", "contacted 5 Mar"."""
        said = details_summary(rec)
        metrics = self.more.fontMetrics()  # a long reason must not widen every row
        short = metrics.elidedText(said, Qt.TextElideMode.ElideRight,
                                   metrics.horizontalAdvance("n" * MORE_CHARS))
        self.more.setText(f"{short} …" if said else "More…")
        self.more.setToolTip(said or "Left early, the reason for an absence, contact "
                             "after one")

    def place(self, grid: QGridLayout, row: int, stacked: bool) -> None:
        """Side by side (name, then the controls) or, in a narrow window, the name on a
        line of its own above the controls. A row already there is left as it is (a
        switch of session moves no widget in the grid)."""
        if self.placed == (row, stacked):
            return
        self.placed = (row, stacked)
        for status, button in self.buttons.items():
            label = NARROW_LABELS.get(status, "") if stacked else ""
            label = label or str(button.property("wide_text"))
            if button.text() != label:
                button.setText(label)
                bold = button.font()
                bold.setBold(True)
                button.setMinimumWidth(QFontMetrics(bold).horizontalAdvance(label) + 12)
        if stacked:  # the name, and "Ends…" at the end of its line, above the buttons
            grid.addWidget(self.name, 2 * row, 0, 1, 5)
            grid.addWidget(self.ends, 2 * row, 5)
            for col, widget in enumerate(self.controls()[:-1]):
                grid.addWidget(widget, 2 * row + 1, col)
        else:
            grid.addWidget(self.name, row, 0)
            for col, widget in enumerate(self.controls(), start=1):
                grid.addWidget(widget, row, col)

    def controls_width(self) -> int:
        """The controls' width side by side, with the buttons' long texts (what the line
        needs, whichever texts are shown now)."""
        width = 0
        for w in self.controls():
            wide = w.property("wide_text")
            if isinstance(w, QToolButton) and wide and w.text() != wide:
                metrics = w.fontMetrics()
                extra = metrics.horizontalAdvance(str(wide)) - metrics.horizontalAdvance(w.text())
                width += max(w.sizeHint().width() + extra, w.minimumWidth())
            else:
                width += w.sizeHint().width()
        return width

    def show(self, status: str | None, minutes_late: int | None) -> None:
        self.group.setExclusive(False)
        for key, button in self.buttons.items():
            button.setChecked(key == status)
        self.group.setExclusive(True)
        self.minutes.setEnabled(status == "late")
        if status == "late" and minutes_late:
            self.minutes.blockSignals(True)
            self.minutes.setValue(minutes_late)
            self.minutes.blockSignals(False)

    def set_enabled(self, enabled: bool, recorded: bool = True) -> None:
        for button in self.buttons.values():
            button.setEnabled(enabled)
        self.ends.setEnabled(enabled)
        self.more.setEnabled(enabled and recorded)
        if not enabled:
            self.minutes.setEnabled(False)


LOCKED_TEXT = ("This session is signed, so its attendance stays as it was signed. To "
               "correct a mark, record an amendment: Correct attendance… (Session > "
               "Correct…).")


def amended_tip(row: AttendanceRow) -> str:
    """What a mark an amendment set says about the mark as recorded."""
    recorded = amendments.status_words(row.recorded_status, row.recorded_minutes_late)
    now = amendments.status_words(row.status, row.minutes_late)
    return f"Amended after signing: {now}; recorded as {recorded}"


class AttendancePanel(QWidget):
    changed = Signal()  # attendance (or the session's held state) was written
    error = Signal(str)
    reschedule_requested = Signal()  # the session is too far ahead for attendance
    roster_changed = Signal()  # a member joined, or one's membership ended, from here
    correct_requested = Signal()  # the session is signed: correct a mark by an amendment

    def __init__(self, ctx: AppContext, source: object | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.source = source or self  # the view its changes are announced from
        self.meeting: MeetingSnap | None = None
        self._rows: dict[int, _Row] = {}
        self._spare: list[_Row] = []  # rows of an earlier session, blank, hidden
        self._records: dict[int, AttendanceRow] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        # Alt+E is the menu bar's Edit menu, so this button's mnemonic is Alt+Y.
        self.everyone = QPushButton("Ever&yone present", self)
        self.everyone.setAccessibleName("Mark everyone not yet recorded as present")
        self.everyone.setToolTip("Marks every member not yet recorded as present; then "
                                 "click the few who were late or absent. (Alt+Y)")
        self.everyone.clicked.connect(self.everyone_present)
        bar.addWidget(self.everyone)
        self.new_member = QPushButton("New member…", self)
        self.new_member.setAccessibleName("A new member joins at this session")
        self.new_member.setToolTip("Add a member who joins the group at this session "
                                   "(active from its date)")
        self.new_member.clicked.connect(self.add_member)
        bar.addWidget(self.new_member)
        self.summary = QLabel(self)
        bar.addWidget(self.summary, 1)
        layout.addLayout(bar)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.hide()
        layout.addWidget(self.note)
        # A session more than a day ahead: no buttons, only a way to move it.
        self.ahead = QWidget(self)
        ahead_row = QHBoxLayout(self.ahead)
        ahead_row.setContentsMargins(0, 0, 0, 0)
        self.reschedule_button = QPushButton("Reschedule…", self.ahead)
        self.reschedule_button.setAccessibleName("Reschedule the session")
        self.reschedule_button.clicked.connect(self.reschedule_requested)
        ahead_row.addWidget(self.reschedule_button)
        ahead_row.addStretch(1)
        self.ahead.hide()
        layout.addWidget(self.ahead)
        # A signed session: the marks are shown, locked, with a way to amend them.
        self.locked_bar = QWidget(self)
        locked_row = QHBoxLayout(self.locked_bar)
        locked_row.setContentsMargins(0, 0, 0, 0)
        self.correct_button = QPushButton("&Correct attendance…", self.locked_bar)
        self.correct_button.setAccessibleName("Correct the attendance with an amendment")
        self.correct_button.clicked.connect(self.correct_requested)
        locked_row.addWidget(self.correct_button)
        locked_row.addStretch(1)
        self.locked_bar.hide()
        layout.addWidget(self.locked_bar)
        self.locked = False
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout.addWidget(scroll, 1)
        self._stacked = False
        self._scroll = scroll
        scroll.viewport().installEventFilter(self)
        self._body = QWidget(scroll)
        scroll.setWidget(self._body)
        self._body.setStyleSheet(CHECKED_STYLE)
        self._grid = QGridLayout(self._body)
        self._grid.setHorizontalSpacing(4)
        self._grid.setContentsMargins(0, 4, 4, 4)
        self._grid.setColumnStretch(8, 1)  # the room left over goes after the buttons

    # ------------------------------------------------------------ filling
    def load(self, meeting: MeetingSnap | None, eligible: list[EligibleMember],
             records: list[AttendanceRow], locked: bool = False) -> None:
        """Show the session's marks; `locked` (its group note is signed): read only, with
        the amended marks marked and a way to correct one.

        The rows shown stay where they are and are refilled in order (no row is hidden and
        shown again); only rows left over are emptied and hidden."""
        reuse = list(self._rows.values())  # in grid order: each keeps its place
        self._rows.clear()
        self.clear()
        self._spare.extend(reversed(reuse))  # `pop()` takes the first row first
        try:
            self._load(meeting, eligible, records, locked)
        finally:
            used = set(map(id, self._rows.values()))
            for row in reuse:  # not needed for this session: no name of the last one stays
                if id(row) not in used:
                    row.blank()

    def _load(self, meeting: MeetingSnap | None, eligible: list[EligibleMember],
              records: list[AttendanceRow], locked: bool) -> None:
        self.meeting = meeting
        self.locked = locked and meeting is not None
        if meeting is not None and too_far_ahead(meeting):
            # the data layer refuses attendance this early: say so instead of offering buttons
            self.everyone.hide()
            self.new_member.hide()
            self._say(f"This session is on {long_date(meeting.starts_at)}. Attendance can "
                      "be recorded from the day before.")
            self.ahead.show()
            return
        self._records = {r.member_id: r for r in records}
        members = list(eligible)
        known = {m.member_id for m in members}
        for r in records:  # recorded but no longer eligible (a date moved): still shown
            if r.member_id not in known:
                members.append(EligibleMember(r.member_id, r.membership_id, r.display_name,
                                              "", r.pseudonym))
        safe = screen_safe(self.ctx)
        for grid_row in range(self._grid.rowCount()):
            self._grid.setRowStretch(grid_row, 0)
        for i, member in enumerate(members):
            name = shown_name(member.display_name, member.pseudonym, safe)
            if self._spare:  # a row of an earlier session, refilled
                row = self._spare.pop()
                row.fill(member, name)
                row.place(self._grid, i, stacked=self._stacked)
            else:
                row = _Row(self, self._grid, i, member, name)
                if self._stacked:
                    row.place(self._grid, i, stacked=True)
            rec = self._records.get(member.member_id)
            row.show(rec.status if rec else None, rec.minutes_late if rec else None)
            if rec is not None and rec.amended:
                row.name.setText(f"{name} · amended")
                row.name.set_tip(amended_tip(rec))
                row.name.setAccessibleName(f"{name}: {amended_tip(rec)}")
            if meeting is not None:
                row.minutes.setMaximum(meeting.length_minutes)
            self._rows[member.member_id] = row
        self._grid.setRowStretch(len(members) * (2 if self._stacked else 1), 1)
        self._fit()
        cancelled = meeting is not None and meeting.status == "cancelled"
        frozen = cancelled or self.locked
        for row in self._rows.values():
            rec = self._records.get(row.member_id)
            row.set_enabled(not frozen, rec is not None)
            row.show_details(rec)
            row.minutes.setEnabled(not frozen and rec is not None and rec.status == "late")
        self.everyone.setEnabled(not frozen and bool(members))
        self.new_member.setEnabled(not frozen and not self.ctx.read_only)  # signed: locked
        if self.locked:
            self._say(LOCKED_TEXT)
            self.locked_bar.show()
            self.correct_button.setEnabled(not self.ctx.read_only)
        elif cancelled:
            self._say("This session was cancelled: there is no attendance to take.")
        elif not members:
            self._say("No member was active in this group on the session's date. Add members "
                      "in the Roster.")
        self._update_summary()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._fit()
        return super().eventFilter(watched, event)

    def _fit(self) -> None:
        """Stack each name above its buttons when the page is too narrow for one line
        (a 1024-pixel window), so nothing is cut off or needs scrolling sideways."""
        if not self._rows:
            return
        first = next(iter(self._rows.values()))
        spacing = self._grid.horizontalSpacing() * 6
        margins = self._grid.contentsMargins()
        name = max(min(r.name.sizeHint().width(), r.name.maximumWidth())
                   for r in self._rows.values())
        needed = (first.controls_width() + spacing + margins.left() + margins.right()
                  + name)
        stacked = self._scroll.viewport().width() < needed
        if stacked == self._stacked:
            return
        self._stacked = stacked
        for grid_row in range(self._grid.rowCount()):
            self._grid.setRowStretch(grid_row, 0)
        for i, row in enumerate(self._rows.values()):
            row.place(self._grid, i, stacked)
        self._grid.setRowStretch(len(self._rows) * (2 if stacked else 1), 1)

    @property
    def stacked(self) -> bool:
        return self._stacked

    def _say(self, text: str) -> None:
        self.note.setText(text)
        self.note.show()

    def clear(self) -> None:
        """Empty every row at once (a lock must leave no name in the widget tree); the
        blank rows are kept, hidden, for the next session."""
        for row in self._rows.values():
            row.blank()
            self._spare.append(row)
        self._rows.clear()
        self._records.clear()
        self.meeting = None
        self.locked = False
        self.note.hide()
        self.ahead.hide()
        self.locked_bar.hide()
        self.everyone.show()
        self.new_member.show()
        self.summary.setText("")

    def _update_summary(self) -> None:
        total = len(self._rows)
        came = sum(1 for r in self._records.values() if r.status in ATTENDED)
        recorded = len(self._records)
        text = f"{came} of {total} attended" if total else ""
        if recorded < total:
            text += f" · {total - recorded} not recorded"
        self.summary.setText(text)

    # ------------------------------------------------------------ reading
    def records(self) -> dict[int, AttendanceRow]:
        return dict(self._records)

    def member_ids(self) -> list[int]:
        """The members listed, in order."""
        return list(self._rows)

    def row_ends(self, member_id: int) -> QToolButton:
        """The row's "Ends…" button (their last session)."""
        return self._rows[member_id].ends

    def attended_ids(self) -> list[int]:
        return [mid for mid, r in self._records.items() if r.status in ATTENDED]

    def row_buttons(self, member_id: int) -> dict[str, QToolButton]:
        return dict(self._rows[member_id].buttons)

    def minutes_box(self, member_id: int) -> QSpinBox:
        return self._rows[member_id].minutes

    # ------------------------------------------------------------ writing
    def record(self, member_id: int, status: str) -> bool:
        if self.meeting is None:
            return False
        if self.locked:  # the buttons are disabled; a stray click changes nothing either
            self.error.emit(LOCKED_TEXT)
            return False
        row = self._rows[member_id]
        minutes = row.minutes.value() if status == "late" else None
        ok = self._write([(member_id, status, minutes)])
        rec = self._records.get(member_id)
        row.show(rec.status if rec else None, rec.minutes_late if rec else None)
        return ok

    def minutes_changed(self, member_id: int) -> None:
        rec = self._records.get(member_id)
        value = self._rows[member_id].minutes.value()
        if rec is not None and rec.status == "late" and rec.minutes_late != value:
            self.record(member_id, "late")

    def everyone_present(self) -> None:
        if self.locked:
            self.error.emit(LOCKED_TEXT)
            return
        todo: list[tuple[int, str, int | None]] = [
            (mid, "present", None) for mid in self._rows if mid not in self._records]
        if todo:
            self._write(todo)
        for mid, row in self._rows.items():
            rec = self._records.get(mid)
            row.show(rec.status if rec else None, rec.minutes_late if rec else None)

    def _write(self, items: list[tuple[int, str, int | None]]) -> bool:
        """Write the (member id, status, minutes late) rows in one unit of work: all of them
        or, if the service refuses one, none (the banner says why)."""
        assert self.meeting is not None
        meeting_id = self.meeting.id
        try:
            written, self.meeting = self.ctx.run(
                lambda v: ops_meetings.take_attendance(v, meeting_id, items), self.source)
        except GroupLeaderError as err:
            self.error.emit(err.message + (" Nothing was recorded." if len(items) > 1 else ""))
            return False
        self._records.update((row.member_id, row) for row in written)
        for row in written:
            if row.member_id in self._rows:
                self._rows[row.member_id].show_details(row)
                self._rows[row.member_id].more.setEnabled(True)
        self._update_summary()
        self.changed.emit()
        return True


    def edit_details(self, member_id: int) -> bool:
        """"More…": left early, the absence's reason, contact after it (`set_details`)."""
        m, rec, row = self.meeting, self._records.get(member_id), self._rows.get(member_id)
        if m is None or rec is None or row is None:
            return False
        if self.locked:
            self.error.emit(LOCKED_TEXT)
            return False
        from groupleader.data.operations import register as ops_register
        from groupleader.ui.sessions.attendance_details import AttendanceDetailsDialog

        meeting_id, done = m.id, []

        def submit(details: AttendanceDetails) -> None:
            done.append(self.ctx.run(lambda v: ops_register.set_attendance_details(
                v, meeting_id, member_id, details), self.source))

        run_dialog(AttendanceDetailsDialog(submit, row.name.text(), rec,
                                           m.starts_at.astimezone().date(),
                                           m.length_minutes, self))
        if done:
            self._records[member_id] = done[0]
            row.show_details(done[0])
            self.changed.emit()
        return bool(done)

    # ------------------------------------------------------------ the roster, from here
    def add_member(self) -> bool:
        """A new member joins at this session: the roster's member dialog, active from the
        session's date; their row appears at once."""
        m = self.meeting
        if m is None:
            return False
        from groupleader.data.operations import roster as ops_roster
        from groupleader.ui.roster.member_dialog import MemberDialog, qdate

        day, group_id, added = m.starts_at.astimezone().date(), m.group_id, []

        def submit(spec: MemberSpec, status: str | None, on_date: date | None) -> None:
            added.append(self.ctx.run(lambda v: ops_roster.add_member_to_group(
                v, spec, group_id, status or "active", on_date or day), self.source))

        dialog = MemberDialog(submit, adding=True, parent=self, starts_as="active")
        if dialog.on_date is not None:
            dialog.on_date.setDate(qdate(day))
        run_dialog(dialog)
        if added:
            self.roster_changed.emit()
        return bool(added)

    def end_membership(self, member_id: int) -> bool:
        """Their last session: the roster's status dialog, Graduated chosen and dated
        this session's day (they still belong to this session, not to the next)."""
        m, row = self.meeting, self._rows.get(member_id)
        if m is None or row is None:
            return False
        from groupleader.data.operations import roster as ops_roster
        from groupleader.ui.roster.commands import status_reason
        from groupleader.ui.roster.member_dialog import qdate
        from groupleader.ui.roster.status_dialog import StatusDialog

        ms_id, done = row.membership_id, []

        def submit(new: str, on_date: date, reason: str, farewell: str) -> None:
            why = status_reason(reason, farewell)
            done.append(self.ctx.run(
                lambda v: ops_roster.change_status(v, ms_id, new, on_date, why), self.source))

        dialog = StatusDialog(submit, ENDINGS, title="Membership ends",
                              who=row.name.text(), current="active", parent=self)
        dialog.choose("graduated")
        dialog.on_date.setDate(qdate(m.starts_at.astimezone().date()))
        run_dialog(dialog)
        if done:
            self.roster_changed.emit()
        return bool(done)


def run_dialog(dialog: QDialog) -> int:
    """Show a modal dialog (tests replace this)."""
    return dialog.exec()
