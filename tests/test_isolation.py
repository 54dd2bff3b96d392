"""The autouse fixtures of tests/conftest.py: a test's temp and user folders are its own,
in this process, in Qt and in a child process (the CLI and kill tests start some)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import platformdirs
import pytest
from PySide6.QtCore import QDir, QStandardPaths

CHILD = "import tempfile, platformdirs; print(tempfile.gettempdir()); " \
        "print(platformdirs.user_data_dir('groupleader'))"


def test_temp_and_user_folders_are_under_pytests_basetemp(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    base = tmp_path_factory.getbasetemp().resolve()
    with tempfile.NamedTemporaryFile() as f:
        assert Path(f.name).resolve().is_relative_to(base)
    assert Path(QDir.tempPath()).resolve().is_relative_to(base)
    app_data = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    assert Path(app_data).resolve().is_relative_to(base)
    assert Path(platformdirs.user_config_dir("groupleader")).resolve().is_relative_to(base)
    assert Path.home().resolve().is_relative_to(base)
    child = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                           check=True, timeout=60)
    temp, data = child.stdout.splitlines()
    assert Path(temp).resolve().is_relative_to(base)
    assert Path(data).resolve().is_relative_to(base)


def test_each_test_has_its_own_empty_temp_folder(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    temp = Path(tempfile.gettempdir())
    assert temp.parent == tmp_path_factory.getbasetemp() and temp.name.startswith("tmp")
    assert list(temp.iterdir()) == []  # made for this test: nothing of another test's
