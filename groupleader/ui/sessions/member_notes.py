"""Member notes: one editor per present member, in seat order or A–Z, Ctrl+PageDown on.

Each member has an editor of their own (a group has a handful of members), so an
autosave always writes the text of the editor it belongs to, whatever is on screen.
Absent members get no note unless the leader adds one from the "Absent member" menu.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from groupleader.data.snapshots import MemberNoteFields, NoteStatus
from groupleader.note_fields import MEMBER_NOTE
from groupleader.ui.measures.goals import GoalsBox
from groupleader.ui.sessions.editors import (
    LabelledField,
    NoteTextEdit,
    mute,
    set_control_read_only,
)
from groupleader.ui.sessions.note_fields import NoteFields
from groupleader.ui.sessions.signing import NoteStatusStrip, SignedBanner
from groupleader.ui.widgets import heading_font


@dataclass(frozen=True)
class MemberEntry:
    """Who has a member-note editor, and what it shows."""

    member_id: int
    display_name: str
    pseudonym: str
    attendance: str  # "present", "late 10 min", "absent with notice", ...
    fields: MemberNoteFields | None
    status: NoteStatus | None
    note_id: int | None


class MemberNoteEditor(QWidget):
    edited = Signal()
    focus_left = Signal()
    risk_ticked = Signal()

    def __init__(self, entry: MemberEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.member_id = entry.member_id
        self.display_name = entry.display_name
        self.note_id = entry.note_id
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        self._scroll = scroll
        body = QWidget(scroll)
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setSpacing(8)
        self.title = QLabel(entry.display_name, body)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setFont(heading_font(self.font(), 1.25))
        self.title.setAccessibleName("Member")
        layout.addWidget(self.title)
        sub = f"{entry.pseudonym} · {entry.attendance}" if entry.pseudonym else entry.attendance
        self.subtitle = QLabel(sub, body)
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)
        mute(self.subtitle)
        layout.addWidget(self.subtitle)
        # The member's open risk entries (the register, issue 16), above everything else
        self.risk_banner = QLabel(body)
        self.risk_banner.setObjectName("risk-banner")
        self.risk_banner.setTextFormat(Qt.TextFormat.PlainText)
        self.risk_banner.setWordWrap(True)
        self.risk_banner.setAccessibleName("Open risk entries")
        self.risk_banner.hide()
        layout.addWidget(self.risk_banner)
        self.signature = SignedBanner("member note", body)
        layout.addWidget(self.signature)
        self.goals = GoalsBox(body)  # the member's goals, rated here (issue 17)
        layout.addWidget(self.goals)
        self.fields = NoteFields()
        for spec in MEMBER_NOTE:  # the template, in its order (groupleader/note_fields.py)
            if spec.kind == "flag":
                self.risk_flag = QCheckBox(spec.label, body)
                self.risk_flag.setAccessibleName(spec.title)
                self.risk_flag.toggled.connect(self.edited)
                # ticked by the user (not loaded): the risk entry dialog opens
                self.risk_flag.clicked.connect(
                    lambda on: self.risk_ticked.emit() if on else None)
                layout.addWidget(self.risk_flag)
                continue
            layout.addWidget(self.fields.add(
                spec.key, LabelledField(spec.label, spec.hint, body, min_lines=2),
                self.edited, self.focus_left))
        self.status = NoteStatusStrip("member note", body)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.refill(entry)

    def refill(self, entry: MemberEntry) -> None:
        """Show this member's note (an editor is reused from session to session)."""
        self.member_id = entry.member_id
        self.display_name = entry.display_name
        self.note_id = entry.note_id
        self.title.setText(entry.display_name)
        self.subtitle.setText(f"{entry.pseudonym} · {entry.attendance}" if entry.pseudonym
                              else entry.attendance)
        self.load(entry.fields, entry.status)
        self._scroll.verticalScrollBar().setValue(0)

    def blank(self) -> None:
        """Empty of every name and text (kept, hidden, for the next session)."""
        self.refill(MemberEntry(self.member_id, "", "", "", None, None, None))
        self.display_name = ""
        self.set_risks([])
        self.goals.show_goals([], lambda _goal, _value: False, True)
        self.goals.show_due("")

    def edits(self) -> list[NoteTextEdit]:
        return self.fields.edits()

    def set_risks(self, lines: list[tuple[str, bool]]) -> None:
        """The open risk entries at the top of the note: (line, overdue) each."""
        self.risk_banner.setText("\n".join(f"\u26a0 {text}" for text, _ in lines))
        overdue = any(late for _, late in lines)
        style = ("QLabel#risk-banner { border: 1px solid #b3261e; border-radius: 3px; "
                 "padding: 4px;" + (" color: #b3261e; font-weight: bold;" if overdue else "")
                 + " }")
        if self.risk_banner.styleSheet() != style:  # a new style sheet restyles the label
            self.risk_banner.setStyleSheet(style)
        self.risk_banner.setVisible(bool(lines))

    def value(self) -> MemberNoteFields:
        texts = self.fields.texts()
        return MemberNoteFields(risk_flag=self.risk_flag.isChecked(), **texts)

    def load(self, fields: MemberNoteFields | None, status: NoteStatus | None) -> None:
        fields = fields or MemberNoteFields()
        self.blockSignals(True)
        try:
            self.fields.load(fields)
            self.risk_flag.setChecked(fields.risk_flag)
        finally:
            self.blockSignals(False)
        self.set_status(status)

    def set_status(self, status: NoteStatus | None) -> None:
        self.signed = status is not None and status.signed
        self.status.set_status(status)
        self.signature.set_status(status)
        self.fields.lock(self.signed)
        set_control_read_only(self.risk_flag, self.signed)

    def show_field_error(self, field: str | None, message: str) -> None:
        self.fields.show_error(field, message)

    def highlight(self, query: str) -> bool:
        return self.fields.highlight(query, self._scroll)

    def focus_first(self) -> None:
        self.fields["participation"].edit.setFocus()


class MemberNotesPanel(QWidget):
    """The member-notes page: a list of members beside one editor at a time."""

    edited = Signal(int)  # member id
    focus_left = Signal()
    current_changed = Signal(int)  # member id
    sign_requested = Signal(int)
    addendum_requested = Signal(int)
    cosign_requested = Signal(int)
    risk_ticked = Signal(int)  # member id: the risk concern was ticked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("member-notes-pane")
        self._risks: dict[int, list[tuple[str, bool]]] = {}
        self._entries: list[MemberEntry] = []
        self._seat_order: list[int] = []
        self._editors: dict[int, MemberNoteEditor] = {}
        self._spare: list[MemberNoteEditor] = []  # blank editors of an earlier session
        self._absent: list[tuple[int, str]] = []
        self.read_only = False  # the vault is read-only: every editor reads only
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.order = QComboBox(self)
        self.order.setAccessibleName("Order of members")
        self.order.addItem("Seat order", "seat")
        self.order.addItem("A–Z", "alpha")
        self.order.currentIndexChanged.connect(self._reorder)
        order_label = QLabel("&Order:", self)
        order_label.setBuddy(self.order)
        bar.addWidget(order_label)
        bar.addWidget(self.order)
        self.prev_button = QPushButton("◀ Prev", self)
        self.prev_button.setToolTip("Previous member (Ctrl+PageUp)")
        self.prev_button.setAccessibleName("Previous member")
        self.prev_button.clicked.connect(self.previous_member)
        self.next_button = QPushButton("Next ▶", self)
        self.next_button.setToolTip("Next member (Ctrl+PageDown)")
        self.next_button.setAccessibleName("Next member")
        self.next_button.clicked.connect(self.next_member)
        for button in (self.prev_button, self.next_button):  # the style's 80 px is too wide
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance(button.text()) + 24)
        self.position = QLabel(self)
        bar.addWidget(self.prev_button)
        bar.addWidget(self.next_button)
        bar.addWidget(self.position)
        bar.addStretch(1)
        self.add_absent = QToolButton(self)
        self.add_absent.setText("Absent member's note ▾")
        self.add_absent.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.add_absent.setToolTip("Add a note for a member who was absent")
        self.add_absent.setAccessibleName("Add a note for an absent member")
        self.add_absent.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._absent_menu = QMenu(self.add_absent)
        self.add_absent.setMenu(self._absent_menu)
        bar.addWidget(self.add_absent)
        layout.addLayout(bar)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.list = QListWidget(split)
        self.list.setAccessibleName("Members with a note")
        self.list.setMinimumWidth(150)
        # long names elide (whole name in the tooltip) instead of scrolling sideways
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentRowChanged.connect(self._on_row)
        self.stack = QStackedWidget(split)
        self.empty = QLabel("No one is marked present yet. Take attendance first; a note "
                            "for an absent member can be added from the menu above.", self.stack)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.empty)
        split.addWidget(self.list)
        split.addWidget(self.stack)
        split.setStretchFactor(1, 1)
        split.setSizes([190, 600])
        layout.addWidget(split, 1)
        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (("Ctrl+PgDown", self.next_member), ("Ctrl+PgUp", self.previous_member)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(ctx)
            shortcut.activated.connect(slot)

    # ------------------------------------------------------------ filling
    # Called with each editor as it is built (editors are built when first shown).
    editor_built: Callable[[MemberNoteEditor], None] | None = None

    def populate(self, entries: list[MemberEntry], seat_order: list[int],
                 absent: list[tuple[int, str]]) -> None:
        """Show another session: `entries` get an editor each; `absent` go in the menu.

        Editors are made or refilled when first shown (opening stays quick). The editors
        of the session left are refilled directly, not emptied first; those this session
        does not show by the end are emptied, so none keeps a name or text of the last."""
        previous = list(self._editors.values())
        self._editors.clear()
        shown = self.stack.currentWidget()  # refilled first: the page swaps no widget
        self._spare.extend(sorted(previous, key=lambda e: e is shown))
        self.list.blockSignals(True)
        self.list.clear()  # the session opens on its first member, as always
        self.list.blockSignals(False)
        self._risks = {}
        self._entries = list(entries)
        self._seat_order = list(seat_order)
        self._absent = list(absent)
        try:
            self._rebuild_menu()
            self._reorder()
        finally:
            used = set(map(id, self._editors.values()))
            for editor in previous:
                if id(editor) not in used:
                    editor.blank()

    def _make_editor(self, entry: MemberEntry) -> MemberNoteEditor:
        """The member's editor: one of an earlier session refilled, else a new one."""
        if self._spare:
            editor = self._spare.pop()
            editor.refill(entry)
        else:
            editor = MemberNoteEditor(entry, self.stack)
            # The member is read when the signal comes: the editor may show another later.
            editor.edited.connect(lambda: self.edited.emit(editor.member_id))
            editor.focus_left.connect(self.focus_left)
            editor.status.sign_clicked.connect(
                lambda: self.sign_requested.emit(editor.member_id))
            editor.status.addendum_clicked.connect(
                lambda: self.addendum_requested.emit(editor.member_id))
            editor.status.cosign_clicked.connect(
                lambda: self.cosign_requested.emit(editor.member_id))
            editor.risk_ticked.connect(lambda: self.risk_ticked.emit(editor.member_id))
            self.stack.addWidget(editor)
        if self.read_only:
            editor.fields.lock(True)
            set_control_read_only(editor.risk_flag, True)
        editor.set_risks(self._risks.get(entry.member_id, []))
        self._editors[entry.member_id] = editor
        if self.editor_built is not None:  # e.g. the member's goals (ui/measures)
            self.editor_built(editor)
        return editor

    def set_risks(self, risks: dict[int, list[tuple[str, bool]]]) -> None:
        """Member id -> their open risk entries as (line, overdue), shown at the top of
        their note (editors built later get them too)."""
        self._risks = dict(risks)
        for mid, editor in self._editors.items():
            editor.set_risks(self._risks.get(mid, []))

    def risks_of(self, member_id: int) -> list[tuple[str, bool]]:
        return list(self._risks.get(member_id, []))

    def _rebuild_menu(self) -> None:
        self._absent_menu.clear()
        shown = {e.member_id for e in self._entries}
        for member_id, name in self._absent:
            if member_id in shown:
                continue
            action = self._absent_menu.addAction(name)
            action.triggered.connect(lambda _=False, m=member_id: self.add_member(m))
        self.add_absent.setEnabled(not self._absent_menu.isEmpty())

    def add_member(self, member_id: int) -> MemberNoteEditor | None:
        """Give an absent member an editor (no record until the leader writes something)."""
        if member_id in self.member_ids():
            self.select_member(member_id)
            return self.editor(member_id)
        name = dict(self._absent).get(member_id)
        if name is None:
            return None
        entry = MemberEntry(member_id, name, "", "absent — note added by the leader",
                            None, None, None)
        self._entries.append(entry)
        editor = self._make_editor(entry)
        self._rebuild_menu()
        self._reorder()
        self.select_member(member_id)
        editor.focus_first()
        return editor

    def _ordered(self) -> list[MemberEntry]:
        alpha = sorted(self._entries, key=lambda e: (e.display_name.casefold(), e.member_id))
        if self.order.currentData() != "seat" or not self._seat_order:
            return alpha
        seat = {mid: i for i, mid in enumerate(self._seat_order)}
        big = len(seat)
        return sorted(alpha, key=lambda e: seat.get(e.member_id, big))  # unseated last, A–Z

    def _reorder(self) -> None:
        current = self.current_member_id()
        self.list.blockSignals(True)
        self.list.clear()
        for entry in self._ordered():
            item = QListWidgetItem(self._item_text(entry.member_id, entry.display_name))
            item.setData(Qt.ItemDataRole.UserRole, entry.member_id)
            long = (f"{entry.display_name}, signed" if self.is_signed(entry.member_id)
                    else entry.display_name)
            item.setToolTip(long)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, long)
            self.list.addItem(item)
        self.list.blockSignals(False)
        if self.list.count():
            ids = self.member_ids()
            self.list.setCurrentRow(ids.index(current) if current in ids else 0)
        else:
            self.stack.setCurrentWidget(self.empty)
            self._update_position()

    def _item_text(self, member_id: int, name: str) -> str:
        """"✓ Name" when signed: a suffix like " (signed)" is what a narrow list cuts off."""
        return f"✓ {name}" if self.is_signed(member_id) else name

    def _entry(self, member_id: int) -> MemberEntry | None:
        return next((e for e in self._entries if e.member_id == member_id), None)

    def is_signed(self, member_id: int) -> bool:
        editor = self._editors.get(member_id)
        if editor is not None:
            return editor.signed
        entry = self._entry(member_id)
        return entry is not None and entry.status is not None and entry.status.signed

    def notes_by_member(self) -> dict[int, tuple[int | None, bool]]:
        """member id -> (note id or None when unwritten, signed) for every member shown."""
        result = {}
        for entry in self._entries:
            editor = self._editors.get(entry.member_id)
            note_id = editor.note_id if editor is not None else entry.note_id
            result[entry.member_id] = (note_id, self.is_signed(entry.member_id))
        return result

    def written_notes(self) -> list[tuple[str, MemberNoteFields]]:
        """(name shown, saved fields) of every member shown who has a note (for the
        cloned-note check; read after a flush)."""
        result = []
        for entry in self._entries:
            fields = self.saved_fields(entry.member_id)
            if fields is not None:
                result.append((entry.display_name, fields))
        return result

    def shown_name(self, member_id: int) -> str:
        entry = self._entry(member_id)
        return entry.display_name if entry is not None else ""

    def saved_fields(self, member_id: int) -> MemberNoteFields | None:
        """What the member's note holds (None: no note yet). Read after a flush, when the
        editor and the vault agree."""
        editor = self._editors.get(member_id)
        if editor is not None:
            return editor.value() if editor.note_id is not None else None
        entry = self._entry(member_id)
        return entry.fields if entry is not None and entry.note_id is not None else None

    # ------------------------------------------------------------ moving
    def member_ids(self) -> list[int]:
        return [self.list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.list.count())]

    def current_member_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def editor(self, member_id: int) -> MemberNoteEditor | None:
        """The member's editor (built now if it was not shown yet)."""
        if member_id not in self._editors:
            entry = self._entry(member_id)
            if entry is None:
                return None
            self._make_editor(entry)
        return self._editors[member_id]

    def built_editors(self) -> list[MemberNoteEditor]:
        return list(self._editors.values())

    def select_member(self, member_id: int) -> bool:
        ids = self.member_ids()
        if member_id not in ids:
            return False
        self.list.setCurrentRow(ids.index(member_id))
        return True

    def next_member(self) -> None:
        self._step(1)

    def previous_member(self) -> None:
        self._step(-1)

    def focus_current(self) -> None:
        """The caret in the current member's first field (or the list, if none)."""
        mid = self.current_member_id()
        editor = self.editor(mid) if mid is not None else None
        if editor is not None:
            editor.focus_first()
        else:
            self.list.setFocus()

    def _step(self, delta: int) -> None:
        count = self.list.count()
        if not count:
            return
        row = min(max(self.list.currentRow() + delta, 0), count - 1)
        self.list.setCurrentRow(row)
        mid = self.current_member_id()
        editor = self.editor(mid) if mid is not None else None
        if editor is not None:
            editor.focus_first()

    def _on_row(self, row: int) -> None:
        mid = self.current_member_id()
        editor = self.editor(mid) if mid is not None else None
        self.stack.setCurrentWidget(editor if editor is not None else self.empty)
        self._update_position()
        if mid is not None:
            self.current_changed.emit(mid)

    def _update_position(self) -> None:
        count, row = self.list.count(), self.list.currentRow()
        self.position.setText(f"{row + 1} of {count}" if count else "")
        self.prev_button.setEnabled(row > 0)
        self.next_button.setEnabled(0 <= row < count - 1)

    def clear(self) -> None:
        """No member shown; the editors are emptied of every name and text at once and
        kept for the next session (a switch of session builds no editor)."""
        self.stack.setCurrentWidget(self.empty)
        self.list.clear()
        self._risks = {}
        for editor in self._editors.values():
            editor.blank()
            self._spare.append(editor)
        self._editors.clear()
        self._entries = []
        self._absent = []
        self._absent_menu.clear()
        self.stack.setCurrentWidget(self.empty)
        self._update_position()
