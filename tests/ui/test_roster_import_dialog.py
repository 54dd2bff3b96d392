"""The import preview's table model and its "problems only" filter under Qt's model checks.

(The dialog's whole import, from preview to roster, is in test_roster_view.py.)
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from groupleader.data.vault import Vault
from groupleader.ui.context import AppContext
from groupleader.ui.roster.import_dialog import ImportDialog, PreviewModel, _ProblemsOnly
from groupleader.ui.settings import Settings
from tests.ui.test_roster_model import HEBREW, make_roster

CSV = ("Name;Preferred name;Status;DOB\n"
       "New Person;;waitlist;\n"
       "Bad Date;;active;32.01.2000\n"
       "Ada Lovelace;Ada;active;10.12.1990\n"  # already in the vault
       f"Miriam Cohen;{HEBREW};active;\n"
       ";;;\n")  # an empty line, ignored


def open_dialog(qtbot: QtBot, vault: Vault, tmp_path: Path) -> ImportDialog:
    roster = make_roster(vault)
    f = tmp_path / "in.csv"
    f.write_text(CSV, encoding="utf-8-sig")
    ctx = AppContext(Settings(path=vault.path.with_name("settings.ini")))
    ctx.vault = vault
    dialog = ImportDialog(ctx, roster.group_id, f)
    qtbot.addWidget(dialog)
    return dialog


def test_the_preview_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, vault: Vault, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, vault, tmp_path)
    model: PreviewModel = dialog.model
    qtmodeltester.check(model)  # Qt's checks run again when the file has been read
    qtbot.waitUntil(lambda: dialog.parsed is not None, timeout=10_000)
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["2", "3", "4", "5"]
    assert model.index(1, 1).data() == "Bad Date · active · 32.01.2000"
    assert model.index(2, 2).data().startswith("Already in the vault as Ada Lovelace")
    marked = [isinstance(model.index(r, 0).data(Qt.ItemDataRole.BackgroundRole), QBrush)
              for r in range(4)]
    assert marked == [False, True, True, False]  # the bad row and Ada


def test_the_problems_only_filter_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, vault: Vault, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, vault, tmp_path)
    qtbot.waitUntil(lambda: dialog.parsed is not None, timeout=10_000)
    proxy: _ProblemsOnly = dialog.proxy
    qtmodeltester.check(proxy)  # Qt's checks run again on every change below
    assert proxy.rowCount() == 4
    dialog.problems_only.setChecked(True)  # rows filtered out
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["3", "4"]
    dialog.problems_only.setChecked(False)  # and back
    assert proxy.rowCount() == 4
