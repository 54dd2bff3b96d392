"""Starting the window reads its few options without building every command's parser,
and agrees with the whole parser on what they mean."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from groupleader import cli

ROOT = Path(__file__).resolve().parents[2]
WINDOW_ARGS = [
    [],
    ["--demo"],
    ["--vault", "records.vault"],
    ["--vault=records.vault"],
    ["--vault", "a folder/records.vault", "--demo"],
    ["--demo", "--vault=x.vault", "--vault", "y.vault"],  # the last one wins, as in argparse
]


@pytest.mark.parametrize("argv", WINDOW_ARGS)
def test_a_window_start_means_what_the_whole_parser_says(argv: list[str]) -> None:
    quick = cli.window_start(argv)
    full = cli.build_parser().parse_args(argv)
    assert quick is not None
    assert (quick.vault_path, quick.demo, quick.handler) == (
        full.vault_path, full.demo, full.handler)


@pytest.mark.parametrize("argv", [
    ["verify", "x.vault"], ["--help"], ["-h"], ["--version"], ["--vault"],
    ["--vault", "--demo"], ["--vaults", "x"], ["export", "--vault", "x"], ["x.vault"],
])
def test_anything_else_goes_to_the_whole_parser(argv: list[str]) -> None:
    assert cli.window_start(argv) is None


def test_the_window_starts_without_building_the_command_parsers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[argparse.Namespace] = []

    def no_parser() -> argparse.ArgumentParser:
        raise AssertionError("the command parsers were built")

    monkeypatch.setattr(cli, "build_parser", no_parser)
    monkeypatch.setattr(cli, "cmd_gui", lambda args: started.append(args) or 0)
    assert cli.main(["--vault", "records.vault"]) == 0
    assert [a.vault_path for a in started] == ["records.vault"]


def test_a_command_still_gets_the_whole_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["--version"])
    assert stop.value.code == 0
    assert "groupleader" in capsys.readouterr().out


PROBE = """
import sys
import groupleader.cli
import groupleader.ui.app as app_module
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
real = app_module.create_main_window
def create(*args, **kwargs):
    window = real(*args, **kwargs)
    def shown():
        heavy = ("sqlalchemy", "alembic", "reportlab", "sqlcipher3", "groupleader.cli_export",
                 "groupleader.cli_roster", "groupleader.cli_demo", "groupleader.data.vault")
        print("LOADED", *[m for m in heavy if m in sys.modules], flush=True)
        from PySide6 import QtCore, QtWidgets  # PySide6 builds a type when first used
        costly = [n for n in ("Qt",) if n in vars(QtCore)] + [
            n for n in ("QMessageBox", "QHeaderView", "QTableWidget") if n in vars(QtWidgets)]
        print("QTYPES", *costly, flush=True)
        QApplication.quit()
    QTimer.singleShot(0, shown)
    return window
app_module.create_main_window = create
sys.exit(groupleader.cli.main(["--vault", sys.argv[1]]))
"""


def test_nothing_heavy_is_imported_before_the_first_window(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               PYTHONPATH=str(ROOT))
    run = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "none.vault")],
                         capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    lines = [line for line in run.stdout.splitlines() if line.startswith("LOADED")]
    assert lines == ["LOADED"], (lines, run.stderr[-2000:])
    # Nor the Qt types that cost most to build (the `Qt` namespace's ~90 enums alone
    # cost about a fifth of a bare window's start): they come when first used.
    types = [line for line in run.stdout.splitlines() if line.startswith("QTYPES")]
    assert types == ["QTYPES"], (types, run.stderr[-2000:])
