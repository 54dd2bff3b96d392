"""The seating view: one session's circle, its side list, and the interaction counts.

Every user action becomes one undo command on `self.undo_stack`; commands change the
model, the model saves through the services and the widgets follow its signals. There
is no Save button: each change is in the vault when the command returns.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMenu,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from groupleader.data.operations import Changes
from groupleader.data.snapshots import GroupSnap, MeetingSnap, Party
from groupleader.errors import GroupLeaderError
from groupleader.ui.context import AppContext
from groupleader.ui.privacy import screen_safe
from groupleader.ui.refresh import Follower
from groupleader.ui.seating import adapter, presenter
from groupleader.ui.seating.canvas import SeatingCanvas
from groupleader.ui.seating.commands import AddInteractionCommand, SetCircleCommand
from groupleader.ui.seating.history import SeatHistoryDialog, load_history
from groupleader.ui.seating.interactions import CountsPanel
from groupleader.ui.seating.model import SeatingModel
from groupleader.ui.seating.presenter import Circle
from groupleader.ui.seating.scene import SeatingScene
from groupleader.ui.seating.sidelist import SideList


def menu_text(text: str) -> str:
    """Menu text shown literally: a single & would otherwise make a mnemonic."""
    return text.replace("&", "&&")


class SeatingView(QWidget):
    """Implements the GroupView protocol: set_group, save_pending, clear_clinical."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.group: GroupSnap | None = None
        self.sessions: list[MeetingSnap] = []
        self.model = SeatingModel(self)
        self.undo_stack = QUndoStack(self)
        self.scene = SeatingScene(self.model, self)
        self._build()
        self._connect()
        self._update_controls()

    # ------------------------------------------------------------ layout

    def _build(self) -> None:
        self.session_combo = QComboBox(self)
        self.session_combo.setAccessibleName("Session")
        self.session_combo.setMinimumContentsLength(22)
        session_label = QLabel("&Session:", self)
        session_label.setBuddy(self.session_combo)

        self.same_action = self._action(
            "Same as last session", "Seat everyone as last session, leaving out the absent")
        self.add_action = self._action("Add chair", "Add an empty chair (Insert)")
        self.remove_action = self._action(
            "Remove chair", "Remove the chosen chair if it is empty, else the last empty one")
        self.interaction_action = self._action(
            "Interactions", "Interaction mode: click a speaker, then who they spoke to (or "
            "the centre for the whole group). Ctrl+I", QKeySequence("Ctrl+I"))
        self.interaction_action.setCheckable(True)
        self.safe_action = self._action(
            "Initials only", "Screen-share safe: show initials instead of names")
        self.safe_action.setCheckable(True)
        self.undo_action = self._action("Undo", "Undo the last change (Ctrl+Z)",
                                        QKeySequence(QKeySequence.StandardKey.Undo))
        self.redo_action = self._action("Redo", "Redo (Ctrl+Shift+Z)",
                                        QKeySequence("Ctrl+Shift+Z"),
                                        QKeySequence(QKeySequence.StandardKey.Redo))
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)

        self.toolbar = QToolBar("Seating", self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.addWidget(session_label)
        self.toolbar.addWidget(self.session_combo)
        self.toolbar.addSeparator()
        for action in (self.same_action, self.add_action, self.remove_action):
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.interaction_action)
        self.toolbar.addAction(self.safe_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.undo_action)
        self.toolbar.addAction(self.redo_action)

        self.side_list = SideList(self.model, self)
        self.canvas = SeatingCanvas(self.scene, self)
        self.counts = CountsPanel(self.model, self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.side_list)
        splitter.addWidget(self.canvas)
        splitter.addWidget(self.counts)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([190, 540, 270])
        splitter.setChildrenCollapsible(False)

        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Seating messages")

        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        for a, b in ((self.session_combo, self.canvas), (self.canvas, self.side_list),
                     (self.side_list, self.counts.table)):
            QWidget.setTabOrder(a, b)

    def _action(self, text: str, tip: str, *keys: QKeySequence) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        if keys:
            action.setShortcuts(list(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        return action

    def _connect(self) -> None:
        self.session_combo.activated.connect(self._session_picked)
        self.same_action.triggered.connect(self.same_as_last)
        self.add_action.triggered.connect(lambda: self.add_chair(self.scene.current))
        self.remove_action.triggered.connect(lambda: self.remove_chair(self.scene.current))
        self.interaction_action.toggled.connect(self.set_interaction_mode)
        self.safe_action.toggled.connect(self.model.set_safe)
        # Follows the app-wide screen-share safe setting; the button still toggles it
        # for this view until the setting changes again.
        self.safe_action.setChecked(screen_safe(self.ctx))
        self.undo_action.triggered.connect(self.undo_stack.undo)
        self.redo_action.triggered.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.scene.chair_clicked.connect(self.chair_clicked)
        self.scene.chair_activated.connect(self._open_chair_menu)
        self.scene.chair_menu.connect(self._open_chair_menu)
        self.scene.centre_clicked.connect(self.centre_clicked)
        self.scene.dropped.connect(self.drop_payload)
        self.canvas.key_action.connect(self.key_action)
        self.side_list.unseat_requested.connect(self.unseat_chair)
        self.side_list.seat_requested.connect(self.seat_in_first_empty)
        self.side_list.menu_requested.connect(self._open_person_menu)
        self.model.failed.connect(self._failed)
        self.model.reset.connect(self._update_controls)
        self.model.circle_changed.connect(self._update_controls)
        self.ctx.meeting_selected.connect(self._meeting_selected)
        self.model.runner = lambda op: self.ctx.run(op, self)
        self._wanted_group: int | None = None  # chosen while hidden: loaded when shown
        self._changed_unseen = False  # a change came while hidden (not only a session)
        self.follower = Follower(self, self._cares, self._apply, self.refresh_all)
        self.ctx.changed.connect(self.follower.on_changed)
        self.ctx.settings_changed.connect(self._on_settings)

    # ------------------------------------------------------------ GroupView

    def set_group(self, group_id: int | None) -> None:
        self.undo_stack.clear()
        self.group, self.sessions = None, []
        self.session_combo.clear()
        self._wanted_group = group_id
        self._changed_unseen = False  # read now, or in full when shown
        if group_id is None or self.ctx.vault is None:
            self.model.clear()
            self._say("")
            return
        if not self.isVisible():  # read when shown: a hidden view loads nothing
            self.model.clear()
            self.follower.stale = True
            return
        try:
            self.group = adapter.group(self.ctx.vault, group_id)
            self.sessions = adapter.sessions_newest_first(self.ctx.vault, group_id)
        except GroupLeaderError as err:
            self.model.clear()
            self._say(err.message)
            return
        self._fill_combo()
        self.show_session(self._default_session())

    def save_pending(self) -> None:
        """Nothing waits: every change was saved when it was made."""

    def clear_clinical(self) -> None:
        self.follower.forget()
        self._wanted_group = None
        self._changed_unseen = False
        self.undo_stack.clear()
        self.interaction_action.setChecked(False)
        self.group, self.sessions = None, []
        self.session_combo.clear()
        self.model.clear()
        self._say("")

    # ------------------------------------------------------------ sessions

    def _fill_combo(self) -> None:
        self.session_combo.blockSignals(True)
        self.session_combo.clear()
        for m in self.sessions:
            text = f"{m.label} \u00b7 {m.starts_at.astimezone():%a %d %b %Y}"
            if m.status == "cancelled":
                text += " (cancelled)"
            self.session_combo.addItem(text, m.id)
        self.session_combo.blockSignals(False)

    def _default_session(self) -> int | None:
        ids = [m.id for m in self.sessions]
        if self.ctx.current_meeting_id in ids:
            return self.ctx.current_meeting_id
        soon = datetime.now(UTC) + timedelta(hours=6)
        for m in self.sessions:
            if m.starts_at <= soon and m.status != "cancelled":
                return m.id
        return ids[0] if ids else None

    def show_session(self, meeting_id: int | None) -> None:
        """Load a session into the view (no undo history carries over)."""
        self.undo_stack.clear()
        self.scene.set_speaker(None)
        meeting = next((m for m in self.sessions if m.id == meeting_id), None)
        vault = self.ctx.vault
        if meeting is None or vault is None or self.group is None:
            self.model.clear()
            self._say("This group has no sessions yet. Schedule one under Sessions."
                      if self.group is not None and not self.sessions else "")
            return
        self.session_combo.setCurrentIndex(self.session_combo.findData(meeting.id))
        try:
            self.model.load(vault, adapter.load_session(vault, meeting, self.group))
        except GroupLeaderError as err:
            self.model.clear()
            self._say(err.message)
            return
        self._say(self._locked_text())

    def _locked_text(self) -> str:
        """Why the circle cannot change, or "" when it can."""
        if self.model.signed:
            return ("This session is signed, so its circle and interactions are locked. "
                    "Record a correction as an amendment (Session > Correct…).")
        return ("This session was cancelled, so its circle cannot be changed."
                if self.model.read_only else "")

    def _session_picked(self, index: int) -> None:
        meeting_id = self.session_combo.itemData(index)
        if meeting_id != self.model.meeting_id:
            self.show_session(meeting_id)
        self.ctx.select_meeting(meeting_id)

    def _meeting_selected(self, meeting_id: object) -> None:
        if meeting_id != self.model.meeting_id and any(m.id == meeting_id for m in self.sessions):
            if not self.isVisible():  # read when shown (`refresh_all`), not behind a tab
                self.follower.stale = True
                return
            self.show_session(meeting_id)  # type: ignore[arg-type]

    def _cares(self, changes: Changes, source: object) -> bool:
        if self.group is None or source is self:
            return False
        cares = changes.in_group(self.group.id) and bool(
            changes.roster or changes.group_records or changes.meetings
            or changes.attendance or changes.seating) or changes.clinicians
        if cares and not self.isVisible():
            self._changed_unseen = True  # shown again: the group is read again
        return cares

    def _apply(self, changes: Changes, source: object) -> None:
        if self.group is None:
            return
        if changes.meetings or changes.group_records or changes.clinicians:
            self._reload_group()
        else:
            self.reload(keep_history=not changes.seating)

    def _reload_group(self) -> None:
        """The group's sessions again, showing the session the user works on."""
        assert self.group is not None
        wanted = (self.ctx.current_meeting_id, self.model.meeting_id)
        self.set_group(self.group.id)
        for meeting_id in wanted:
            if meeting_id is not None and any(m.id == meeting_id for m in self.sessions):
                if meeting_id != self.model.meeting_id:
                    self.show_session(meeting_id)
                break

    def refresh_all(self) -> None:
        """Shown after changes made elsewhere, after a group was chosen while hidden, or
        after another session was chosen in Sessions & Notes meanwhile (then only that
        session is read)."""
        changed, self._changed_unseen = self._changed_unseen, False
        if self.group is not None and not changed:
            wanted = self.ctx.current_meeting_id
            if wanted != self.model.meeting_id and any(m.id == wanted for m in self.sessions):
                self.show_session(wanted)
        elif self.group is not None:
            self._reload_group()
        elif self._wanted_group is not None:
            self.set_group(self._wanted_group)

    def _on_settings(self) -> None:
        self.safe_action.setChecked(screen_safe(self.ctx))

    def reload(self, keep_history: bool = True) -> None:
        """Read the session again (attendance changed elsewhere, or a save failed)."""
        meeting = next((m for m in self.sessions if m.id == self.model.meeting_id), None)
        if meeting is None or self.ctx.vault is None or self.group is None:
            return
        if not keep_history:
            self.undo_stack.clear()
        current = self.scene.current
        try:
            self.model.load(self.ctx.vault,
                            adapter.load_session(self.ctx.vault, meeting, self.group))
        except GroupLeaderError as err:
            self._say(err.message)
            return
        self.scene.set_current(current if current is not None
                               and current < len(self.model.circle) else None)
        if self.model.read_only:
            self._say(self._locked_text())

    # ------------------------------------------------------------ seating actions

    def _push_circle(self, after: Circle, text: str) -> bool:
        if self.model.read_only or after == self.model.circle:
            return False
        self._say("")
        self.undo_stack.push(SetCircleCommand(self.model, self.model.circle, after, text))
        return self.model.circle == after

    def drop_payload(self, index: int, payload: str) -> bool:
        """A drop on chair `index`: from the list (seat), or from a chair (move/swap).
        This is what the drag handlers call; one drop is one undo entry."""
        decoded = presenter.decode_drag(payload)
        if decoded is None or not 0 <= index < len(self.model.circle):
            return False
        party, from_chair = decoded
        if from_chair is not None and from_chair != index:
            if not 0 <= from_chair < len(self.model.circle):
                return False
            done = self._push_circle(presenter.move(self.model.circle, from_chair, index),
                                     "Swap chairs" if self.model.circle[index] else "Move")
        elif party in self.model.absent and party not in self.model.circle:
            self._say("Attendance records this member as absent today; change the "
                      "attendance first to give them a chair.")
            return False
        else:
            done = self._push_circle(presenter.place(self.model.circle, party, index),
                                     "Seat someone")
        if done:
            self.scene.set_current(index)
        return done

    def unseat_chair(self, index: int) -> bool:
        if not 0 <= index < len(self.model.circle) or self.model.circle[index] is None:
            return False
        return self._push_circle(presenter.unseat(self.model.circle, index), "Empty a chair")

    def seat_in_first_empty(self, payload: str) -> bool:
        empties = [i for i, p in enumerate(self.model.circle) if p is None]
        if not empties:
            if not self.add_chair(None):
                return False
            empties = [len(self.model.circle) - 1]
        return self.drop_payload(empties[0], payload)

    def add_chair(self, after: int | None) -> bool:
        circle = presenter.add_chair(self.model.circle, after)
        if circle == self.model.circle:
            self._say(f"A circle has at most {presenter.MAX_CHAIRS} chairs.")
            return False
        return self._push_circle(circle, "Add a chair")

    def remove_chair(self, index: int | None) -> bool:
        if index is not None and self.model.circle[index] is not None:
            index = None  # the chosen chair is taken: take away an empty one instead
        circle = presenter.remove_chair(self.model.circle, index)
        if circle == self.model.circle:
            self._say("There is no empty chair to remove (a circle keeps at least two).")
            return False
        return self._push_circle(circle, "Remove a chair")

    def same_as_last(self) -> bool:
        model = self.model
        if not model.previous_circle:
            self._say("The previous session has no seating recorded.")
            return False
        allowed = model.allowed() | {p for p in model.previous_circle
                                     if p is not None and p.clinician_id is not None}
        after = presenter.same_as_last(model.previous_circle, model.absent, allowed)
        return self._push_circle(after, "Same as last session")

    # ------------------------------------------------------------ interaction mode

    def set_interaction_mode(self, on: bool) -> None:
        if self.interaction_action.isChecked() != on:
            self.interaction_action.setChecked(on)  # comes back here through toggled
            return
        self.scene.set_interaction_mode(on)
        self._say("Interaction mode: click who spoke, then who they spoke to, or the centre "
                  "for the whole group. Esc cancels." if on else "")
        self._update_controls()

    def chair_clicked(self, index: int) -> None:
        self.scene.set_current(index)
        if not self.scene.interaction_mode or self.model.read_only:
            return
        party = self.model.circle[index]
        speaker = self.scene.speaker
        if party is None:
            self._say("That chair is empty: click someone seated.")
        elif speaker is None or speaker == index:
            self.scene.set_speaker(None if speaker == index else index)
        else:
            self.record_interaction(self.model.circle[speaker], party)

    def centre_clicked(self) -> None:
        speaker = self.scene.speaker
        if self.scene.interaction_mode and speaker is not None:
            self.record_interaction(self.model.circle[speaker], None)

    def record_interaction(self, speaker: Party | None, to: Party | None) -> None:
        self.scene.set_speaker(None)
        if speaker is None or self.model.read_only:
            return
        self.undo_stack.push(AddInteractionCommand(self.model, speaker, to))

    # ------------------------------------------------------------ keyboard and menus

    def key_action(self, action: str) -> None:
        n = len(self.model.circle)
        if n == 0:
            return
        ring = n + (1 if self.scene.interaction_mode else 0)  # the centre comes last
        at = n if self.scene.centre_current else self.scene.current
        if action in ("next", "prev", "first", "last"):
            if action == "first":
                at = 0
            elif action == "last":
                at = n - 1
            elif at is None:
                at = 0 if action == "next" else n - 1
            else:
                at = (at + (1 if action == "next" else -1)) % ring
            self.scene.set_current(None if at == n else at, centre=at == n)
            return
        if action == "escape":
            self.scene.set_speaker(None)
            return
        if at is None:
            self.scene.set_current(0)
            return
        if self.scene.centre_current:
            if action == "activate":
                self.centre_clicked()
        elif action == "activate" and self.scene.interaction_mode:
            self.chair_clicked(at)
        elif action in ("activate", "menu"):
            self._open_chair_menu(at, self._chair_screen_pos(at))
        elif action == "delete":
            self.unseat_chair(at)
        elif action == "add":
            self.add_chair(at)
        elif action == "remove":
            self.remove_chair(at)

    def _chair_screen_pos(self, index: int) -> QPoint:
        item = self.scene.chairs[index]
        return self.canvas.viewport().mapToGlobal(self.canvas.mapFromScene(item.pos()))

    def chair_menu(self, index: int) -> QMenu:
        """The menu of a chair: who can sit here, and what else can be done with it."""
        menu = QMenu(self)
        circle, model = self.model.circle, self.model
        occupant = circle[index]
        editable = not model.read_only and not self.scene.interaction_mode

        def drop_here(payload: str) -> Callable[[], bool]:
            return lambda: self.drop_payload(index, payload)

        if occupant is not None:
            menu.addAction("Empty this chair", lambda: self.unseat_chair(index)).setEnabled(
                editable)
            if occupant.member_id is not None:
                menu.addAction("Seat history\u2026", lambda: self.show_history(occupant))
        free = model.side_list().unseated
        if free and editable:
            menu.addSection("Seat here")
            for party in free:
                payload = presenter.encode_drag(party)
                menu.addAction(menu_text(model.label(party)), drop_here(payload))
        others = [(i, p) for i, p in enumerate(circle) if p is not None and i != index]
        if others and editable:
            menu.addSection("Move here (swap)" if occupant else "Move here")
            for i, party in others:
                payload = presenter.encode_drag(party, i)
                menu.addAction(menu_text(f"{model.label(party)} (chair {i + 1})"),
                               drop_here(payload))
        menu.addSeparator()
        menu.addAction("Add a chair after this one",
                       lambda: self.add_chair(index)).setEnabled(not model.read_only)
        menu.addAction("Remove this chair",
                       lambda: self.remove_chair(index)).setEnabled(
            not model.read_only and occupant is None)
        return menu

    def _open_chair_menu(self, index: int, pos: QPoint | None = None) -> None:
        if 0 <= index < len(self.model.circle):
            self.popup(self.chair_menu(index), pos or self._chair_screen_pos(index))

    def _open_person_menu(self, payload: str, pos: QPoint) -> None:
        decoded = presenter.decode_drag(payload)
        if decoded is None:
            return
        party = decoded[0]
        menu = QMenu(self)
        if not self.model.read_only and party not in self.model.absent:
            menu.addAction("Give the first empty chair",
                           lambda: self.seat_in_first_empty(payload))
        if party.member_id is not None:
            menu.addAction("Seat history\u2026", lambda: self.show_history(party))
        if not menu.isEmpty():
            self.popup(menu, pos)

    def popup(self, menu: QMenu, pos: QPoint) -> QAction | None:
        """Show a menu modally (tests replace this to choose an entry)."""
        return menu.exec(pos)

    def show_history(self, party: Party) -> SeatHistoryDialog | None:
        vault, meeting = self.ctx.vault, self.model.data.meeting if self.model.data else None
        if vault is None or meeting is None:
            return None
        try:
            rows, people = load_history(vault, party, self.sessions, meeting)
        except GroupLeaderError as err:
            self._say(err.message)
            return None
        dialog = SeatHistoryDialog(self.model.label(party), rows, people, self.model.safe, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # ------------------------------------------------------------ feedback

    def _failed(self, message: str) -> None:
        self._say(message)
        QTimer.singleShot(0, lambda: self.reload(keep_history=False))

    def _say(self, text: str) -> None:
        self.message.setText(text)

    def _update_controls(self) -> None:
        model = self.model
        editable = model.data is not None and not model.read_only
        seating = editable and not self.scene.interaction_mode
        self.same_action.setEnabled(seating and bool(model.previous_circle))
        self.same_action.setToolTip(
            "Seat everyone as last session, leaving out the absent" if model.previous_circle
            else "The previous session has no seating recorded")
        self.add_action.setEnabled(seating)
        self.remove_action.setEnabled(seating)
        self.interaction_action.setEnabled(editable)
        self.session_combo.setEnabled(bool(self.sessions))
