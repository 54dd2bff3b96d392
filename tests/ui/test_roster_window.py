"""The Roster tab inside the whole main window: a member just added or changed stays in
view, a CSV import is undone as one step, the columns fit 1024x600 and nothing is cut at
1366x768, the size warning moves nothing, and the status filters survive a restart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QDialog, QStyle, QWidget
from pytestqt.qtbot import QtBot

from groupleader.data.models import Member, Membership, MembershipEvent
from groupleader.data.operations import roster as ops_roster
from groupleader.data.snapshots import MemberSpec
from groupleader.data.vault import Vault
from groupleader.ui.main_window import MainWindow
from groupleader.ui.roster import RosterView
from groupleader.ui.roster.import_dialog import ImportDialog
from groupleader.ui.roster.member_dialog import MemberDialog
from groupleader.ui.roster.model import COLUMN, COLUMNS
from groupleader.ui.roster.status_dialog import StatusDialog
from groupleader.ui.settings import Settings
from tests.conftest import PASSPHRASE, TEST_KDF_ITER, open_vault
from tests.ui.shell_support import unlock_with
from tests.ui.test_roster_model import Roster, make_roster

MakeWindow = Callable[..., MainWindow]
LONG = "Arturo Villanueva-Castellanos de la Fuente"  # the name that was cut at 1366


@pytest.fixture
def roster_file(vault_file: Path) -> tuple[Path, Roster]:
    vault: Vault = open_vault(vault_file, PASSPHRASE)
    roster = make_roster(vault)
    long = ops_roster.create_member(vault, MemberSpec(LONG, preferred_name="Arturo",
                                                      pronouns="he/him")).value
    roster.ms["long"] = ops_roster.add_membership(vault, long.id, roster.group_id,
                                                  "waitlist").value.id
    vault.close()
    return vault_file, roster


def open_roster(qtbot: QtBot, make_window: MakeWindow, path: Path, group_id: int,
                settings: Settings | None = None) -> tuple[MainWindow, RosterView]:
    window = (make_window(vault_path=path, the_settings=settings) if settings is not None
              else make_window(vault_path=path))
    unlock_with(qtbot, window)
    assert window.ctx.vault is not None
    window.workspace.sidebar.select_group(group_id)
    view = window.workspace.roster_view
    assert view is not None
    window.workspace.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.isVisible() and view.model.rowCount() > 0)
    return window, view


@pytest.fixture
def opened(qtbot: QtBot, make_window: MakeWindow, roster_file: tuple[Path, Roster]
           ) -> tuple[MainWindow, RosterView, Roster]:
    path, roster = roster_file
    window, view = open_roster(qtbot, make_window, path, roster.group_id)
    return window, view, roster


def driving(fill: Callable[[QDialog], None]) -> Callable[[QDialog], int]:
    def run(dialog: QDialog) -> int:
        fill(dialog)
        dialog.try_accept()  # type: ignore[attr-defined]
        return dialog.result()

    return run


def shown_ids(view: RosterView) -> list[int]:
    return [e.membership_id for r in range(view.proxy.rowCount())
            if (e := view.proxy.entry_at(view.proxy.index(r, 0))) is not None]


# ---------------------------------------------------------------- always in view


def test_a_member_added_as_referred_is_shown_and_chosen(
    qtbot: QtBot, opened: tuple[MainWindow, RosterView, Roster]
) -> None:
    window, view, _ = opened
    assert not view.status_buttons["referred"].isChecked()  # the default filters
    qtbot.keyClicks(view.name_filter, "Ada")  # and a name filter that would hide them too

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, MemberDialog) and dialog.status is not None
        dialog.full_name.setText("Nadia Referred")
        dialog.status.setCurrentIndex(dialog.status.findData("referred"))

    view.exec_dialog = driving(fill)
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    entry = view.current()
    assert entry is not None and entry.row.full_name == "Nadia Referred"
    assert entry.membership_id in shown_ids(view)
    assert view.status_buttons["referred"].isChecked() and view.name_filter.text() == ""
    assert window.statusBar().currentMessage() == "Showing referred members too."
    assert view.detail.name.text() == "Nadia Referred"


def test_a_status_change_the_filters_hide_keeps_the_member_chosen(
    qtbot: QtBot, opened: tuple[MainWindow, RosterView, Roster]
) -> None:
    window, view, roster = opened
    assert view.select_membership(roster.ms["ada"])
    view.exec_dialog = driving(lambda d: None)  # the status chosen from the menu
    [graduate] = [a for a in view.status_menu.actions() if a.data() == "graduated"]
    graduate.trigger()
    entry = view.current()
    assert entry is not None and entry.membership_id == roster.ms["ada"]
    assert entry.status == "graduated" and view.status_buttons["graduated"].isChecked()
    assert window.statusBar().currentMessage() == "Showing graduated members too."
    # a change the filters already show switches nothing on
    assert view.select_membership(roster.ms["wait"])
    before = view.statuses()
    seen: list[StatusDialog] = []
    view.exec_dialog = driving(lambda d: seen.append(d))  # type: ignore[arg-type,func-returns-value]
    [admit] = [a for a in view.status_menu.actions() if a.data() == "active"]
    admit.trigger()
    assert seen and view.statuses() == before
    assert view.current() is not None and view.current().membership_id == roster.ms["wait"]


def test_a_member_renamed_out_of_the_name_filter_stays_chosen(
    qtbot: QtBot, opened: tuple[MainWindow, RosterView, Roster]
) -> None:
    _, view, roster = opened
    qtbot.keyClicks(view.name_filter, "Beatrix")
    assert view.select_membership(roster.ms["bea"])
    view.exec_dialog = driving(lambda d: d.full_name.setText("Bea Potter"))  # type: ignore[attr-defined]
    view.edit_member()
    entry = view.current()
    assert entry is not None and entry.row.full_name == "Bea Potter"
    assert view.name_filter.text() == ""


# ---------------------------------------------------------------- undoing an import


def dump(vault: Vault) -> dict[str, list[tuple[Any, ...]]]:
    from sqlalchemy import select

    out = {}
    with vault.unit_of_work() as db:
        for model in (Member, Membership, MembershipEvent):
            cols = list(model.__table__.columns)
            out[model.__tablename__] = [tuple(r) for r in db.execute(
                select(*cols).order_by(cols[0])).all()]
    return out


IMPORT = ("Name;Status;DOB;Pronouns\n"
          "Noor Import;referred;;she/her\n"
          "Otto Import;active;;\n"
          "Ada Lovelace;active;10.12.1990;she/they\n")  # already on the roster: merged


def importing(qtbot: QtBot, choice: str = "merge") -> Callable[[QDialog], int]:
    """Stand-in for the import dialog's exec(): wait for the preview, import, wait."""

    def run(dialog: QDialog) -> int:
        assert isinstance(dialog, ImportDialog)
        qtbot.waitUntil(lambda: dialog.parsed is not None, timeout=10_000)
        dialog.dup_choice.setCurrentIndex(dialog.dup_choice.findData(choice))
        dialog.import_button.click()
        qtbot.waitUntil(lambda: dialog.imported is not None or dialog.message.isVisible(),
                        timeout=10_000)
        return dialog.result()

    return run


def test_a_roster_import_is_undone_as_one_step(
    qtbot: QtBot, opened: tuple[MainWindow, RosterView, Roster], tmp_path: Path
) -> None:
    window, view, roster = opened
    vault = window.ctx.vault
    assert vault is not None
    f = tmp_path / "people.csv"
    f.write_text(IMPORT, encoding="utf-8")
    before = dump(vault)
    stack = view.undo_stack()
    view.exec_dialog = importing(qtbot)
    view.import_csv(f)
    names = {e.row.full_name for e in view.model.entries()}
    assert {"Noor Import", "Otto Import"} <= names
    assert view.status_buttons["referred"].isChecked()  # the imported referral is shown
    assert stack.count() == 1 and stack.undoText() == "Import roster"
    imported = dump(vault)

    stack.undo()
    assert dump(vault) == before  # members, memberships, history; Ada's pronouns back
    assert {e.row.full_name for e in view.model.entries()} == names - {"Noor Import",
                                                                        "Otto Import"}
    assert not view.message.isVisible()
    # final: importing again is Import CSV… (preview, progress, worker), not a redo
    assert stack.count() == 0 and not stack.canRedo()
    view.import_csv(f)
    again = dump(vault)
    assert len(again["members"]) == len(imported["members"])
    assert len(again["memberships"]) == len(imported["memberships"])


def test_undo_of_an_import_after_another_write_says_why_and_changes_nothing(
    qtbot: QtBot, opened: tuple[MainWindow, RosterView, Roster], tmp_path: Path
) -> None:
    window, view, roster = opened
    vault = window.ctx.vault
    assert vault is not None
    f = tmp_path / "people.csv"
    f.write_text(IMPORT, encoding="utf-8")
    view.exec_dialog = importing(qtbot)
    view.import_csv(f)
    # a write elsewhere (as a status change or the Sessions view makes): not on this stack
    window.ctx.run(lambda v: ops_roster.change_status(v, roster.ms["wait"], "active"), None)
    after = dump(vault)
    geometry = view.table.geometry()
    view.undo_stack().undo()
    assert dump(vault) == after
    assert view.message.isVisible()
    assert view.message.text().startswith("This import can no longer be undone")
    assert view.table.geometry() == geometry  # the message moved nothing
    assert view.undo_stack().count() == 0  # nothing left that could not be undone


# ---------------------------------------------------------------- layout


def item_margin(widget: QWidget) -> int:
    """The room a table cell leaves on each side of its text (Qt's item delegate)."""
    return widget.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None,
                                      widget) + 1


def cut_headers(view: RosterView) -> list[str]:
    header = view.table.horizontalHeader()
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    arrow = header.height() + margin
    cut = []
    for i, (_, title) in enumerate(COLUMNS):
        if header.isSectionHidden(i):
            continue
        need = header.fontMetrics().horizontalAdvance(title) + 2 * margin
        if i == header.sortIndicatorSection():
            need += arrow
        if need > header.sectionSize(i):
            cut.append(title)
    return cut


def cut_names(view: RosterView) -> list[str]:
    width = view.table.columnWidth(COLUMN["name"]) - 2 * item_margin(view.table)
    metrics = view.table.fontMetrics()
    texts = [str(view.proxy.index(r, COLUMN["name"]).data())
             for r in range(view.proxy.rowCount())]
    return [t for t in texts if metrics.horizontalAdvance(t) > width]


def visible_in_viewport(view: RosterView, column: int) -> bool:
    header = view.table.horizontalHeader()
    left = header.sectionViewportPosition(column)
    return (not header.isSectionHidden(column) and left >= 0
            and left + header.sectionSize(column) <= view.table.viewport().width())


def resize(qtbot: QtBot, window: MainWindow, width: int, height: int) -> None:
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == width and window.height() == height)
    from PySide6.QtWidgets import QApplication

    for _ in range(5):
        QApplication.processEvents()


@pytest.mark.parametrize("everyone", [False, True], ids=["default filters", "every status"])
def test_at_1024x600_every_column_that_matters_is_on_screen(
    qtbot: QtBot, opened: tuple[MainWindow, RosterView, Roster], everyone: bool
) -> None:
    window, view, _ = opened
    if everyone:
        view.set_statuses(view.status_buttons)
    resize(qtbot, window, 1024, 600)
    assert window.frameGeometry().width() <= 1024 + 16  # the window fits the screen
    assert view.table.horizontalScrollBar().maximum() == 0  # no horizontal scrolling
    for key in ("name", "pronouns", "status", "attended", "rate", "streak", "risk"):
        assert visible_in_viewport(view, COLUMN[key]), key
    assert view.table.isColumnHidden(COLUMN["ended"]) is not everyone  # only when used
    if everyone:
        assert visible_in_viewport(view, COLUMN["ended"])
    assert cut_headers(view) == []
    assert view.table.columnWidth(COLUMN["name"]) >= view.table.fontMetrics().horizontalAdvance(
        "M" * 7)  # names elide, but a name stays readable
    risk_row = next(r for r in range(view.proxy.rowCount())
                    if view.proxy.index(r, COLUMN["risk"]).data())
    rect: QRect = view.table.visualRect(view.proxy.index(risk_row, COLUMN["risk"]))
    assert view.table.viewport().rect().contains(rect)  # the risk flag itself is on screen


def test_at_1366x768_no_header_or_name_is_cut(
    qtbot: QtBot, opened: tuple[MainWindow, RosterView, Roster]
) -> None:
    window, view, _ = opened
    resize(qtbot, window, 1366, 768)
    for statuses in (view.statuses(), list(view.status_buttons)):
        view.set_statuses(statuses)
        for _ in range(3):
            from PySide6.QtWidgets import QApplication

            QApplication.processEvents()
        assert view.table.horizontalScrollBar().maximum() == 0
        assert cut_headers(view) == []
        assert cut_names(view) == []
        assert LONG in " ".join(str(view.proxy.index(r, 0).data())
                                for r in range(view.proxy.rowCount()))
    assert view.detail.width() >= 220  # and the detail pane keeps its room


def test_the_size_warning_moves_nothing_below_it(
    qtbot: QtBot, opened: tuple[MainWindow, RosterView, Roster]
) -> None:
    window, view, roster = opened
    resize(qtbot, window, 1024, 600)

    def places() -> list[QPoint | QRect]:
        widgets = [view.status_buttons["active"], view.add_button, view.table]
        return [w.mapTo(window, QPoint(0, 0)) for w in widgets] + [view.table.geometry()]

    assert not view.warning_banner.isVisible()
    without = places()
    # one member leaves: four active becomes three, below the minimum of four
    window.ctx.run(lambda v: ops_roster.change_status(v, roster.ms["bea"], "left"), None)
    assert view.warning_banner.isVisible() and "Below the minimum" in view.warning.text()
    assert places() == without
    view.show_error("Something was refused: a sentence long enough to need the whole line "
                    "and a good deal more than that, which is elided.")
    assert places() == without
    window.ctx.run(lambda v: ops_roster.change_status(v, roster.ms["wait"], "active"), None)
    assert not view.warning_banner.isVisible()
    assert places() == without


# ---------------------------------------------------------------- after a restart


def test_the_status_filters_come_back_after_a_restart_for_that_vault_only(
    qtbot: QtBot, make_window: MakeWindow, roster_file: tuple[Path, Roster],
    settings: Settings, tmp_path: Path,
) -> None:
    path, roster = roster_file
    window, view = open_roster(qtbot, make_window, path, roster.group_id)
    qtbot.mouseClick(view.status_buttons["referred"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.status_buttons["waitlist"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.status_buttons["left"], Qt.MouseButton.LeftButton)
    chosen = ["referred", "active", "left"]
    assert view.statuses() == chosen
    window.close()
    settings.sync()
    stored = Path(settings.qsettings.fileName()).read_text("utf-8")
    assert "Lovelace" not in stored and "Tuesday" not in stored  # status names only

    again = Settings(path=Path(settings.qsettings.fileName()))
    window, view = open_roster(qtbot, make_window, path, roster.group_id, again)
    assert view.statuses() == chosen
    assert roster.ms["gone"] in shown_ids(view) and roster.ms["long"] not in shown_ids(view)
    assert view.state() == {"statuses": chosen}
    window.close()

    other = tmp_path / "other.vault"  # another vault starts with the defaults
    second = Vault.create(other, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER)
    other_roster = make_roster(second)
    second.close()
    window, view = open_roster(qtbot, make_window, other, other_roster.group_id, again)
    assert view.statuses() == ["waitlist", "active"]


def test_state_round_trips_and_ignores_what_it_does_not_know(
    opened: tuple[MainWindow, RosterView, Roster]
) -> None:
    _, view, _ = opened
    view.restore_state({"statuses": ["screening", "graduated", "no such status"]})
    assert view.statuses() == ["screening", "graduated"]
    assert view.state() == {"statuses": ["screening", "graduated"]}
    view.restore_state({"statuses": "active"})  # malformed: nothing changes
    view.restore_state({})
    assert view.statuses() == ["screening", "graduated"]
