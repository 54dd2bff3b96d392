"""The Sessions view: the session list beside the pages of one session.

Pages: Attendance, Group note, Member notes (the progress notes), and the Process note
on a page of its own. Every editor saves through one `AutosaveController`: about a second
after the last keystroke (at most 1.5 s after the first unsaved one, even while typing
goes on), on focus-out, on a change of page, session or group, before the vault closes
and when the program quits. A session is only left once its editors are saved; if saving
fails, the view stays where it is, with the text, and says so; `save_pending()` raises
`UnsavedText`, so the window neither locks, quits nor opens another vault over it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QHideEvent,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QShowEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from groupleader.cloned_notes import find_clones
from groupleader.data.measures_snapshots import DueSnap
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.operations.base import Changes
from groupleader.data.services import measures, meetings, notes
from groupleader.data.snapshots import EligibleMember, MeetingNotes, MeetingSnap, NoteStatus
from groupleader.errors import GroupLeaderError, PinLockedOut, WrongPin
from groupleader.ui import pin_dialogs
from groupleader.ui.context import AppContext
from groupleader.ui.elided import ElidedLabel
from groupleader.ui.measures.note_goals import goals_filler
from groupleader.ui.privacy import screen_safe, screen_text, shown_name
from groupleader.ui.refresh import Follower
from groupleader.ui.register.session_hookup import SessionRegister
from groupleader.ui.sessions.amend_dialog import AmendmentDialog, CorrectMember, ask_amendment
from groupleader.ui.sessions.attendance import AttendancePanel
from groupleader.ui.sessions.autosave import AutosaveController, UnsavedText
from groupleader.ui.sessions.group_note import GroupNoteEditor
from groupleader.ui.sessions.live_mode import LiveModeBar
from groupleader.ui.sessions.member_notes import MemberNoteEditor, MemberNotesPanel
from groupleader.ui.sessions.presenter import KIND_TABS, member_entries, short_titles, title
from groupleader.ui.sessions.process_note import ProcessNotePage
from groupleader.ui.sessions.session_list import SessionListPanel
from groupleader.ui.sessions.sign_all import plan_sign_all
from groupleader.ui.sessions.signing import (
    NO_PROFILE,
    Signer,
    show_addendum,
    signing_profile,
)
from groupleader.ui.widgets import EmptyState, ErrorBanner, heading_font

ATTENDANCE, GROUP, MEMBERS, PRIVATE = range(4)
ATTENDANCE_PAGE, NOTE_PAGES = ATTENDANCE, (GROUP, MEMBERS, PRIVATE)
SAFE_BANNER = ("Screen-share safe is on: the notes are hidden (what you typed is saved). "
               "Turn it off in View > Screen-Share Safe to see and write them.")


AMENDMENT_PIN_TEXT = (
    "Record this amendment in your name?\n\nIt is dated and kept under the group note for "
    "good, with what changed and why; the session stays as it was signed."
)

def _session_screen(db: Any, meeting_id: int
                    ) -> tuple[MeetingNotes, list[EligibleMember], list[DueSnap]]:
    """What opening a session reads, in one unit of work: its notes and facts, the members
    eligible on its date and the questionnaires due from them."""
    return (notes.load_meeting_notes(db, meeting_id), meetings.eligible_members(db, meeting_id),
            measures.due(db, meeting_id))


class SessionsView(QWidget):
    """Implements the GroupView protocol, plus `open_note` for Find."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.group_id: int | None = None
        self.meeting: MeetingSnap | None = None
        self.loaded: MeetingNotes | None = None
        self.group_note_id: int | None = None
        self.group_status: NoteStatus | None = None
        self._pending: Changes | None = None  # changes waiting for the next event loop
        self._pending_own = True  # ... all made by this view itself
        self._showing = False  # `_show` is choosing the page of the session it opens
        self._fitting = False  # `fit_split` is moving the splitter (not the user)
        self._group_unread = False  # a group chosen while hidden: read when shown
        self._due: list[DueSnap] | None = None  # the forms due, read with the session
        self.autosave = AutosaveController(parent=self)
        self.autosave.busy = lambda: ctx.vault is not None and ctx.vault.busy_elsewhere()
        self.signer = Signer(ctx, self, self.report)
        self._build()
        self._connect()

    # ------------------------------------------------------------ building
    def _build(self) -> None:
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        outer.addWidget(split)
        self.sessions = SessionListPanel(self.ctx, split)
        split.addWidget(self.sessions)
        right = QWidget(split)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([340, 960])
        self.split = split
        self._split_moved = False  # once the user drags it, the split stays theirs
        split.splitterMoved.connect(self._on_split_moved)
        layout = QVBoxLayout(right)
        layout.setContentsMargins(6, 0, 0, 0)
        head = QHBoxLayout()
        # a long topic must not widen the window, and the narrowest form (number and day) is
        # never cut: the buttons beside it are short so that it fits a 1024-pixel window
        self.title = ElidedLabel("", right, minimum_chars=12, keep_shortest=True)
        self.title.setFont(heading_font(self.font(), 1.2))
        self.title.setAccessibleName("Session")
        head.addWidget(self.title, 1)
        self.saved_label = QLabel(right)
        self.saved_label.setAccessibleName("Save state")
        head.addWidget(self.saved_label)
        self.live_button = QPushButton("Session &timer", right)
        self.live_button.setAccessibleName("Start the session timer and quick notes")
        head.addWidget(self.live_button)
        # short: the header must fit a 1024-pixel window; Ctrl+Shift+R opens it too
        self.register_button = QPushButton("Risk…", right)
        self.register_button.setAccessibleName("The group's risk register and incidents")
        self.register_button.setToolTip("Risk & incidents: the group's risk register and "
                                        "boundary incidents (Ctrl+Shift+R)")
        self.register_button.clicked.connect(lambda: self.register.open_panel())
        head.addWidget(self.register_button)
        self.sign_all_button = QPushButton("Sign all…", right)
        self.sign_all_button.setAccessibleName("Sign the group note and every member note")
        self.sign_all_button.setToolTip("Sign all notes: the group note and every member note")
        head.addWidget(self.sign_all_button)
        layout.addLayout(head)
        self.banner = ErrorBanner(right)
        layout.addWidget(self.banner)
        self.safe_banner = QLabel(SAFE_BANNER, right)
        self.safe_banner.setTextFormat(Qt.TextFormat.PlainText)
        self.safe_banner.setWordWrap(True)
        self.safe_banner.setAccessibleName("Notes hidden while screen-share safe")
        self.safe_banner.setStyleSheet(
            "background: #fff4ce; color: #3b2f00; padding: 6px; border: 1px solid #e0c060;")
        self.safe_banner.hide()
        layout.addWidget(self.safe_banner)
        self.live = LiveModeBar(right)
        layout.addWidget(self.live)
        self.stack = QStackedWidget(right)
        layout.addWidget(self.stack, 1)
        self.empty = EmptyState("No session chosen",
                                "Choose a session on the left, or schedule a new one.",
                                parent=self.stack)
        self.stack.addWidget(self.empty)
        self.tabs = QTabWidget(self.stack)
        self.tabs.setAccessibleName("Session pages")
        self.stack.addWidget(self.tabs)
        self.attendance = AttendancePanel(self.ctx, self, self.tabs)
        # The page takes the caret when opened (a stray space does nothing there); Tab
        # goes on to its buttons.
        self.attendance.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.group_editor = GroupNoteEditor(self.tabs)
        self.member_notes = MemberNotesPanel(self.tabs)
        self.register: SessionRegister = SessionRegister(self)  # risk entries (issue 16)
        self.process = ProcessNotePage(self.tabs)
        self.tabs.addTab(self.attendance, "&Attendance")
        self.tabs.addTab(self.group_editor, "&Group note")
        self.tabs.addTab(self.member_notes, "&Member notes")
        self.tabs.addTab(self.process, "&Process note (private)")
        self.stack.setCurrentWidget(self.empty)
        self._apply_safe()
        self._update_header()
        # keys typed on a note page never reach these (see eventFilter)
        self._guarded: list[QWidget] = [
            *self.sessions.findChildren(QAbstractButton), self.sessions.table,
            self.sessions.table.viewport(), self.live_button, self.sign_all_button]
        for widget in self._guarded:
            widget.installEventFilter(self)
        # Alt+G, Alt+M, Alt+P (the tabs' mnemonics) and a click on a tab take the caret to
        # the note even when that page is the one already shown (no currentChanged then)
        self.tabs.tabBar().installEventFilter(self)

    def _connect(self) -> None:
        self.sessions.before_change = self._leave
        stack = self.sessions.undo_stack
        self.undo_action = stack.createUndoAction(self, "Undo")
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = stack.createRedoAction(self, "Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        # Ctrl+N, as in the Roster ("Add member"): a new session (one per press, undoable);
        # made window-wide while this view is in front (`shortcuts.adopt_views`)
        self.new_action = QAction("New session", self)
        self.new_action.setShortcuts([QKeySequence("Ctrl+N")])
        self.new_action.triggered.connect(self.sessions.new_session)
        for action in (self.undo_action, self.redo_action, self.new_action):
            # A note's own Ctrl+Z (its text) wins while the caret is in it.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.sessions.meeting_chosen.connect(self._on_chosen)
        self.sessions.error.connect(self.report)
        self.attendance.error.connect(self.report)
        self.attendance.changed.connect(self._on_attendance)
        self.attendance.reschedule_requested.connect(self.sessions.reschedule)
        self.attendance.roster_changed.connect(self._on_roster_changed)
        self.attendance.correct_requested.connect(lambda: self.correct("attendance"))
        self.sessions.correct_requested.connect(lambda: self.correct("time"))
        self.group_editor.edited.connect(self._group_edited)
        self.group_editor.focus_left.connect(self.autosave.flush_soon)
        g = self.group_editor.status
        g.sign_clicked.connect(self.sign_group_note)
        g.addendum_clicked.connect(lambda: self._addendum("group", self.group_note_id))
        g.cosign_clicked.connect(lambda: self._cosign("group", self.group_note_id))
        self.member_notes.edited.connect(self._member_edited)
        self.member_notes.focus_left.connect(self.autosave.flush_soon)
        self.member_notes.sign_requested.connect(self.sign_member_note)
        self.member_notes.addendum_requested.connect(
            lambda mid: self._addendum("member", self._member_note_id(mid)))
        self.member_notes.cosign_requested.connect(
            lambda mid: self._cosign("member", self._member_note_id(mid)))
        self.process.edited.connect(self._private_edited)
        self.process.focus_left.connect(self.autosave.flush_soon)
        p = self.process.status
        p.sign_clicked.connect(self.sign_process_note)
        p.addendum_clicked.connect(lambda: self._addendum("private", self.process.note_id))
        p.cosign_clicked.connect(lambda: self._cosign("private", self.process.note_id))
        self.tabs.currentChanged.connect(self._on_tab)
        self.tabs.tabBarClicked.connect(self._on_tab_clicked)
        # more rows (a scroll bar) or longer texts: the list's width is worked out again
        self.sessions.model.modelReset.connect(self.fit_split)
        self.sessions.model.rowsInserted.connect(self.fit_split)
        self.live_button.clicked.connect(self._start_live)
        self.live.entry.connect(self.group_editor.append_here_and_now)
        self.live.stopped.connect(self._update_header)
        self.sign_all_button.clicked.connect(self.sign_all)
        self.autosave.state_changed.connect(self.saved_label.setText)
        self.autosave.failed.connect(self._on_save_failed)
        self.autosave.failed_input.connect(self._on_input_refused)
        self.autosave.recovered.connect(self.banner.clear_message)
        self.ctx.meeting_selected.connect(self._on_ctx_meeting)
        self.follower = Follower(self, self._cares, self._apply, self.refresh_all)
        self.ctx.changed.connect(self.follower.on_changed)
        self.ctx.settings_changed.connect(self._on_settings)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._save_quietly)

    # ------------------------------------------------------------ GroupView protocol
    def undo_stack(self) -> QUndoStack:
        """The view's undo stack (New session, Delete), for Edit > Undo / Redo."""
        return self.sessions.undo_stack

    def set_group(self, group_id: int | None) -> None:
        if group_id == self.group_id and group_id is not None:
            return
        if not self._leave():
            return
        self.sessions.clear_undo()  # its steps belong to the group left
        self.autosave.new_subject()  # "Saved 21:35" was about the group left
        self.group_id = group_id
        self._group_unread = False
        if group_id is not None and not self.isVisible() and not self.isWindow():
            # Behind another view: read when shown (`refresh_all`), a hidden view loads
            # nothing, and nothing of the group left stays in the pages meanwhile. (A view
            # on its own, not placed in a window yet, reads at once.)
            self.sessions.load(None)
            self._show(None)
            self._group_unread = True
            self.follower.stale = True
            return
        self._read_group()

    def _read_group(self) -> None:
        """The group's sessions, and the session to open (the current one, if the group
        has it, else the latest begun)."""
        self._group_unread = False
        group_id = self.group_id
        self.sessions.load(group_id)
        if group_id is None:
            self._show(None)
            return
        current = self.ctx.current_meeting_id
        target = current if self.sessions.model.row_of(current or -1) >= 0 else None
        target = target or self.sessions.default_meeting()
        self._show(target)
        self.sessions.select(target)
        if target is not None:
            self.ctx.select_meeting(target)

    def save_pending(self) -> None:
        """Write every pending edit now; raises `UnsavedText` (the text stays in its
        editor, and is tried again) if some of it could not be written."""
        if not self._save_quietly():
            error = self.autosave.error
            raise UnsavedText(error.message if error else None)

    def _save_quietly(self) -> bool:
        if self.live.running:
            self.live.commit()
        return self.autosave.flush()

    def clear_clinical(self) -> None:
        """Empty every page. The window calls this only once `save_pending()` succeeded,
        or after the user chose to quit and lose the text that could not be saved."""
        self._save_quietly()
        self.autosave.forget_all()
        if self.live.running:
            self.live.stop()
        self.sessions.clear_undo()
        self.autosave.new_subject()  # nothing of this vault is described any more
        self.group_id = None
        self._group_unread = False
        self._pending = None
        self.follower.forget()
        self.sessions.load(None)
        self._clear_pages()
        self.banner.clear_message()
        self.stack.setCurrentWidget(self.empty)
        self._update_header()

    # ------------------------------------------------------------ choosing a session
    def _leave(self) -> bool:
        """Save before leaving the current session; False (and stay) if that failed."""
        if self.live.running:
            self.live.commit()
        if self.autosave.flush():
            return True
        self.report("Your text in this session could not be saved yet, so it is still open "
                    "here. " + (self.banner.label.text() or ""))
        return False

    def _on_chosen(self, meeting_id: int | None) -> None:
        if meeting_id == (self.meeting.id if self.meeting else None):
            if self.meeting is not None:  # e.g. just cancelled: read its state again
                self._reload()  # saves first; stays as it is if that fails
            return
        if not self._leave():
            self.sessions.select(self.meeting.id if self.meeting else None)
            return
        self._show(meeting_id)
        self.ctx.select_meeting(meeting_id)

    def _on_ctx_meeting(self, meeting_id: object) -> None:
        if not isinstance(meeting_id, int) or self.meeting is not None and \
                meeting_id == self.meeting.id:
            return
        if self.sessions.model.row_of(meeting_id) < 0 or not self._leave():
            return
        self.sessions.select(meeting_id)
        self._show(meeting_id)

    def select_meeting(self, meeting_id: int) -> bool:
        """Show this session of the current group (as a click in the list would)."""
        if self._group_unread:  # chosen while hidden: read now, it is wanted
            self._read_group()
        if not self.sessions.select(meeting_id):
            return False
        self._on_chosen(meeting_id)
        return self.meeting is not None and self.meeting.id == meeting_id

    def _show(self, meeting_id: int | None) -> None:
        """Load a session into the pages (pending edits must be saved already)."""
        previous = self.meeting.id if self.meeting else None
        if previous != meeting_id:
            self.autosave.new_subject()  # "Saved 14:32" was about the session left
        if meeting_id is None:
            self._clear_pages()
            self.stack.setCurrentWidget(self.empty)
            self._update_header()
            return
        try:  # read first: the pages are then refilled in place, not emptied first
            loaded, eligible, due = query(self.ctx.require_vault(), _session_screen,
                                          meeting_id)
        except GroupLeaderError as err:
            self._clear_pages()
            self.report(err.message)
            self.stack.setCurrentWidget(self.empty)
            self._update_header()
            return
        self.process.clear()  # read when its page is shown (`_load_private`)
        self._due = due
        if previous != meeting_id:  # a message about this session stays until it is read
            self.banner.clear_message()
        self._fill(loaded, eligible)
        self.stack.setCurrentWidget(self.tabs)
        self._showing = True  # a page chosen for the session, not by the user
        try:
            if self.tabs.currentIndex() == ATTENDANCE and loaded.attendance:
                self.tabs.setCurrentIndex(GROUP)  # attendance taken: on to the notes
            elif not loaded.attendance:
                self.tabs.setCurrentIndex(ATTENDANCE)
        finally:
            self._showing = False
        if self.tabs.currentIndex() == PRIVATE:
            self._load_private()

    def _fill(self, loaded: MeetingNotes, eligible: list[EligibleMember]) -> None:
        self.loaded = loaded
        self.meeting = loaded.meeting
        cancelled = self.meeting.status == "cancelled"
        self.attendance.load(self.meeting, eligible, list(loaded.attendance), loaded.locked)
        self.group_editor.status.member_label = self._member_label(loaded, eligible)
        gnote = loaded.group_note
        self.group_note_id = gnote.id if gnote else None
        self.group_status = gnote.status if gnote else None
        self.group_editor.load(gnote.fields if gnote else None, self.group_status)
        if cancelled or self.ctx.read_only:  # a read-only vault: every editor reads only
            self.group_editor.set_read_only(True)
        self.member_notes.read_only = self.ctx.read_only
        entries, seats, absent = member_entries(loaded, eligible, screen_safe(self.ctx))
        self.member_notes.editor_built = goals_filler(self, eligible, self._due)
        self.member_notes.populate(entries, seats, absent if not cancelled else [])
        self.register.refresh()
        for page in (self.group_editor, self.member_notes, self.process):
            page.setEnabled(not cancelled)
        self._update_header()

    def _clear_pages(self) -> None:
        self.meeting = None
        self.loaded = None
        self.group_note_id = None
        self.group_status = None
        self.attendance.clear()
        self.group_editor.clear()
        self.member_notes.clear()
        self.process.clear()

    def _reload(self) -> None:
        """Read the current session again (after signing), keeping page and member."""
        if self.meeting is None or not self.autosave.flush():
            return
        tab, member = self.tabs.currentIndex(), self.member_notes.current_member_id()
        meeting_id = self.meeting.id
        self.tabs.blockSignals(True)
        try:
            self._show(meeting_id)
            self.tabs.setCurrentIndex(tab)
        finally:
            self.tabs.blockSignals(False)
        if tab == PRIVATE:
            self._load_private()
        if member is not None:
            self.member_notes.select_member(member)
        self.sessions.refresh_row(meeting_id)

    def _update_header(self) -> None:
        m = self.meeting
        if m is None:
            self.title.setText("")
        else:
            self.title.set_texts(*(screen_text(self.ctx, t)
                                   for t in (title(m), *short_titles(m))))
        usable = m is not None and m.status != "cancelled"
        self.live_button.setEnabled(usable and not self.live.running
                                    and not self.group_editor.read_only)
        self.sign_all_button.setEnabled(usable)

    # ------------------------------------------------------------ pages
    def _on_tab(self, index: int) -> None:
        self.autosave.flush_soon()  # a change of page: saved, or once the vault is free
        if index in NOTE_PAGES and screen_safe(self.ctx):
            self.tabs.setCurrentIndex(ATTENDANCE_PAGE)  # a note asked for (Find): hidden
            return
        if index == PRIVATE:
            self._load_private()
        self._focus_page(index)

    def _on_tab_clicked(self, index: int) -> None:
        if index == self.tabs.currentIndex():
            QTimer.singleShot(0, lambda: self._focus_page(index))

    def _focus_page(self, index: int) -> None:
        """Put the caret in the first field of the page, ready to type: a page the user
        opened (Alt+G, Alt+M, Alt+P, a click on its tab, Find) always takes the focus.

        Only while the user moves through the session list with the keys, the page
        the next session opens on leaves the focus in the list."""
        if not self.isVisible():
            return
        if self._showing and QApplication.focusWidget() is self.sessions.table:
            return
        if index == GROUP:
            self.group_editor.fields["themes"].edit.setFocus()  # signed: still readable
        elif index == MEMBERS:
            self.member_notes.focus_current()
        elif index == PRIVATE:
            self.process.edit.setFocus()
        elif index == ATTENDANCE:
            self.attendance.setFocus()

    def _note_page_shown(self) -> bool:
        return self.stack.currentWidget() is self.tabs and self.tabs.currentIndex() in (
            GROUP, MEMBERS, PRIVATE)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A key typed while a note page is shown goes to the note, never to a button of
        the session list or the header (a space on "New session" made a session each
        time) nor to the list's type-ahead."""
        if watched is self.tabs.tabBar() and event.type() == QEvent.Type.Shortcut:
            # the tab bar changes the page (if it must); then the page's note takes the caret
            QTimer.singleShot(0, lambda: self._focus_page(self.tabs.currentIndex()))
            return False
        if event.type() == QEvent.Type.KeyPress and self._note_page_shown():
            assert isinstance(event, QKeyEvent)
            plain = not event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier
                                              | Qt.KeyboardModifier.KeypadModifier)
            text = event.text()
            if plain and text and (text.isprintable() or text in "\r\n"):
                self._focus_page(self.tabs.currentIndex())
                target = QApplication.focusWidget()
                if target is not None and target is not watched and self.isAncestorOf(target) \
                        and target not in self._guarded:
                    QApplication.sendEvent(target, QKeyEvent(
                        event.type(), event.key(), event.modifiers(), text,
                        event.isAutoRepeat(), event.count()))
                return True  # never to the button (dropped if the note takes no text)
        return super().eventFilter(watched, event)

    def _on_split_moved(self) -> None:
        if not self._fitting:
            self._split_moved = True

    def fit_split(self) -> None:
        """The session list as wide as its columns need (no header or status cut), up
        to 45% of the view; never narrower than its columns' shortest texts, so every
        column stays on screen (a 1024-pixel window), unless the user moved the split."""
        if self._split_moved:
            return
        total = self.split.width() - self.split.handleWidth()
        table = self.sessions.table
        least = max(table.natural_width(minimum=True), self.sessions.minimumSizeHint().width())
        wanted = max(least, min(table.natural_width(), int(total * 0.45)))
        self._fitting = True
        try:
            self.split.setSizes([wanted, max(0, total - wanted)])
        finally:
            self._fitting = False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_split()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Back from another view (Ctrl+3): the caret goes back into the note shown.
        QTimer.singleShot(0, self._focus_on_return)

    def _focus_on_return(self) -> None:
        focus = self.window().focusWidget()  # the window's own, even while not active
        if self._note_page_shown() and self.isVisible() and (
                focus is None or not self.tabs.currentWidget().isAncestorOf(focus)):
            self._focus_page(self.tabs.currentIndex())

    def _load_private(self) -> None:
        m = self.meeting
        if m is None or self.process.loaded_for == m.id:
            return
        try:
            loaded = query(self.ctx.require_vault(), notes.load_meeting_notes, m.id,
                                              include_private=True)
        except GroupLeaderError as err:
            self.report(err.message)
            return
        p = loaded.private_note
        self.process.load(m.id, p.text if p else "", p.id if p else None,
                          p.status if p else None)
        if self.ctx.read_only:
            self.process.edit.lock(True)

    def _on_attendance(self) -> None:
        if self.meeting is None:
            return
        self.meeting = self.attendance.meeting or self.meeting
        self._sync_members()
        self._update_header()

    def _on_roster_changed(self) -> None:
        """A member joined, or one's membership ended, from the attendance page."""
        self._refresh_attendance()
        self._sync_members()

    def _sync_members(self) -> None:
        """Attendance changed: give newly present members an editor, keep typed text."""
        if self.meeting is None or self.loaded is None:
            return
        if not self.autosave.flush():
            return
        try:
            vault = self.ctx.require_vault()
            loaded = query(vault, notes.load_meeting_notes, self.meeting.id)
            eligible = query(vault, meetings.eligible_members, self.meeting.id)
        except GroupLeaderError as err:
            self.report(err.message)
            return
        self.loaded = loaded
        current = self.member_notes.current_member_id()
        entries, seats, absent = member_entries(loaded, eligible, screen_safe(self.ctx))
        self.member_notes.editor_built = goals_filler(self, eligible)
        self.member_notes.populate(entries, seats, absent)
        self.register.refresh()
        if current is not None:
            self.member_notes.select_member(current)

    def _start_live(self) -> None:
        if self.meeting is None or self.group_editor.read_only:
            return
        self.tabs.setCurrentIndex(GROUP)
        self.live.start()
        self._update_header()

    # ------------------------------------------------------------ saving
    def _group_edited(self) -> None:
        m = self.meeting
        if m is None or self.group_editor.read_only:
            return
        self.autosave.mark_dirty(("group", m.id), lambda: self._save_group(m.id))

    def _save_group(self, meeting_id: int) -> None:
        fields = self.group_editor.value()
        snap = self.ctx.run(lambda v: ops_notes.save_group_note(v, meeting_id, fields), self)
        self.group_note_id, self.group_status = snap.id, snap.status
        self.group_editor.clear_errors()

    def _member_edited(self, member_id: int) -> None:
        m = self.meeting
        editor = self.member_notes.editor(member_id)  # it exists: it was just edited
        if m is None or editor is None or editor.signed:
            return
        self.autosave.mark_dirty(("member", m.id, member_id),
                                 lambda: self._save_member(m.id, member_id))

    def _save_member(self, meeting_id: int, member_id: int) -> None:
        editor = self.member_notes.editor(member_id)
        if editor is None:
            return
        fields = editor.value()
        snap = self.ctx.run(
            lambda v: ops_notes.save_member_note(v, meeting_id, member_id, fields), self)
        editor.note_id = snap.id
        for field in editor.fields.values():
            field.clear_error()

    def _private_edited(self) -> None:
        m = self.meeting
        if m is None or self.process.loaded_for != m.id or self.process.edit.isReadOnly():
            return
        self.autosave.mark_dirty(("private", m.id), lambda: self._save_private(m.id))

    def _save_private(self, meeting_id: int) -> None:
        text, author = self.process.value(), self.ctx.clinician_id
        snap = self.ctx.run(
            lambda v: ops_notes.save_private_note(v, meeting_id, text, author), self)
        self.process.note_id = snap.id

    def _on_save_failed(self, message: str) -> None:
        self.report("Not saved yet: " + message + " What you typed stays here.")

    def _on_input_refused(self, key: object, message: str, field: object) -> None:
        if isinstance(key, tuple) and key[0] == "group":
            self.group_editor.show_field_error(field if isinstance(field, str) else None,
                                               message)
        elif isinstance(key, tuple) and key[0] == "member":
            editor = self.member_notes.editor(key[2])
            if editor is not None:
                editor.show_field_error(field if isinstance(field, str) else None, message)

    def hideEvent(self, event: QHideEvent) -> None:
        self._save_quietly()  # leaving for another view (what fails stays, and is retried)
        super().hideEvent(event)

    # ------------------------------------------------------------ signing
    def _member_note_id(self, member_id: int) -> int | None:
        editor = self.member_notes.editor(member_id)
        return editor.note_id if editor else None

    def _sign(self, kind: str, note_id: Callable[[], int | None], description: str,
              member_id: int | None = None) -> bool:
        """Save, then sign one note; `note_id` is read after saving (which may create it).
        A member note is first checked against the session's other member notes."""
        if not self._flushed():
            return False
        clones = [] if member_id is None else find_clones(
            self.member_notes.written_notes(), among=[self.member_notes.shown_name(member_id)])
        done = self.signer.sign(kind, note_id(), description, clones)
        self._reload()
        return done

    def sign_group_note(self) -> bool:
        return self._sign("group", lambda: self.group_note_id, "the group note")

    def sign_member_note(self, member_id: int) -> bool:
        editor = self.member_notes.editor(member_id)
        name = editor.display_name if editor else "the member"
        return self._sign("member", lambda: editor.note_id if editor else None,
                          f"the member note for {name}", member_id)

    def sign_process_note(self) -> bool:
        return self._sign("private", lambda: self.process.note_id, "the private process note")

    def sign_all(self) -> bool:
        """Sign the group note and every written member note of this session at once."""
        if not self._flushed() or self.meeting is None:
            return False
        panel = self.member_notes
        plan = plan_sign_all(
            self.group_editor.value() if self.group_note_id else None,
            bool(self.group_status and self.group_status.signed),
            [(panel.saved_fields(mid), signed)
             for mid, (_id, signed) in panel.notes_by_member().items()])
        unsigned = {panel.shown_name(mid)
                    for mid, (_id, signed) in panel.notes_by_member().items() if not signed}
        clones = find_clones(panel.written_notes(), among=unsigned)
        count = self.signer.sign_meeting(self.meeting, plan, clones)
        self._reload()
        return count > 0

    def _flushed(self) -> bool:
        ok = self.autosave.flush()
        if not ok:
            self.report("Save the note first: " + (self.banner.label.text() or ""))
        return ok

    def _addendum(self, kind: str, note_id: int | None) -> None:
        if note_id is not None and self.signer.addendum(kind, note_id):
            self._reload()

    # ------------------------------------------------------------ amendments
    def _member_label(self, loaded: MeetingNotes,
                      eligible: list[EligibleMember]) -> Callable[[int], str]:
        """Names members in an amendment's wording as the screen names them now (initials
        while screen-share safe: read at each call, so a toggle applies at once)."""
        people = {e.member_id: (e.display_name, e.pseudonym) for e in eligible}
        people.update((a.member_id, (a.display_name, a.pseudonym)) for a in loaded.attendance)

        def label(member_id: int) -> str:
            if member_id not in people:
                return "a member"
            return shown_name(*people[member_id], screen_safe(self.ctx))
        return label

    def correct(self, field: str = "attendance") -> bool:
        """Session > Correct…: record an amendment of this signed session."""
        loaded, m = self.loaded, self.meeting
        if loaded is None or m is None:
            self.report("Choose a signed session first, then correct it.")
            return False
        if not loaded.locked:
            self.report("This session is not signed yet: correct its attendance, date or "
                        "seating directly.")
            return False
        if self.ctx.clinician_id is None:
            self.report(NO_PROFILE)
            return False
        try:
            eligible = query(self.ctx.require_vault(), meetings.eligible_members, m.id)
        except GroupLeaderError as err:
            self.report(err.message)
            return False
        label = self._member_label(loaded, eligible)
        marks = {a.member_id: a for a in loaded.attendance}
        ids = list(dict.fromkeys([*marks, *(e.member_id for e in eligible)]))
        people = sorted((CorrectMember(i, label(i), getattr(marks.get(i), "status", None),
                                       getattr(marks.get(i), "minutes_late", None))
                         for i in ids), key=lambda p: p.name.casefold())
        author = signing_profile(self.ctx, self, self.report)  # a PIN set first if none
        if author is None:
            return False
        dialog = AmendmentDialog(m, people, field, self)
        meeting_id, author_id = m.id, author.id

        def record(change: dict[str, Any], reason: str, pin: str) -> None:
            self.ctx.run(lambda v: ops_notes.add_amendment(
                v, meeting_id, author_id, change, reason, pin=pin), self)

        while True:  # a wrong PIN (or no PIN after all) goes back to the dialog as typed
            answer = ask_amendment(dialog)
            if answer is None:
                return False
            change, reason = answer
            pin = pin_dialogs.ask_signing_pin(self, "Record an amendment", AMENDMENT_PIN_TEXT,
                                              author, "Record amendment")
            if pin is None:
                dialog.error.hide()
                continue
            try:
                record(change, reason, pin)
            except (WrongPin, PinLockedOut) as err:
                dialog.error.setText(err.message)
                dialog.error.show()
                continue
            except GroupLeaderError as err:
                self.report(err.message)
                return False
            break
        self._reload()
        self.ctx.status_message.emit("The amendment is recorded under the group note.")
        return True

    def _cosign(self, kind: str, note_id: int | None) -> None:
        if note_id is not None and self.signer.cosign(kind, note_id):
            self._reload()

    # ------------------------------------------------------------ find
    def open_note(self, meeting_id: int, kind: str, member_id: object, highlight: str) -> None:
        """Go to a note (from Find) and mark the words searched for."""
        try:
            group_id = query(self.ctx.require_vault(), meetings.get_meeting, meeting_id).group_id
        except GroupLeaderError as err:
            self.report(err.message)
            return
        if group_id != self.group_id:
            self.set_group(group_id)
        if (self.meeting is None or self.meeting.id != meeting_id) and \
                not self.select_meeting(meeting_id):
            return
        addendum = kind.startswith("addendum:")
        kind = kind.removeprefix("addendum:")
        self.tabs.setCurrentIndex(KIND_TABS.get(kind, GROUP))
        target: GroupNoteEditor | MemberNoteEditor | ProcessNotePage | None = self.group_editor
        if kind == "member" and isinstance(member_id, int):
            if not self.member_notes.select_member(member_id):
                self.member_notes.add_member(member_id)
            target = self.member_notes.editor(member_id)
        elif kind == "private":
            target = self.process
        if target is None:
            return
        if addendum:
            show_addendum(target, highlight)
        else:
            target.highlight(highlight)

    # ------------------------------------------------------------ messages and changes
    def report(self, message: str) -> None:
        self.banner.show_message(message)

    # ------------------------------------------------------------ following changes
    def _cares(self, changes: Changes, source: object) -> bool:
        return self.group_id is not None and (
            changes.in_group(self.group_id) or changes.group_records or changes.clinicians)

    def _apply(self, changes: Changes, source: object) -> None:
        """Collect changes and apply them once the current event is done (coalesced)."""
        if self._pending is None:
            self._pending, self._pending_own = changes, source is self
            QTimer.singleShot(0, self._apply_pending)
        else:
            self._pending = self._pending | changes
            self._pending_own = self._pending_own and source is self

    def _apply_pending(self) -> None:
        changes, own = self._pending, self._pending_own
        self._pending, self._pending_own = None, True
        if changes is None or self.group_id is None:
            return
        if changes.group_records or changes.clinicians or (changes.meetings and not own):
            keep = self.meeting.id if self.meeting else None
            self.sessions.load(self.group_id)
            self.sessions.select(keep)
        else:
            for meeting_id in sorted(changes.notes | changes.session_facts()):
                self.sessions.refresh_row(meeting_id)
        m = self.meeting
        if m is not None and self.group_id in changes.register:
            self.register.refresh()
        if m is not None and not own and (changes.roster or changes.clinicians
                                          or m.id in changes.session_facts()):
            self._refresh_attendance()
            self._sync_members()

    def refresh_all(self) -> None:
        """Read the list and the current session's facts again (shown after changes), or
        the group chosen while this view was hidden."""
        if self.group_id is None:
            return
        if self._group_unread:
            if self.isVisible():  # else it stays unread until shown
                self._read_group()
            return
        keep = self.meeting.id if self.meeting else None
        self.sessions.load(self.group_id)
        self.sessions.select(keep)
        if self.meeting is not None:
            self._refresh_attendance()
            self._sync_members()

    def _apply_safe(self) -> None:
        """Screen-share safe: the note pages are hidden behind a banner, after what was
        typed in them is saved (their text is untouched, so nothing is saved redacted and
        nothing typed is lost); turned off, they come back as they were."""
        safe = screen_safe(self.ctx)
        if safe:
            self._save_quietly()
            if self.tabs.currentIndex() in NOTE_PAGES:
                self.tabs.setCurrentIndex(ATTENDANCE_PAGE)
        for index in NOTE_PAGES:
            self.tabs.setTabVisible(index, not safe)
        self.safe_banner.setVisible(safe)

    def _on_settings(self) -> None:
        self._apply_safe()
        self._update_header()
        if self.group_id is not None:
            QTimer.singleShot(0, self.refresh_all)  # after the toggle's own event
        self.group_editor.status.set_status(self.group_status)  # amendments name members

    def _refresh_attendance(self) -> None:
        m = self.meeting
        if m is None:
            return
        try:
            vault = self.ctx.require_vault()
            fresh = query(vault, meetings.get_meeting, m.id)
            self.attendance.load(fresh, query(vault, meetings.eligible_members, m.id),
                                 query(vault, meetings.attendance_for, m.id),
                                 query(vault, meetings.is_signed, m.id))
        except GroupLeaderError as err:
            self.report(err.message)
            return
        self.meeting = fresh  # moved, held or cancelled: the title says so
        self._update_header()


