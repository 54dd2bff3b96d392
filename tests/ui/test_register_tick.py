"""Ticking the risk concern in the real main window (issue 16's attack): cancelling the
entry's dialog unticks the box, so the roster shows no one-week "⚠ Risk" without an
entry; ticking again (the same session, or a later one while the entry is open) offers a
review of the open entry and makes no duplicate."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import query
from groupleader.data.services import meetings, notes, risk
from groupleader.data.vault import Vault
from groupleader.ui.main_window import MainWindow
from groupleader.ui.register.dialogs import ReviewDialog, RiskEntryDialog
from groupleader.ui.register.session_hookup import KEEP, NEW, REVIEW
from groupleader.ui.roster.model import COLUMN
from groupleader.ui.sessions import SessionsView
from tests.conftest import PASSPHRASE, open_vault
from tests.ui.sessions_support import World, build
from tests.ui.shell_support import Messages, unlocked_window
from tests.ui.test_register_window import Dialogs, _fill_entry

MakeWindow = Callable[..., MainWindow]


@pytest.fixture
def opened(qtbot: Any, make_window: MakeWindow,
           vault_file: Path) -> tuple[MainWindow, World, list[int]]:
    vault: Vault = open_vault(vault_file, PASSPHRASE)
    world = build(vault, sessions=3)
    ids = [m.id for m in query(vault, meetings.list_meetings, world.group_id)]
    for m in ids:
        ops_meetings.take_attendance(vault, m, [(i, "present", None) for i in world.member_ids])
    vault.close()
    window = unlocked_window(qtbot, make_window, vault_file)
    window.workspace.sidebar.select_group(world.group_id)
    QApplication.processEvents()
    return window, world, ids


def _sessions(window: MainWindow) -> SessionsView:
    return window.workspace.sessions_view


def _tick(window: MainWindow, meeting_id: int, member_id: int) -> None:
    view = _sessions(window)
    assert view.select_meeting(meeting_id)
    editor = view.member_notes.editor(member_id)
    assert editor is not None
    editor.risk_flag.click()
    view.autosave.flush()
    QApplication.processEvents()


def _roster_risk(window: MainWindow, member_id: int) -> str:
    roster = window.workspace.views[0]
    roster.reload()
    row = next(r for r in range(roster.model.rowCount())
               if roster.model.entry(r).member_id == member_id)
    return str(roster.model.index(row, COLUMN["risk"]).data() or "")


def _flag_saved(window: MainWindow, meeting_id: int, member_id: int) -> bool:
    loaded = query(window.ctx.require_vault(), notes.load_meeting_notes, meeting_id)
    note = next((n for n in loaded.member_notes if n.member_id == member_id), None)
    return bool(note is not None and note.fields.risk_flag)


def test_cancelling_the_entry_dialog_unticks_the_concern(
    opened: tuple[MainWindow, World, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    window, world, (s1, _s2, _s3) = opened
    ada = world.member_ids[0]
    dialogs = Dialogs(monkeypatch)
    dialogs.handlers[RiskEntryDialog] = lambda d: d.reject()
    _tick(window, s1, ada)
    assert [type(d) for d in dialogs.shown] == [RiskEntryDialog]
    editor = _sessions(window).member_notes.editor(ada)
    assert editor is not None and not editor.risk_flag.isChecked()
    assert not _flag_saved(window, s1, ada)
    assert query(window.ctx.require_vault(), risk.member_entries, ada) == []
    assert _roster_risk(window, ada) == ""  # no one-week flag with no entry behind it
    assert "unticked" in _sessions(window).banner.label.text()


def test_ticking_again_offers_the_open_entry_and_makes_no_duplicate(
    opened: tuple[MainWindow, World, list[int]], monkeypatch: pytest.MonkeyPatch,
    messages: Messages,
) -> None:
    window, world, (s1, s2, _s3) = opened
    ada = world.member_ids[0]
    vault = window.ctx.require_vault()
    dialogs = Dialogs(monkeypatch)
    dialogs.handlers[RiskEntryDialog] = _fill_entry
    _tick(window, s1, ada)
    [entry] = query(vault, risk.member_entries, ada)
    # untick and tick again, twice, in the same session: still the one entry, no dialog
    editor = _sessions(window).member_notes.editor(ada)
    assert editor is not None
    for _ in range(2):
        editor.risk_flag.click()
        editor.risk_flag.click()
    assert len(dialogs.shown) == 1 and len(query(vault, risk.member_entries, ada)) == 1
    # the next session: the open entry is offered for review; "Neither" adds nothing
    messages.choices = [KEEP]
    _tick(window, s2, ada)
    assert messages.offered[-1] == [REVIEW, NEW, KEEP]
    assert "already has an open risk entry" in messages.shown[-1][2]
    assert len(dialogs.shown) == 1 and len(query(vault, risk.member_entries, ada)) == 1
    # ... "Review the open entry" reviews it in this session
    def fill_review(d: ReviewDialog) -> None:
        d.note.setPlainText("Still low mood; plan reviewed with her")
        d.try_accept()

    dialogs.handlers[ReviewDialog] = fill_review
    messages.choices = [REVIEW]
    editor = _sessions(window).member_notes.editor(ada)
    assert editor is not None
    editor.risk_flag.click()  # untick
    editor.risk_flag.click()  # and tick again
    assert type(dialogs.shown[-1]) is ReviewDialog
    [again] = query(vault, risk.member_entries, ada)
    assert again.id == entry.id and [r.meeting_id for r in again.reviews] == [s2]
    assert "(+" not in _roster_risk(window, ada)
