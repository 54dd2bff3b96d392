"""Guard: PySide6 6.12.0 on Python 3.11 leaks a reference to None in every void binding call.

After about 5,000 calls the process aborts ("Fatal Python error: none_dealloc"), so the
dependency pin in pyproject.toml keeps 6.12 away on 3.11. This test fails if a build
with that defect is ever installed.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_calls_do_not_drain_none_refcount(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for i in range(10_000):
        label.setText(str(i))
    after = sys.getrefcount(None)
    assert after >= before - 100, f"None refcount fell from {before} to {after}"
    assert label.text() == "9999"
