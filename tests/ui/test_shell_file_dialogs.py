"""Save dialogs start in the user's documents folder, not the working folder, and each
kind of file remembers its own last folder (the folder only), across a restart too."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog

from groupleader.data.vault import Vault
from groupleader.ui import file_dialogs
from groupleader.ui.export_dialog import ExportDialog
from groupleader.ui.main_window import MainWindow
from groupleader.ui.settings import Settings
from tests.conftest import PASSPHRASE, open_vault
from tests.ui.sessions_support import build
from tests.ui.shell_support import unlocked_window

MakeWindow = Callable[..., MainWindow]


class Chooser:
    """QFileDialog's static choosers, patched: each records where it opened and answers
    with the next queued name."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.starts: list[Path] = []
        self.answers: list[Path] = []
        for name in ("getSaveFileName", "getOpenFileName"):
            monkeypatch.setattr(QFileDialog, name, staticmethod(self._file))
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(self._folder))

    def _file(self, _parent: Any, _title: str, start: str = "", *_a: Any) -> tuple[str, str]:
        self.starts.append(Path(start))
        return str(self.answers.pop(0)), ""

    def _folder(self, _parent: Any, _title: str, start: str = "", *_a: Any) -> str:
        self.starts.append(Path(start))
        return str(self.answers.pop(0))


def test_save_dialogs_start_in_documents_and_remember_each_kinds_folder(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, tmp_path: Path,
    settings: Settings, monkeypatch: pytest.MonkeyPatch,
) -> None:
    documents = Path(os.environ["HOME"]) / "Documents"  # the tests' own home folder
    documents.mkdir(parents=True)
    work = tmp_path / "started-here"  # the program's working folder: never offered
    work.mkdir()
    monkeypatch.chdir(work)
    vault: Vault = open_vault(vault_file, PASSPHRASE)
    world = build(vault)
    vault.close()
    window = unlocked_window(qtbot, make_window, vault_file)
    window.workspace.sidebar.select_group(world.group_id)
    roster = window.workspace.roster_view
    chooser = Chooser(monkeypatch)
    csvs, pdfs = tmp_path / "exports" / "csv", tmp_path / "exports" / "pdf"
    csvs.mkdir(parents=True)
    pdfs.mkdir(parents=True)

    chooser.answers.append(csvs / "roster.csv")
    roster.export_csv()
    assert chooser.starts[-1].parent == documents  # first time: the documents folder
    assert chooser.starts[-1].name.startswith("roster-")  # with the suggested name
    assert (csvs / "roster.csv").exists()
    chooser.answers.append(csvs / "roster-2.csv")
    roster.export_csv()
    assert chooser.starts[-1].parent == csvs  # the CSV's own last folder

    dialog = ExportDialog(window.ctx, world.group_id, world.meeting_id, window)
    qtbot.addWidget(dialog)
    dialog.refresh_preview()
    chooser.answers.append(pdfs / "session.pdf")
    assert dialog.save() is not None
    assert chooser.starts[-1].parent == documents  # a PDF is another kind: not the CSVs'
    dialog.close()

    # Restart: a new window over the same settings file remembers both, apart.
    window.close()
    again = Settings(path=Path(settings.qsettings.fileName()))
    assert file_dialogs.start_folder(again, file_dialogs.PDF) == pdfs
    assert file_dialogs.start_folder(again, file_dialogs.CSV_EXPORT) == csvs
    stored = Path(settings.qsettings.fileName()).read_text("utf-8")
    for name in ("session.pdf", "roster.csv", "roster-2.csv"):  # folders, never names
        assert name not in stored
    # A remembered folder that is gone (an unplugged stick): the documents folder again.
    pdfs.rename(tmp_path / "elsewhere")
    assert file_dialogs.start_folder(again, file_dialogs.PDF) == documents
    assert all(work not in (s, *s.parents) for s in chooser.starts)


def test_the_backup_chooser_starts_in_the_backup_folder_then_where_one_was_chosen(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, tmp_path: Path,
    settings: Settings, monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = unlocked_window(qtbot, make_window, vault_file)
    chooser = Chooser(monkeypatch)
    stick = tmp_path / "stick"
    stick.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: ("", "")))  # cancel the second step
    chooser.answers.append(stick / "some-backup.vault")
    window.restore_from_backup()
    assert chooser.starts[-1] == Path(settings.backup_folder)
    chooser.answers.append(stick / "some-backup.vault")
    window.restore_from_backup()
    assert chooser.starts[-1] == stick


def test_every_chooser_of_the_window_goes_through_file_dialogs() -> None:
    import groupleader.ui

    root = Path(groupleader.ui.__file__).parent
    direct = [str(p.relative_to(root)) for p in root.rglob("*.py")
              if p.name != "file_dialogs.py" and "QFileDialog" in p.read_text("utf-8")]
    assert direct == []
