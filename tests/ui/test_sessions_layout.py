"""The Sessions view at a laptop's 1366x768 and a netbook's 1024x600, in the whole main
window: no header, status, draft flag or member name cut while there is room, and at
1024x600 every column and every attendance button on screen without scrolling sideways.
Checked through the widgets (section widths against what their text needs)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import groups as groups_svc
from groupleader.data.snapshots import GroupNoteFields, GroupSpec
from groupleader.data.vault import Vault
from groupleader.ui.main_window import MainWindow
from groupleader.ui.sessions.session_list import PAD
from tests.conftest import PASSPHRASE, open_vault
from tests.ui.sessions_support import build
from tests.ui.shell_support import unlocked_window

LONG_NAMES = ("Arturo Villanueva-Echeverría", "Bea Lindqvist-Hammarström", "Cleo Diaz",
              "Evangelina Montgomery-Fairweather", "Finn Gray", "Gus Hill")


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


@pytest.fixture(params=["open", "course"])
def window(qtbot: Any, make_window: Callable[..., MainWindow], vault_file: Path,
           request: pytest.FixtureRequest) -> Any:
    vault: Vault = open_vault(vault_file, PASSPHRASE)
    # a course's list is long enough for a scroll bar (its width must be reserved)
    world = build(vault, LONG_NAMES, sessions=4 if request.param == "open" else 20)
    if request.param == "course":  # "Session 4 of 12, cycle 1": the longest numbers
        group = query(vault, groups_svc.get_group, world.group_id)
        ops_groups.update_group(vault, world.group_id, GroupSpec(
            name="Living with Loss, a course of twelve", kind=group.kind,
            leader_ids=(world.leader_id,), format="fixed", sessions_per_cycle=12,
            weekday=group.weekday, start_time=group.start_time, max_size=12))
    # the oldest session's group note, a draft three weeks on: "⚑ draft · 21 days"
    ops_notes.save_group_note(vault, world.meeting_id - 3, GroupNoteFields(themes="Trust"))
    vault.close()
    w = unlocked_window(qtbot, make_window, vault_file)
    w.workspace.sidebar.select_group(world.group_id)
    qtbot.waitUntil(lambda: w.workspace.tabs.isVisible())
    w.workspace.tabs.setCurrentWidget(w.workspace.sessions_view)
    return w


def inside(widget: QWidget, area: QWidget) -> bool:
    """The widget's whole rectangle lies within `area` (a scroll area's viewport)."""
    top_left = widget.mapTo(area, widget.rect().topLeft())
    bottom_right = widget.mapTo(area, widget.rect().bottomRight())
    return area.rect().contains(top_left) and area.rect().contains(bottom_right)


@pytest.mark.parametrize("size", [(1366, 768), (1024, 600)])
def test_no_header_status_flag_or_name_is_cut_and_nothing_scrolls_sideways(
    qtbot: Any, window: MainWindow, size: tuple[int, int]
) -> None:
    window.resize(*size)
    settle()
    view = window.workspace.sessions_view
    assert view is not None
    table = view.sessions.table
    header = table.horizontalHeader()
    model = view.sessions.model
    widths = [header.sectionSize(i) for i in range(model.columnCount())]
    assert sum(widths) <= table.viewport().width(), (widths, table.viewport().width())
    assert not table.horizontalScrollBar().isVisible()
    for i in range(model.columnCount()):  # "Sta…", "Atte…" no more
        assert header.sectionSizeFromContents(i).width() <= widths[i], (
            model.headerData(i), widths[i])
    metrics = table.fontMetrics()
    for row in range(model.rowCount()):
        for col in (0, 2, 3):  # number, status, attended: never cut
            text = str(model.index(row, col).data() or "")
            assert metrics.horizontalAdvance(text) + PAD <= widths[col], (text, widths[col])
    flags = [str(model.index(r, 4).data()) for r in range(model.rowCount())
             if str(model.index(r, 4).data()).startswith("⚑")]
    assert flags and flags[0].startswith("⚑ draft")
    # the flag is never cut: whole, or without its days (then in its tooltip)
    assert metrics.horizontalAdvance(flags[0]) + PAD <= widths[4], (flags[0], widths[4])
    if size[0] >= 1366:  # room enough: the flag's days and the date's time are shown whole
        assert flags[0].startswith("⚑ draft · ") and not model.short_dates
    else:  # whole when today's dates leave room for it, else without its days
        assert flags[0] == "⚑ draft" or flags[0].startswith("⚑ draft · "), flags[0]

    # the title keeps the session's number and date (a shorter form, never cut mid-date)
    assert "…" not in view.title.shown_text(), view.title.shown_text()
    assert view.title.shown_text().split(" · ")[1].split()[0] in {
        "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
    sidebar = window.workspace.sidebar  # its buttons whole beside the list
    for button in (sidebar.new_button, sidebar.edit_button, sidebar.archive_button):
        text = button.text().replace("&", "")
        assert button.fontMetrics().horizontalAdvance(text) + 16 <= button.width(), text

    page = view.attendance
    view.tabs.setCurrentWidget(page)
    settle()
    scroll = page._scroll
    assert not scroll.horizontalScrollBar().isVisible()
    for member_id in page.member_ids():
        row = page._rows[member_id]
        assert not row.name.is_elided(), row.name.text()  # "Arturo Villa…" no more
        for control in [*row.controls(), row.name]:
            assert inside(control, scroll.viewport()), (row.name.text(), control)
