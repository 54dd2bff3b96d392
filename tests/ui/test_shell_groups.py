"""The groups sidebar and the group form: create, edit, archive/restore, show archived,
validation shown beside the field, and names kept exactly as typed."""


from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.modeltest import ModelTester

from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import query
from groupleader.data.services import groups
from groupleader.data.snapshots import ClinicianSpec, GroupSpec
from groupleader.data.vault import Vault
from groupleader.ui import groups as groups_ui
from groupleader.ui.context import AppContext
from groupleader.ui.groups import ClinicianDialog, GroupFormDialog, GroupListModel
from groupleader.ui.main_window import MainWindow
from groupleader.ui.settings import Settings
from tests.ui.shell_support import unlocked_window

MakeWindow = Callable[..., MainWindow]
ODD_NAME = "<b>Tuesday & co</b> 🙂 שלום"


@pytest.fixture
def window(qtbot: Any, make_window: MakeWindow, vault_file: Path) -> MainWindow:
    w = unlocked_window(qtbot, make_window, vault_file)
    vault = w.ctx.vault
    assert vault is not None
    w.ctx.clinician_id = ops_groups.create_clinician(
        vault, ClinicianSpec(name="Dr Rivera", role="leader", credentials="PhD")).value.id
    return w


def _answer_form(
    monkeypatch: pytest.MonkeyPatch, fill: Callable[[GroupFormDialog], None]
) -> list[GroupFormDialog]:
    """Patch the modal exec(): fill the form, press Save, report what the dialog said."""
    seen: list[GroupFormDialog] = []

    def exec_(dialog: GroupFormDialog) -> int:
        seen.append(dialog)
        fill(dialog)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(GroupFormDialog, "exec", exec_)
    return seen


def _names(window: MainWindow) -> list[str]:
    model = window.workspace.sidebar.model
    return [model.data(model.index(r, 0)) for r in range(model.rowCount())]


def test_create_a_group_through_the_dialog(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(d: GroupFormDialog) -> None:
        assert d.target_size.value() == 7 and d.max_size.value() == 10
        assert d.leader1.currentData() == window.ctx.clinician_id  # the profile by default
        d.name.setText(ODD_NAME)
        d.kind.setCurrentIndex(d.kind.findData("psychodynamic"))
        d.format.setCurrentIndex(d.format.findData("fixed"))
        d.sessions.setValue(12)
        d.weekday.setCurrentIndex(2)  # Tuesday
        d.room.setText("Room 4")
        d.agreement.setPlainText("What is said here stays here.")

    _answer_form(monkeypatch, fill)
    assert window.workspace.empty.isVisible()
    window.workspace.empty.button.click()

    assert _names(window) == [ODD_NAME]  # shown literally
    gid = window.workspace.sidebar.current_id()
    assert window.ctx.current_group_id == gid
    assert window.workspace.right.currentWidget() is window.workspace.tabs
    g = query(window.ctx.vault, groups.get_group, gid)
    assert (g.name, g.kind, g.format, g.sessions_per_cycle, g.weekday, g.room) == (
        ODD_NAME, "psychodynamic", "fixed", 12, 1, "Room 4")
    assert [c.name for c in g.leaders] == ["Dr Rivera"]


def test_validation_is_shown_beside_the_field_and_nothing_is_saved(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(d: GroupFormDialog) -> None:
        d.name.setText("   ")

    seen = _answer_form(monkeypatch, fill)
    window.workspace.sidebar.new_group()
    dialog = seen[0]
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.errors["name"].text() == "Enter a name for the group."
    assert not dialog.errors["name"].isHidden()
    assert dialog.errors["target_size"].isHidden()
    assert query(window.ctx.vault, groups.list_groups, include_archived=True) == []

    dialog.name.setText("Sizes wrong")
    dialog.target_size.setValue(12)  # above the maximum of 10
    dialog.accept()
    assert "minimum ≤ target ≤ maximum" in dialog.errors["target_size"].text()
    assert dialog.errors["name"].isHidden()
    assert query(window.ctx.vault, groups.list_groups, include_archived=True) == []


def test_a_led_group_needs_a_leader_and_one_can_be_added_from_the_form(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = GroupFormDialog(window.ctx, None, window)
    dialog.name.setText("Needs a leader")
    dialog.leader1.setCurrentIndex(0)  # nobody
    dialog.accept()
    assert "leader" in dialog.errors["leader_ids"].text()

    def add(d: ClinicianDialog) -> int:
        d.name.setText("Sam Co")
        d.role.setCurrentIndex(d.role.findData("co_leader"))
        d.accept()
        return d.result()

    monkeypatch.setattr(ClinicianDialog, "exec", add)
    dialog.add_clinician.click()
    assert dialog.leader1.currentText() == "Sam Co"
    dialog.leader2.setCurrentIndex(dialog.leader2.findText("Dr Rivera, PhD"))
    dialog.accept()
    assert dialog.saved is not None
    assert [c.name for c in dialog.saved.leaders] == ["Sam Co", "Dr Rivera"]


def test_edit_a_group(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    _answer_form(monkeypatch, lambda d: d.name.setText("Old name"))
    window.workspace.sidebar.new_group()

    def rename(d: GroupFormDialog) -> None:
        assert d.name.text() == "Old name" and d.windowTitle() == "Edit group"
        d.name.setText("New name")
        d.max_size.setValue(9)

    _answer_form(monkeypatch, rename)
    window.workspace.sidebar.edit_button.click()
    assert _names(window) == ["New name"]
    gid = window.workspace.sidebar.current_id()
    assert query(window.ctx.vault, groups.get_group, gid).max_size == 9


def test_archive_hides_the_group_and_show_archived_brings_it_back(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("Alpha", "Beta"):
        _answer_form(monkeypatch, lambda d, name=name: d.name.setText(name))
        window.workspace.sidebar.new_group()
    sidebar = window.workspace.sidebar
    assert sidebar.select_group(query(window.ctx.vault, groups.list_groups)[0].id)
    sidebar.archive_button.click()
    assert _names(window) == ["Beta"]
    assert window.ctx.current_group_id == sidebar.current_id()

    sidebar.show_archived.setChecked(True)
    assert _names(window) == ["Alpha (archived)", "Beta"]
    sidebar.view.setCurrentIndex(sidebar.model.index(0, 0))
    assert sidebar.archive_button.text() == "Restore"
    font = sidebar.model.data(sidebar.model.index(0, 0), Qt.ItemDataRole.FontRole)
    assert font.italic()
    sidebar.archive_button.click()
    assert _names(window) == ["Alpha", "Beta"]
    assert not any(g.archived for g in query(window.ctx.vault, groups.list_groups))


def test_no_group_shows_the_empty_state_with_a_create_button(window: MainWindow) -> None:
    ws = window.workspace
    assert ws.right.currentWidget() is ws.empty
    assert ws.empty.title.text() == "Create your first group"
    assert ws.empty.button is not None and ws.empty.button.isEnabled()
    assert not ws.sidebar.edit_button.isEnabled()


def test_kinds_cover_the_data_model() -> None:
    from groupleader.data.models import ClinicianRole, GroupKind

    assert {k for k, _ in groups_ui.KINDS} == {str(k) for k in GroupKind}
    assert {k for k, _ in groups_ui.ROLES} == {str(r) for r in ClinicianRole}


def test_the_group_list_model_passes_the_model_tester(
    qtbot: Any, qtmodeltester: ModelTester, vault: Vault
) -> None:
    lead = ops_groups.create_clinician(vault, ClinicianSpec(name="Dr Rivera", role="leader")).value
    made = {name: ops_groups.create_group(vault, GroupSpec(name, "psychodynamic", (lead.id,))).value
            for name in (ODD_NAME, "Beta", "Gamma")}
    ctx = AppContext(Settings(path=vault.path.with_name("settings.ini")))
    ctx.vault = vault
    sidebar = groups_ui.GroupsSidebar(ctx)
    sidebar.group_selected.connect(lambda gid: setattr(ctx, "current_group_id", gid))
    qtbot.addWidget(sidebar)
    model: GroupListModel = sidebar.model
    qtmodeltester.check(model)  # Qt's checks run again on every change below
    sidebar.refresh()
    assert model.rowCount() == 3
    assert sidebar.select_group(made["Beta"].id)
    sidebar.toggle_archive()  # archived: the list is reset without it
    assert model.rowCount() == 2
    sidebar.show_archived.setChecked(True)  # back, in italics
    archived = [model.data(model.index(r, 0)) for r in range(3)].index("Beta (archived)")
    assert model.data(model.index(archived, 0), Qt.ItemDataRole.FontRole).italic()
    sidebar.clear()  # lock: no group names left
    assert model.rowCount() == 0
