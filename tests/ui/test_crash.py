"""An unexpected error shows a calm dialog, and stderr gets the type and place, never the text."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QMessageBox

from groupleader.errors import StorageError
from groupleader.ui import crash

SECRET = "Niamh said she sometimes wonders what the point is"


def raised(exc: BaseException) -> tuple[type[BaseException], BaseException, object]:
    try:
        raise exc
    except BaseException:
        return sys.exc_info()  # type: ignore[return-value]


def test_unexpected_error_message_never_reaches_stderr(
    qtbot, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    crash.handle(*raised(ValueError(SECRET)))  # type: ignore[arg-type]
    err = capsys.readouterr().err
    assert "ValueError" in err and "test_crash.py" in err
    assert SECRET not in err
    assert len(shown) == 1 and "ValueError" in shown[0] and SECRET not in shown[0]


def test_user_facing_errors_show_their_own_calm_message(
    qtbot, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    crash.handle(*raised(StorageError()))  # type: ignore[arg-type]
    assert shown == [StorageError().message]
    assert "StorageError" in capsys.readouterr().err
