"""The whole day of a new user, step by step, through the real main window.

Each function is one thing the user does (create the vault, set up the group, hold a
session...). They drive widgets through `Actions` (counted clicks and keys, free typing)
and answer dialogs through `Modals`. test_whole_day.py runs them all and checks the
result; test_no_network.py runs them with the network forbidden.

Dates: the group meets weekly at a time about 90 minutes from now, so the session the
program schedules next is "today" wherever and whenever the test runs. The first session
is entered afterwards for the week before (Reschedule…), so that the second one, the
recurring part, is the group's regular next meeting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QDateTime, QPoint, Qt, QTime
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot

from groupleader.data.operations import query
from groupleader.data.services import members as member_service
from groupleader.ui.find import FindDialog
from groupleader.ui.groups import ClinicianDialog, GroupFormDialog
from groupleader.ui.main_window import MainWindow
from groupleader.ui.pin_dialogs import SetPinDialog, SignDialog
from groupleader.ui.roster.import_dialog import ImportDialog
from groupleader.ui.roster.member_dialog import MemberDialog
from groupleader.ui.roster.status_dialog import StatusDialog
from groupleader.ui.seating import presenter
from groupleader.ui.seating.items import drag_mime
from groupleader.ui.sessions.session_list import DateTimeDialog
from groupleader.ui.settings_dialog import SettingsDialog
from tests.e2e.driving import WAIT_MS, Actions, Modals, button_with_text

PASSPHRASE = "lantern orchard velvet ninety"
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier

GROUP_NAME = "Wednesday Harbour Group"
LEADER = ("Dr Maren Holt", "PsyD")
LEADER_PIN = "maren-signs"
CO_LEADER = ("Tobias Ferreira", "LCSW")
# Six members typed into the member dialog, one from a CSV file. The surname
# "Quennevillard" is a marker too: a name must never leave the vault in the clear.
TYPED_MEMBERS = (
    ("Aino Quennevillard", "Aino", "she/her"),
    ("Bashir Okonjo", "", "he/him"),
    ("Clemence Vautrin", "Clem", "she/her"),
    ("Dario Ferrante", "", "he/him"),
    ("Elif Karaca", "", "she/her"),
    ("Fenna Visser", "", "they/them"),
)
CSV_MEMBER = "Gustav Lindahl"
LATE = "Bashir Okonjo"
ABSENT = "Elif Karaca"
# The recurring week: one member joins that day, one graduates on the day of their last
# group (the goodbye session is documented like any other).
JOINER = ("Hamid Rostami", "", "he/him")
GRADUATE = "Fenna Visser"
# Until the eligibility rule counted a member in on the day their membership ended, the
# graduation had to be dated the day after the goodbye session (one more action).
GRADUATION_NEXT_DAY = False

# Words typed into the notes: distinctive, so a byte search for them cannot mislead.
GROUP_MARKER = "zephyrquill"
MEMBER_MARKER = "marmalith"
PROCESS_MARKER = "obsidianfern"
RECURRING_MARKER = "tessellorn"
NAME_MARKER = "Quennevillard"
MARKERS = (GROUP_MARKER, MEMBER_MARKER, PROCESS_MARKER, RECURRING_MARKER, NAME_MARKER)


@dataclass
class Day:
    """What the steps share: the window, the helpers and what was made."""

    qtbot: QtBot
    window: MainWindow
    actions: Actions
    modals: Modals
    folder: Path
    vault_path: Path = field(init=False)
    slot: datetime = field(init=False)
    group_id: int = 0
    member_ids: dict[str, int] = field(default_factory=dict)
    first_session: int = 0
    second_session: int = 0
    pdfs: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.vault_path = self.folder / "clinic.vault"
        soon = (datetime.now().astimezone() + timedelta(minutes=90)).replace(
            second=0, microsecond=0)
        self.slot = soon

    @property
    def ws(self):  # the Workspace (built after the first unlock)
        return self.window.workspace

    @property
    def sessions(self):
        return self.ws.views[2]

    @property
    def seating(self):
        return self.ws.views[1]

    @property
    def roster(self):
        return self.ws.views[0]

    def wait(self, condition, what: str = "") -> None:
        self.qtbot.waitUntil(condition, timeout=WAIT_MS)


def choose_in_combo(day: Day, combo: QComboBox, text: str, what: str) -> None:
    """Open the combo box's list (a click), type the start of the entry, Enter.

    (A click on the entry would do as well; the offscreen platform drops a release
    that comes sooner than a double-click interval after the list opened.)"""
    a = day.actions
    a.click(combo, f"open {what}")
    popup = combo.view()
    day.wait(lambda: popup.isVisible())
    a.type(popup, text)
    a.key(Qt.Key.Key_Return, what=f"{what}: Enter on {text}", widget=popup)
    day.wait(lambda: not popup.isVisible())
    assert combo.currentText() == text, f"{what}: {combo.currentText()!r}"


def activate(day: Day) -> None:
    """The main window has the keyboard (after a dialog closed)."""
    day.window.activateWindow()
    day.wait(lambda: QApplication.activeWindow() is day.window)


# ---------------------------------------------------------------------- first start


def create_vault(day: Day) -> None:
    """Welcome page → Create a new vault → file and passphrase twice → Create."""
    w, a = day.window, day.actions
    assert w.current_page is w.welcome
    a.click(w.welcome.create_button, "Welcome: Create a new vault…")
    page = w.create_page
    a.focus(page.location, "click the file field")
    a.key(Qt.Key.Key_A, CTRL, "select the default path")
    a.type(page.location, str(day.vault_path))
    a.focus(page.passphrase.edit, "click the passphrase field")
    a.type(page.passphrase.edit, PASSPHRASE)
    a.key(Qt.Key.Key_Return, what="Enter: on to Repeat")
    assert page.repeat.edit.hasFocus()
    a.type(page.repeat.edit, PASSPHRASE)
    a.key(Qt.Key.Key_Return, what="Enter: create the vault")
    day.wait(lambda: w.ctx.vault is not None)
    assert w.ctx.vault.path == day.vault_path.absolute()
    assert w.current_page is w.workspace
    activate(day)


def set_profile(day: Day) -> None:
    """Settings (Ctrl+,): the clinician profile that signs notes."""
    a = day.actions

    def fill(d: SettingsDialog) -> None:
        assert d.profile.currentText() == "A new profile…"
        a.focus(d.name, "click Name")
        a.type(d.name, LEADER[0])
        a.key(Qt.Key.Key_Tab, what="Tab to Credentials")
        a.type(d.credentials, LEADER[1])
        a.click(button_with_text(d, "Save"), "Settings: Save")

    day.modals.expect(SettingsDialog, fill)
    a.key(Qt.Key.Key_Comma, CTRL, "Ctrl+, (Settings)", widget=day.window)
    assert day.window.ctx.clinician_id is not None
    activate(day)


def create_group(day: Day) -> None:
    """The empty workspace's "Create a group…": name, weekday and time, two leaders."""
    a, w = day.actions, day.window

    def add_co_leader(d: ClinicianDialog) -> None:
        a.type(d.name, CO_LEADER[0])
        a.key(Qt.Key.Key_Tab, what="Tab to Credentials")
        a.type(d.credentials, CO_LEADER[1])
        a.key(Qt.Key.Key_Tab, what="Tab to Role")
        a.key(Qt.Key.Key_Down, what="Role: Co-leader")
        assert d.role.currentData() == "co_leader"
        a.key(Qt.Key.Key_Return, what="Enter: save the co-leader")

    def fill(d: GroupFormDialog) -> None:
        assert d.leader1.currentData() == w.ctx.clinician_id  # the profile leads
        a.type(d.name, GROUP_NAME)
        choose_in_combo(day, d.weekday, day.slot.strftime("%A"), "weekday")
        a.focus(d.start_time, "click the start time")
        d.start_time.setTime(QTime(day.slot.hour, day.slot.minute))  # typing HH:mm
        day.modals.expect(ClinicianDialog, add_co_leader)
        a.click(d.add_clinician, "Add clinician…")
        assert d.leader2.currentText().startswith(CO_LEADER[0])
        a.click(button_with_text(d, "Save"), "Group: Save")

    day.modals.expect(GroupFormDialog, fill)
    assert w.workspace.empty.button is not None
    a.click(w.workspace.empty.button, "Create a group…")
    day.group_id = w.workspace.sidebar.current_id()
    assert day.group_id is not None and w.ctx.current_group_id == day.group_id
    activate(day)


# ---------------------------------------------------------------------- roster


def add_members(day: Day) -> None:
    """Roster (Ctrl+1) → Add member… for each of six people, active since a fortnight."""
    a = day.actions
    since = date.today() - timedelta(days=14)
    a.key(Qt.Key.Key_1, CTRL, "Ctrl+1 (Roster)", widget=day.window)
    assert day.ws.tabs.currentWidget() is day.roster
    for full, preferred, pronouns in TYPED_MEMBERS:
        def fill(d: MemberDialog, full: str = full, preferred: str = preferred,
                 pronouns: str = pronouns) -> None:
            assert d.full_name.hasFocus()
            a.type(d.full_name, full)
            a.key(Qt.Key.Key_Tab, what="Tab to Preferred name")
            a.type(d.preferred_name, preferred)
            a.key(Qt.Key.Key_Tab, what="Tab to Pronouns")
            a.type(d.pronouns, pronouns)
            assert d.status is not None and d.on_date is not None
            if d.status.currentText() != "Active":  # Waitlist first, then the last choice
                choose_in_combo(day, d.status, "Active", "Starts as")
            a.focus(d.on_date, "click From")
            d.on_date.setDate(QDate(since.year, since.month, since.day))  # typing the date
            a.click(button_with_text(d, "Save"), "Member: Save")

        day.modals.expect(MemberDialog, fill)
        a.click(day.roster.add_button, "Add member…")
        activate(day)
    assert day.roster.model.rowCount() == len(TYPED_MEMBERS)


def import_member(day: Day) -> None:
    """Import CSV…: one more member from a file, through the preview dialog."""
    a = day.actions
    since = date.today() - timedelta(days=14)
    csv = day.folder / "from-the-clinic.csv"
    csv.write_text("Full name,Pronouns,Status,Joined\n"
                   f"{CSV_MEMBER},he/him,active,{since.isoformat()}\n", encoding="utf-8")

    def confirm(d: ImportDialog) -> None:
        day.wait(lambda: d.import_button.isEnabled())
        assert d.parsed is not None and len(d.parsed.rows) == 1 and not d.parsed.bad
        a.click(d.import_button, "Import")

    day.modals.choose_file(csv)
    day.modals.expect(ImportDialog, confirm)
    a.choose_from_menu(day.roster.csv_button, "Import CSV…", "CSV ▾")
    a.file_chosen("file chooser: Open")
    activate(day)
    rows = query(day.window.ctx.vault, member_service.list_memberships, day.group_id)
    assert len(rows) == 7 and all(r.status == "active" for r in rows)
    day.member_ids = {r.full_name: r.member_id for r in rows}
    csv.unlink()  # the user's own file; they delete it once imported


# ---------------------------------------------------------------------- a session


def new_session(day: Day) -> int:
    """Sessions → New session: the group's next regular meeting (today)."""
    view = day.sessions
    before = view.meeting.id if view.meeting else None
    day.actions.click(view.sessions.new_button, "New session")
    day.wait(lambda: view.meeting is not None and view.meeting.id != before)
    return view.meeting.id


def move_to_last_week(day: Day) -> None:
    """Reschedule…: the first session was held a week before, at the same time."""
    a = day.actions
    when = day.slot - timedelta(days=7)

    def fill(d: DateTimeDialog) -> None:
        a.focus(d.edit, "click the date")
        d.edit.setDateTime(QDateTime(QDate(when.year, when.month, when.day),
                                     QTime(when.hour, when.minute)))  # typing the date
        a.click(button_with_text(d, "OK"), "Reschedule: OK")

    day.modals.expect(DateTimeDialog, fill)
    a.click(day.sessions.sessions.reschedule_button, "Reschedule…")
    activate(day)


def take_attendance(day: Day, late: str | None = None, absent: str | None = None,
                    members: int = 7) -> None:
    view = day.sessions
    a = day.actions
    assert view.tabs.currentWidget() is view.attendance, "a new session opens on attendance"
    a.click(view.attendance.everyone, "Everyone present")
    QApplication.processEvents()  # the view re-reads the attendance it announced
    if late:
        a.click(view.attendance.row_buttons(day.member_ids[late])["late"], f"Late: {late}")
        QApplication.processEvents()
    if absent:
        button = view.attendance.row_buttons(day.member_ids[absent])["absent_notice"]
        a.click(button, f"Absent with notice: {absent}")
    records = view.attendance.records()
    assert len(records) == members
    assert view.meeting is not None and view.meeting.status == "held"


def _chair_pos(day: Day, index: int) -> QPoint:
    canvas = day.seating.canvas
    return canvas.mapFromScene(day.seating.scene.chairs[index].pos())


def _payload(day: Day, name: str) -> str:
    """The drag payload of a member or clinician, by name (what the list item carries)."""
    from groupleader.data.services import clinicians

    if name in day.member_ids:
        return f"m:{day.member_ids[name]}"
    people = query(day.window.ctx.require_vault(), clinicians.list_clinicians)
    return f"c:{next(c.id for c in people if c.name == name)}"


def _drag_to_chair(day: Day, name: str, chair: int) -> None:
    """Drag a person from the list beside the circle onto a chair."""
    view = day.seating
    payload = _payload(day, name)
    assert payload in view.side_list.payloads(), f"{name} is not in the list"
    day.actions.drag(view.canvas.viewport(), _chair_pos(day, chair), drag_mime(payload),
                     f"drag {name} to chair {chair + 1}")
    assert view.model.circle[chair] is not None
    assert presenter.encode_drag(view.model.circle[chair]) == payload


def seat_the_circle(day: Day, empty_chair: int) -> None:
    """Seating (Ctrl+2): one more chair, then everyone dragged to a chair; the absent
    member's chair stays empty."""
    a, view = day.actions, day.seating
    a.key(Qt.Key.Key_2, CTRL, "Ctrl+2 (Seating)", widget=day.window)
    assert day.ws.tabs.currentWidget() is view
    assert view.model.meeting_id == day.sessions.meeting.id  # it follows the session
    a.click_action(view.toolbar, view.add_action, "Add chair")
    people = [LEADER[0], *[m[0] for m in TYPED_MEMBERS if m[0] != ABSENT], CSV_MEMBER]
    people.insert(4, CO_LEADER[0])  # the co-leader sits opposite the leader
    chairs = [i for i in range(len(view.model.circle)) if i != empty_chair]
    assert len(chairs) == len(people) == 8
    for name, chair in zip(people, chairs, strict=True):
        _drag_to_chair(day, name, chair)
    assert view.model.circle[empty_chair] is None


def record_interactions(day: Day, pairs: list[tuple[int, int | None]]) -> None:
    """Interaction mode (Ctrl+I): a click on who spoke, then on who they spoke to (or
    the centre, for the whole group)."""
    a, view = day.actions, day.seating
    a.click_action(view.toolbar, view.interaction_action, "Interactions (on)")
    assert view.scene.interaction_mode
    centre = view.canvas.mapFromScene(0, 0)
    for speaker, to in pairs:
        a.click(view.canvas.viewport(), f"speaker: chair {speaker + 1}",
                _chair_pos(day, speaker))
        pos = centre if to is None else _chair_pos(day, to)
        a.click(view.canvas.viewport(), f"to: {'centre' if to is None else to + 1}", pos)
    assert len(view.model.interactions) == len(pairs)
    a.click_action(view.toolbar, view.interaction_action, "Interactions (off)")


def write_group_note(day: Day, themes: str, here_and_now: str) -> None:
    """Sessions (Ctrl+3) → Group note (Alt+G): themes, Tab, the here-and-now."""
    a, view = day.actions, day.sessions
    if day.ws.tabs.currentWidget() is not view:
        a.key(Qt.Key.Key_3, CTRL, "Ctrl+3 (Sessions & Notes)", widget=day.window)
    a.key(Qt.Key.Key_G, ALT, "Alt+G (Group note)", widget=day.window)
    assert view.tabs.currentWidget() is view.group_editor
    themes_edit = view.group_editor.fields["themes"].edit
    a.focus(themes_edit, "click Themes")
    a.type(themes_edit, themes)
    a.key(Qt.Key.Key_Tab, what="Tab to Here-and-now")
    here = view.group_editor.fields["here_and_now"].edit
    assert here.hasFocus()
    a.type(here, here_and_now)


def write_member_notes(day: Day, text: str) -> int:
    """Member notes (Alt+M): the first member's participation, then Ctrl+PageDown to
    each next member (the caret lands in their first field)."""
    a, view = day.actions, day.sessions
    a.key(Qt.Key.Key_M, ALT, "Alt+M (Member notes)", widget=day.window)
    panel = view.member_notes
    assert view.tabs.currentWidget() is panel
    ids = panel.member_ids()
    for i, member_id in enumerate(ids):
        if i:
            a.key(Qt.Key.Key_PageDown, CTRL, "Ctrl+PageDown (next member)")
        assert panel.current_member_id() == member_id
        editor = panel.editor(member_id)
        assert editor is not None
        field_edit = editor.fields["participation"].edit
        a.focus(field_edit, "click Participation")
        a.type(field_edit, f"{text} ({i + 1})")
    return len(ids)


def write_process_note(day: Day, text: str) -> None:
    a, view = day.actions, day.sessions
    a.key(Qt.Key.Key_P, ALT, "Alt+P (Process note)", widget=day.window)
    assert view.tabs.currentWidget() is view.process
    a.focus(view.process.edit, "click the process note")
    a.type(view.process.edit, text)


def sign_all(day: Day) -> None:
    """Sign all notes…: the first time, set the profile's signing PIN; then the one
    question, answered with the PIN."""
    a, view = day.actions, day.sessions

    def set_pin(d: SetPinDialog) -> None:
        a.type(d.new, LEADER_PIN)
        a.key(Qt.Key.Key_Tab, what="Tab to Repeat")
        a.type(d.repeat, LEADER_PIN)
        a.click(button_with_text(d, "Save"), "Set signing PIN: Save")

    def confirm(box: SignDialog) -> None:
        assert box.signer.text().startswith(f"Signing as: {LEADER[0]}, {LEADER[1]}")
        a.type(box.pin, LEADER_PIN)
        a.click(button_with_text(box, "Sign and lock"), "Sign and lock")

    from groupleader.data.services.clinicians import get_clinician

    assert day.window.ctx.vault is not None and day.window.ctx.clinician_id is not None
    if not query(day.window.ctx.vault, get_clinician, day.window.ctx.clinician_id).has_pin:
        day.modals.expect(SetPinDialog, set_pin)
    day.modals.expect(SignDialog, confirm)
    a.click(view.sign_all_button, "Sign all…")
    activate(day)
    assert view.group_status is not None and view.group_status.signed, view.banner.label.text()
    assert all(signed for _id, signed in view.member_notes.notes_by_member().values())


def export_pdf(day: Day, name: str) -> Path:
    """Ctrl+E → Save PDF… → the file chooser's Save (the dialog closes itself)."""
    from groupleader.ui.export_dialog import ExportDialog

    a = day.actions
    target = day.folder / "exports" / name
    target.parent.mkdir(exist_ok=True)

    written = [target]

    def save(d: ExportDialog) -> None:
        from groupleader.report.collect import deidentified_file

        assert d.kind == "session" and d.meeting_id == day.sessions.meeting.id
        if d.deidentify.isChecked():  # a de-identified file's name says so
            written[0] = deidentified_file(target)
        day.modals.choose_file(target)
        a.click(d.save_button, "Save PDF…")
        a.file_chosen("file chooser: Save")
        day.wait(lambda: written[0].exists())
        day.wait(lambda: not d.isVisible())

    day.modals.expect(ExportDialog, save)
    a.key(Qt.Key.Key_E, CTRL, "Ctrl+E (Export PDF)", widget=day.window)
    activate(day)
    day.pdfs.append(written[0])
    return written[0]


# ---------------------------------------------------------------------- lock and find


def lock_and_unlock(day: Day) -> None:
    a, w = day.actions, day.window
    a.key(Qt.Key.Key_L, CTRL, "Ctrl+L (Lock)", widget=w)
    assert w.ctx.vault is None and w.current_page is w.unlock_page
    assert w.unlock_page.passphrase.edit.hasFocus()
    a.type(w.unlock_page.passphrase.edit, PASSPHRASE)
    a.key(Qt.Key.Key_Return, what="Enter: unlock")
    day.wait(lambda: w.ctx.vault is not None)
    activate(day)


def find_again(day: Day, word: str) -> FindDialog:
    """Ctrl+F, a word of the group note, Enter: the session opens at the word."""
    a, w = day.actions, day.window
    a.key(Qt.Key.Key_F, CTRL, "Ctrl+F (Find)", widget=w)
    dialog = next(d for d in w.findChildren(FindDialog) if d.isVisible())
    day.qtbot.waitExposed(dialog)
    day.wait(dialog.isActiveWindow)
    assert dialog.query.hasFocus(), "Find opens with the caret in its field"
    a.type(dialog.query, word)
    day.wait(lambda: dialog.model.rowCount() > 0)
    a.key(Qt.Key.Key_Return, what="Enter: open the note")
    return dialog


# ---------------------------------------------------------------------- the day


FIRST_PAIRS: list[tuple[int, int | None]] = [(1, 3), (3, 1), (0, None), (6, 2), (2, 8)]


def set_up(day: Day) -> None:
    """First start to a group with seven members."""
    create_vault(day)
    set_profile(day)
    create_group(day)
    add_members(day)
    import_member(day)


def first_session(day: Day) -> None:
    """The first session, entered after the meeting, in full."""
    day.actions.key(Qt.Key.Key_3, CTRL, "Ctrl+3 (Sessions & Notes)", widget=day.window)
    day.first_session = new_session(day)
    move_to_last_week(day)
    take_attendance(day, late=LATE, absent=ABSENT)
    seat_the_circle(day, empty_chair=5)
    record_interactions(day, FIRST_PAIRS)
    write_group_note(day, f"Trust and the {GROUP_MARKER} of starting again.",
                     "Two members challenged the leader about the late start.")
    written = write_member_notes(day, f"Spoke about the {MEMBER_MARKER} at work")
    assert written == 6  # the absent member has no note
    write_process_note(day, f"My own {PROCESS_MARKER} reaction to the silence.")
    sign_all(day)
    export_pdf(day, "session-1.pdf")


def join_and_graduate(day: Day) -> None:
    """On the session's attendance page: a new member joins today (New member…), one
    graduates today, the day of their last group (Ends… on their row)."""
    a, view = day.actions, day.sessions
    full, preferred, pronouns = JOINER

    def fill(d: MemberDialog) -> None:
        assert d.full_name.hasFocus()
        a.type(d.full_name, full)
        a.key(Qt.Key.Key_Tab, what="Tab to Preferred name")
        a.type(d.preferred_name, preferred)
        a.key(Qt.Key.Key_Tab, what="Tab to Pronouns")
        a.type(d.pronouns, pronouns)
        assert d.status is not None and d.status.currentText() == "Active"
        assert d.on_date is not None and d.on_date.date() == QDate.currentDate()
        a.click(button_with_text(d, "Save"), "Member: Save")

    day.modals.expect(MemberDialog, fill)
    a.click(view.attendance.new_member, "New member…")
    activate(day)
    rows = query(day.window.ctx.vault, member_service.list_memberships, day.group_id)
    day.member_ids = {r.full_name: r.member_id for r in rows}
    assert day.member_ids[full] in view.attendance.member_ids()

    def graduate(d: StatusDialog) -> None:
        assert d.chosen() == "graduated", d.chosen()
        a.type(d.farewell, "Said goodbye to the group.")
        if GRADUATION_NEXT_DAY:
            a.focus(d.on_date, "click the date")
            d.on_date.setDate(QDate.currentDate().addDays(1))  # typing the date
        assert d.on_date.date() == QDate.currentDate().addDays(int(GRADUATION_NEXT_DAY))
        a.click(button_with_text(d, "OK"), "Graduation: OK")

    day.modals.expect(StatusDialog, graduate)
    a.click(view.attendance.row_ends(day.member_ids[GRADUATE]), f"Ends…: {GRADUATE}")
    activate(day)
    rows = query(day.window.ctx.vault, member_service.list_memberships, day.group_id)
    assert {r.full_name: r.status for r in rows}[GRADUATE] == "graduated"


def recurring_session(day: Day) -> None:
    """The session of every week: all seven came, seated as last time, and the week's
    roster changes: a new member joined, another one's last session (graduated today)."""
    a = day.actions
    day.second_session = new_session(day)
    join_and_graduate(day)
    take_attendance(day, members=8)
    assert day.member_ids[GRADUATE] in day.sessions.attendance.attended_ids()
    a.key(Qt.Key.Key_2, CTRL, "Ctrl+2 (Seating)", widget=day.window)
    view = day.seating
    assert view.model.meeting_id == day.second_session
    a.click_action(view.toolbar, view.same_action, "Same as last session")
    empty = [i for i, p in enumerate(view.model.circle) if p is None]
    assert empty == [5], view.model.circle  # last week's absent member's chair
    _drag_to_chair(day, ABSENT, 5)
    a.click_action(view.toolbar, view.add_action, "Add chair")
    empty = [i for i, p in enumerate(view.model.circle) if p is None]
    assert len(empty) == 1, view.model.circle
    _drag_to_chair(day, JOINER[0], empty[0])
    write_group_note(day, f"Return of a member; {RECURRING_MARKER} as the theme.",
                     "The group made room for her, welcomed one and said goodbye to one.")
    assert write_member_notes(day, f"Continued {RECURRING_MARKER}") == 8
    sign_all(day)
    export_pdf(day, "session-2.pdf")
