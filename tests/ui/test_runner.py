"""The one runner: slow work on a worker with progress and cancel, failures said calmly.

Driven through the real main window and its real roster import (the slowest write a
user starts): a failing import reports its error in the window and leaves it usable; a
cancelled one writes nothing; an unexpected error never shows its text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from groupleader.data.models import AuditEvent, Member
from groupleader.data.operations import Changes, Done
from groupleader.data.operations import groups as ops_groups
from groupleader.data.services import members
from groupleader.data.snapshots import GroupSpec
from groupleader.errors import GroupLeaderError, StorageError
from groupleader.ui.main_window import MainWindow
from groupleader.ui.roster.import_dialog import ImportDialog
from groupleader.ui.runner import UNEXPECTED, Runner
from tests.conftest import PASSPHRASE, open_vault
from tests.ui.sessions_support import build
from tests.ui.shell_support import finish, unlocked_window

MakeWindow = Callable[..., MainWindow]
SECRET = "Xylo-Marrow-4411"  # clinical-looking text that must never surface


@pytest.fixture
def window(qtbot: Any, make_window: MakeWindow, vault_file: Path) -> MainWindow:
    vault = open_vault(vault_file, PASSPHRASE)
    world = build(vault)
    vault.close()
    w = unlocked_window(qtbot, make_window, vault_file)
    w.backups.enabled = False  # the daily backup (an audit event of its own) stays out
    w.show()
    w.workspace.sidebar.select_group(world.group_id)
    w.workspace.tabs.setCurrentIndex(0)
    return w


def _count(window: MainWindow, model: Any) -> int:
    with window.ctx.require_vault().unit_of_work() as db:
        return db.scalar(select(func.count()).select_from(model)) or 0


def _roster_file(tmp_path: Path, rows: int) -> Path:
    path = tmp_path / "big.csv"
    path.write_text("Name,Status\n" + "".join(f"Person {i:05d},waitlist\n"
                                             for i in range(rows)), encoding="utf-8")
    return path


def _import_dialog(qtbot: Any, window: MainWindow, path: Path) -> ImportDialog:
    group_id = window.ctx.current_group_id
    assert group_id is not None
    ops_groups_max(window, group_id)
    dialog = ImportDialog(window.ctx, group_id, path, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.parsed is not None, timeout=20_000)
    return dialog


def ops_groups_max(window: MainWindow, group_id: int) -> None:
    """Room for a big waitlist import (the group's maximum counts active members only)."""
    window.ctx.run(lambda v: ops_groups.update_group(v, group_id, GroupSpec(
        "Tuesday group", "psychodynamic", (window.ctx.clinician_id or 1,), max_size=12)))


def test_a_failing_slow_operation_reports_in_the_window_and_leaves_it_usable(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _import_dialog(qtbot, window, _roster_file(tmp_path, 400))
    before = (_count(window, Member), _count(window, AuditEvent))
    real, calls = members.add_membership, {"n": 0}

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 300:  # the disk fills in the middle of the import
            raise StorageError()
        return real(*args, **kwargs)

    monkeypatch.setattr(members, "add_membership", failing)
    changed: list[Changes] = []
    window.ctx.changed.connect(lambda c, _s: changed.append(c))
    dialog.import_button.click()
    assert dialog.job is not None
    finish(qtbot, dialog.job)

    assert dialog.message.isVisibleTo(dialog)
    assert dialog.message.text() == StorageError().message  # what to do next, no traceback
    assert dialog.isVisible() and dialog.imported is None
    assert (_count(window, Member), _count(window, AuditEvent)) == before  # nothing written
    assert changed == []  # nothing announced
    assert not window.ctx.runner.busy
    monkeypatch.setattr(members, "add_membership", real)
    dialog.reject()
    # the window goes on working: a quick operation, then the same import again
    group_id = window.ctx.current_group_id
    window.workspace.sidebar.toggle_archive()
    window.workspace.sidebar.show_archived.setChecked(True)
    assert window.workspace.sidebar.select_group(group_id)
    window.workspace.sidebar.toggle_archive()  # restored
    dialog = _import_dialog(qtbot, window, _roster_file(tmp_path, 400))
    dialog.import_button.click()
    finish(qtbot, dialog.job)
    assert dialog.imported is not None and dialog.imported.created == 400


def test_a_cancelled_slow_operation_writes_nothing(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    dialog = _import_dialog(qtbot, window, _roster_file(tmp_path, 3000))
    before = (_count(window, Member), _count(window, AuditEvent))

    def cancel_at_first_progress(done: int, _total: int) -> None:
        if done and dialog.job is not None:
            dialog.job.cancel()

    dialog.import_button.click()
    assert dialog.job is not None
    dialog.job.progress.connect(cancel_at_first_progress)
    finish(qtbot, dialog.job)

    assert dialog.job.was_cancelled
    assert dialog.message.text() == "Stopped. Nothing was written."
    assert (_count(window, Member), _count(window, AuditEvent)) == before


def test_an_unexpected_error_is_reported_calmly_without_its_text(
    qtbot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    runner = Runner()
    failures: list[GroupLeaderError] = []

    def work(_progress: Any) -> Done[None]:
        raise ValueError(f"UPDATE notes SET text = '{SECRET}'")

    with caplog.at_level(logging.DEBUG):
        finish(qtbot, runner.start(work, lambda _v: None, failures.append))
    assert [f.message for f in failures] == [UNEXPECTED]
    assert SECRET not in caplog.text and "ValueError" in caplog.text


def test_success_announces_the_operations_changes_once(qtbot: Any) -> None:
    runner = Runner()
    seen: list[tuple[Changes, object]] = []
    runner.changed.connect(lambda c, s: seen.append((c, s)))
    changes = Changes(groups=frozenset({7}), roster=True)
    results: list[object] = []
    finish(qtbot, runner.start(lambda _p: Done("value", changes), results.append,
                               lambda _e: None, source="the view"))
    assert results == ["value"] and seen == [(changes, "the view")]
    assert runner.run(lambda: Done(3, Changes())) == 3 and len(seen) == 1  # empty: silent


def test_checking_the_vault_runs_on_a_worker_and_says_the_answer(
    qtbot: Any, window: MainWindow, messages: Any
) -> None:
    action = next(a for a in window.menuBar().actions()[0].menu().actions()
                  if a.text() == "&Check Vault…")
    action.trigger()
    assert window.ctx.runner.busy  # the window is not frozen while the file is read
    qtbot.waitUntil(lambda: not window.ctx.runner.busy, timeout=20_000)
    [(kind, _title, text)] = messages.shown
    assert kind == "information" and "sound" in text
