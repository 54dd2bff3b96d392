"""The Measures tab: who is due at a session, keyboard entry of their forms, a member's
trends and the group's climate, the group's questionnaires and the scores CSV.

All reads go through `operations.query`, all writes through `ctx.run`; after a change the
view refreshes when shown (`refresh.Follower`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from groupleader.data.measures_snapshots import ScoreSnap
from groupleader.data.operations import measures as ops
from groupleader.data.operations import query
from groupleader.data.services import goals, measures, meetings
from groupleader.errors import FormNotFinished, GroupLeaderError
from groupleader.measures import registry
from groupleader.measures.scoring import Result, Status
from groupleader.measures.trends import Trend
from groupleader.ui import file_dialogs, unsaved
from groupleader.ui.measures.charts import TrendChart
from groupleader.ui.measures.entry import ScoreEntry, describe, risk_unanswered
from groupleader.ui.measures.goals import GoalsDialog
from groupleader.ui.privacy import screen_safe
from groupleader.ui.refresh import Follower

if TYPE_CHECKING:
    from groupleader.data.operations.base import Changes
    from groupleader.ui.context import AppContext


def _result_of(stored: ScoreSnap) -> Result:
    """A stored form as the entry describes it."""
    return Result(stored.instrument, cast(Status, stored.status), dict(stored.values), 0, ())


class InstrumentsDialog(QDialog):
    """Which questionnaires the group uses, and how often."""

    def __init__(self, current: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Questionnaires")
        grid = QGridLayout()
        self.choices: dict[str, QComboBox] = {}
        for row, inst in enumerate(registry.instruments()):
            combo = QComboBox()
            combo.setAccessibleName(inst.name)
            combo.addItem("Not used", "")
            for schedule, label in measures.SCHEDULE_LABELS.items():
                combo.addItem(label, str(schedule))
            combo.setCurrentIndex(max(0, combo.findData(current.get(inst.key, ""))))
            name = QLabel(f"{inst.name}: {inst.title}")
            name.setTextFormat(Qt.TextFormat.PlainText)
            grid.addWidget(name, row, 0)
            grid.addWidget(combo, row, 1)
            self.choices[inst.key] = combo
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        col = QVBoxLayout(self)
        col.addLayout(grid)
        col.addWidget(buttons)

    def entries(self) -> list[tuple[str, str]]:
        return [(key, str(c.currentData())) for key, c in self.choices.items()
                if c.currentData()]


class TrendList(QScrollArea):
    """Charts one under the other (a member's instruments, or the group's)."""

    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.empty_text = empty_text
        self.charts: list[TrendChart] = []
        self.show_trends([])

    def show_trends(self, trends: list[Trend]) -> None:
        body = QWidget()
        col = QVBoxLayout(body)
        self.charts = []
        for t in trends:
            chart = TrendChart(t)
            chart.setMinimumHeight(280)
            col.addWidget(chart)
            self.charts.append(chart)
        if not trends:
            hint = QLabel(self.empty_text)
            hint.setWordWrap(True)
            col.addWidget(hint)
        col.addStretch(1)
        self.setWidget(body)


class MeasuresView(QWidget):
    """The per-group Measures tab."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.group_id: int | None = None
        self.exec_dialog = lambda d: d.exec()  # tests drive dialogs without a modal loop
        # (session, member) the entry's answers are for: typed answers never follow a change
        # of member or session (`_leave_form`), and lock saves them for this member only.
        self._form_key: tuple[int, int] | None = None
        self._busy = False  # a save is running: its change notice must not reload the entry
        self.session = QComboBox()
        self.session.setAccessibleName("Session")
        self.member = QComboBox()
        self.member.setAccessibleName("Member")
        self.goals_button = QPushButton("Goals…")
        self.goals_button.setToolTip("The member's goals for the group, rated in their notes")
        self.setup_button = QPushButton("Questionnaires…")
        self.export_button = QPushButton("Export scores CSV…")
        top = QHBoxLayout()
        for label, w in (("Session", self.session), ("Member", self.member)):
            top.addWidget(QLabel(label))
            top.addWidget(w)
        top.addWidget(self.goals_button)
        top.addStretch(1)
        top.addWidget(self.setup_button)
        top.addWidget(self.export_button)
        self.due = QListWidget()
        self.due.setAccessibleName("Due at this session")
        self.entry = ScoreEntry()
        self.save_button = QPushButton("Save form")
        self.save_button.setToolTip("Return after the last item, or Ctrl+Return")
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        left = QWidget()
        lcol = QVBoxLayout(left)
        lcol.addWidget(QLabel("Due at this session"))
        lcol.addWidget(self.due, 1)
        lcol.addWidget(self.entry)
        lcol.addWidget(self.save_button)
        lcol.addWidget(self.message)
        self.member_trends = TrendList("No scores for this member yet.")
        self.group_trends = TrendList("No group questionnaires yet.")
        self.trend_tabs = QTabWidget()
        self.trend_tabs.addTab(self.member_trends, "Member trends")
        self.trend_tabs.addTab(self.group_trends, "Group climate")
        # The entry column scrolls rather than setting the window's least height: the
        # window must fit a 1024x600 screen with this tab among the others.
        left_scroll = QScrollArea()
        left_scroll.setWidget(left)
        left_scroll.setWidgetResizable(True)
        left_scroll.setFrameShape(QFrame.Shape.NoFrame)
        left_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left_scroll.setMinimumWidth(left.minimumSizeHint().width())
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left_scroll)
        split.addWidget(self.trend_tabs)
        split.setStretchFactor(1, 1)
        col = QVBoxLayout(self)
        col.addLayout(top)
        col.addWidget(split, 1)
        self.session.currentIndexChanged.connect(self._session_changed)
        self.member.currentIndexChanged.connect(self._member_changed)
        self.due.itemActivated.connect(self._due_chosen)
        self.due.itemClicked.connect(self._due_chosen)
        self.save_button.clicked.connect(self.save_form)
        self.entry.submitted.connect(self.save_form)
        self.entry.instrument_chosen.connect(self._load_stored)
        self.entry.may_leave = self._leave_form
        self.setup_button.clicked.connect(self.edit_instruments)
        self.goals_button.clicked.connect(self.edit_goals)
        self.export_button.clicked.connect(lambda: self.export_csv())
        save = QShortcut(QKeySequence("Ctrl+Return"), self, self.save_form)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.follower = Follower(self, self._cares, self._apply, self.reload)
        ctx.changed.connect(self.follower.on_changed)
        ctx.settings_changed.connect(self._on_settings)
        self.set_group(None)

    def _on_settings(self) -> None:
        """Names shown another way (screen-share safe): read again now if shown, else
        when shown (a hidden view reads nothing)."""
        if self.group_id is not None and not self.isVisible():
            self.follower.stale = True
            return
        self.reload()

    # ---------------------------------------------------------------- GroupView
    def set_group(self, group_id: int | None) -> None:
        if group_id != self.group_id:  # the workspace saved (or refused) the form first
            self._form_key = None
            self.entry.reset()
        self.group_id = group_id
        if group_id is not None and not self.isVisible():
            self.follower.stale = True
            return
        self.reload()

    def save_pending(self) -> None:
        """Before lock, quit or a change of group: a form typed to its end is saved for the
        member it was typed for; a half-typed one (or one that would replace a stored
        form) raises GroupLeaderError, so Ctrl+L asks and the idle lock keeps it."""
        if not self.entry.dirty or self._form_key is None:
            return
        inst = self.entry.instrument
        if not self.entry.complete():
            raise FormNotFinished(
                f"A {inst.name} form in Measures is only partly typed ({self.entry.progress()}),"
                " so it is not saved. Finish it and press Return, or clear it.")
        if not self._save(self._form_key, ask=False):  # no name in the error: it may travel
            raise FormNotFinished(
                f"A {inst.name} form typed in Measures is not saved: it would replace a stored"
                " form, or could not be written. Press Return in Measures to see why.")

    def clear_clinical(self) -> None:
        self.follower.forget()
        self.session.blockSignals(True)
        self.session.clear()
        self.session.blockSignals(False)
        self.member.blockSignals(True)
        self.member.clear()
        self.member.blockSignals(False)
        self.due.clear()
        self._form_key = None
        self.entry.select(self.entry.combo.itemData(0))
        self.entry.reset()
        self.member_trends.show_trends([])
        self.group_trends.show_trends([])
        self.message.clear()

    def _cares(self, changes: Changes, source: object) -> bool:
        return changes.in_group(self.group_id)

    def _apply(self, changes: Changes, source: object) -> None:
        self.reload()

    # ---------------------------------------------------------------- reading
    def reload(self) -> None:
        if self._busy:  # the save reloads when it is done
            return
        vault = self.ctx.vault
        if vault is None or self.group_id is None:
            self.clear_clinical()
            return
        keep = self.session.currentData()
        try:
            sessions = [m for m in query(vault, meetings.list_meetings, self.group_id)
                        if m.status != "cancelled"]
            climate = query(vault, measures.group_trends, self.group_id)
            used = query(vault, measures.group_instruments, self.group_id)
        except GroupLeaderError as err:
            self.message.setText(err.message)
            return
        self.session.blockSignals(True)
        self.session.clear()
        for m in reversed(sessions):
            self.session.addItem(f"{m.label}, {m.starts_at.astimezone():%d %b %Y}", m.id)
        i = self.session.findData(keep)
        self.session.setCurrentIndex(i if i >= 0 else 0)
        self.session.blockSignals(False)
        self.group_trends.show_trends(climate)
        if used and self.entry.instrument.key not in {g.instrument for g in used}:
            self.entry.select(used[0].instrument)
        self._session_changed()

    def meeting_id(self) -> int | None:
        data = self.session.currentData()
        return int(data) if data is not None else None

    def member_id(self) -> int | None:
        data = self.member.currentData()
        return int(data) if data is not None else None

    def _session_changed(self) -> None:
        vault, mid = self.ctx.vault, self.meeting_id()
        if self._form_key is not None and mid != self._form_key[0] and not self._leave_form():
            self.session.blockSignals(True)
            self.session.setCurrentIndex(max(0, self.session.findData(self._form_key[0])))
            self.session.blockSignals(False)
            return
        self.due.clear()
        keep = self.member.currentData()
        self.member.blockSignals(True)
        self.member.clear()
        if vault is not None and mid is not None:
            safe = screen_safe(self.ctx)  # screen-share safe: pseudonyms, never names
            shown: dict[int, str] = {}
            for person in query(vault, meetings.eligible_members, mid):
                shown[person.member_id] = person.pseudonym if safe else person.display_name
                self.member.addItem(shown[person.member_id], person.member_id)
            for d in query(vault, measures.due, mid):
                inst = registry.instrument(d.instrument)
                mark = "entered" if d.entered else "due"
                who = shown.get(d.member_id, d.member_name)
                item = QListWidgetItem(f"{who}: {inst.name} ({d.reason}) – {mark}")
                item.setData(Qt.ItemDataRole.UserRole, (d.member_id, d.instrument))
                self.due.addItem(item)
        i = self.member.findData(keep)
        self.member.setCurrentIndex(i if i >= 0 else 0)
        self.member.blockSignals(False)
        self._member_changed()

    def _member_changed(self) -> None:
        vault, member_id = self.ctx.vault, self.member_id()
        key = self._key()
        if self._form_key is not None and key != self._form_key and not self._leave_form():
            self.member.blockSignals(True)
            self.member.setCurrentIndex(max(0, self.member.findData(self._form_key[1])))
            self.member.blockSignals(False)
            return
        if key != self._form_key or not self.entry.dirty:
            self._form_key = key
            self._load_stored()
        if vault is None or member_id is None or self.group_id is None:
            self.member_trends.show_trends([])
            return
        self.member_trends.show_trends(
            query(vault, measures.member_trends, member_id, self.group_id))

    def _key(self) -> tuple[int, int] | None:
        mid, member_id = self.meeting_id(), self.member_id()
        return (mid, member_id) if mid is not None and member_id is not None else None

    def _shown_name(self, member_id: int) -> str:
        i = self.member.findData(member_id)
        return self.member.itemText(i) if i >= 0 else "this member"

    def _leave_form(self) -> bool:
        """The member, session or instrument is about to change with answers typed for
        another: ask whether to save them for their own member, discard them, or go back
        to that member's form. False: stay (the caller puts the choice back)."""
        if not self.entry.dirty or self._form_key is None:
            return True
        inst, name = self.entry.instrument, self._shown_name(self._form_key[1])
        choices: list[unsaved.Choice] = []
        if self.entry.complete():
            choices.append(("save", f"Save it for {name}", QMessageBox.ButtonRole.AcceptRole))
        choices += [("stay", f"Back to {name}", QMessageBox.ButtonRole.RejectRole),
                    ("discard", "Discard the answers", QMessageBox.ButtonRole.DestructiveRole)]
        choice = unsaved.ask(
            self, "Answers not saved",
            f"The {inst.name} answers typed for {name} ({self.entry.progress()}) are not saved."
            " They are never filed under another member, session or questionnaire.",
            choices, "stay")
        if choice == "save":
            return self._save(self._form_key, ask=True, move_on=False)
        if choice == "discard":
            self.entry.reset()
            return True
        return False

    def _stored(self, mid: int, member_id: int, instrument: str) -> ScoreSnap | None:
        vault = self.ctx.vault
        if vault is None:
            return None
        return next((s for s in query(vault, measures.scores_for_meeting, mid)
                     if s.member_id == member_id and s.instrument == instrument), None)

    def _load_stored(self) -> None:
        """Show the chosen member's stored form of the chosen instrument (or a blank one)."""
        key = self._key()
        stored = self._stored(*key, self.entry.instrument.key) if key is not None else None
        if stored is None:
            self.entry.reset()
        else:
            self.entry.load(list(stored.answers) if stored.answers is not None else None,
                            stored.values.get("total"))

    def _due_chosen(self, item: QListWidgetItem) -> None:
        member_id, instrument = item.data(Qt.ItemDataRole.UserRole)
        self.member.setCurrentIndex(self.member.findData(member_id))
        if self.member_id() != member_id:  # stayed with the typed answers
            return
        self.entry.select(instrument)
        if self.entry.items is not None:
            self.entry.items.setFocus()

    # ---------------------------------------------------------------- writing
    def save_form(self) -> None:
        """Return or Save: store the form for the chosen member, then go on to the next
        member still due."""
        key = self._key()
        if key is None:
            self.message.setText("Choose a session and a member first.")
            return
        self._save(key, ask=True)

    def _save(self, key: tuple[int, int], ask: bool, move_on: bool = True) -> bool:
        """Store the entry as the form of (session, member); replacing a different stored
        form asks first (`ask`), or is refused (lock: nobody to ask). True when saved."""
        mid, member_id = key
        inst = self.entry.instrument
        try:
            result = self.entry.result()
            if result is None:
                self.message.setText(f"Type the {inst.name} answers (or its total) first.")
                return False
            answers = self.entry.answers()
            total = None if answers is not None else result.total
            stored = self._stored(mid, member_id, inst.key)
            same = stored is not None and (
                stored.answers == tuple(answers) if answers is not None
                else stored.answers is None and stored.values.get("total") == total)
            if stored is not None and not same:
                name = self._shown_name(member_id)
                if not ask:
                    self.message.setText(
                        f"The {inst.name} typed for {name} would replace a stored form: "
                        "not saved. Press Return to replace it.")
                    return False
                choice = unsaved.ask(
                    self, "Replace the stored form?",
                    f"{name} already has a {inst.name} form at this session: "
                    f"{describe(inst, _result_of(stored))}.\n\nReplace it with the one typed now?",
                    [("replace", "Replace it", QMessageBox.ButtonRole.AcceptRole),
                     ("keep", "Keep the stored form", QMessageBox.ButtonRole.RejectRole)],
                    "keep")
                if choice != "replace":
                    self.message.setText("Not saved: the stored form is kept, the typed "
                                         "answers are still here.")
                    return False
            self._busy = True
            try:
                saved = self.ctx.run(lambda v: ops.save_score(v, mid, member_id, inst.key,
                                                              answers, total), self)
            finally:
                self._busy = False
        except GroupLeaderError as err:
            self.message.setText(err.message)
            return False
        text = f"Saved {inst.name} for {self._shown_name(member_id)}."
        warning = risk_unanswered(inst, answers)
        if warning:
            text += " " + warning
        if saved.risk_done:
            text += (" A risk item was answered above 0: "
                     + "; ".join(saved.risk_done) + " of the register, for review.")
        self.entry.reset()
        self.reload()
        if move_on:
            text += self._next_due()
        self.message.setText(text)
        return True

    def _next_due(self) -> str:
        """Choose the next line of the due list still to be entered; what to tell."""
        for i in range(self.due.count()):
            item = self.due.item(i)
            if item.text().endswith("– due"):
                self.due.setCurrentItem(item)
                self._due_chosen(item)
                return f" Next: {self._shown_name(self.member_id() or 0)}."
        return " Every form due at this session is entered."

    def edit_goals(self) -> None:
        """Set or edit the chosen member's goals, as of the chosen session's day."""
        vault, mid, member_id = self.ctx.vault, self.meeting_id(), self.member_id()
        if vault is None or mid is None or member_id is None:
            return
        person = next(p for p in query(vault, meetings.eligible_members, mid)
                      if p.member_id == member_id)
        day = query(vault, meetings.get_meeting, mid).starts_at.astimezone().date()
        ms = person.membership_id
        name = person.pseudonym if screen_safe(self.ctx) else person.display_name
        dialog = GoalsDialog(name, query(vault, goals.goals, ms),
                             query(vault, goals.goals, ms, True), self)
        if self.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        specs = dialog.specs()
        try:
            self.ctx.run(lambda v: ops.set_goals(v, ms, specs, day), self)
        except GroupLeaderError as err:
            self.message.setText(err.message)
            return
        self.message.setText(f"Goals saved for {name}.")

    def edit_instruments(self) -> None:
        vault, group_id = self.ctx.vault, self.group_id
        if vault is None or group_id is None:
            return
        current = {g.instrument: g.schedule
                   for g in query(vault, measures.group_instruments, group_id)}
        dialog = InstrumentsDialog(current, self)
        if self.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        entries = dialog.entries()
        try:
            self.ctx.run(lambda v: ops.set_group_instruments(v, group_id, entries), self)
        except GroupLeaderError as err:
            self.message.setText(err.message)
            return
        self.reload()

    def export_csv(self, path: str | Path | None = None) -> None:
        """Export the scores; pseudonyms by default (a research or audit spreadsheet needs
        no names), and only pseudonyms in screen-share safe mode."""
        group_id = self.group_id
        if group_id is None:
            return
        deidentified = True
        if not screen_safe(self.ctx):
            choice = unsaved.ask(
                self, "Export scores",
                "Export the members by pseudonym (de-identified, for research or audit), or "
                "by full name?",
                [("pseudonyms", "Pseudonyms (de-identified)", QMessageBox.ButtonRole.AcceptRole),
                 ("names", "Full names", QMessageBox.ButtonRole.ActionRole),
                 ("cancel", "Cancel", QMessageBox.ButtonRole.RejectRole)], "cancel")
            if choice == "cancel":
                return
            deidentified = choice == "pseudonyms"
        if path is None:
            path = file_dialogs.save_file(
                self, self.ctx.settings, file_dialogs.CSV_EXPORT, "Export scores",
                f"scores-{date.today().isoformat()}.csv", "CSV files (*.csv)")
            if not path:
                return
        dest = path
        try:
            count = self.ctx.run(lambda v: ops.export_scores(v, group_id, dest, deidentified))
        except GroupLeaderError as err:
            QMessageBox.warning(self, "Scores not exported", err.message)
            return
        self.ctx.status_message.emit(
            f"Exported {count} row(s). The CSV file is not encrypted: keep it somewhere safe.")

