"""PySide6's scan of each imported module (does it use PySide6?) gets the same answers
from one read of the file as from PySide6's own `inspect.getsource`."""

from __future__ import annotations

import inspect
import json
import sys

import groupleader.cli
import groupleader.ui.main_window
import groupleader.ui.sessions.view  # a module of the window to ask about


def pysides_own(module: object) -> bool:
    """PySide6's rule: the module's source mentions PySide6; no source, no."""
    try:
        return "PySide6" in inspect.getsource(module)  # type: ignore[arg-type]
    except (TypeError, OSError, SyntaxError):
        return False


def test_the_window_installs_the_faster_scan_and_it_answers_as_pysides_own() -> None:
    feature = sys.modules["shibokensupport.feature"]
    uses_pyside = feature._mod_uses_pyside
    assert getattr(uses_pyside, "reads_bytes", False)  # installed by importing the window
    modules = [m for name, m in sorted(sys.modules.items())
               if name.startswith("groupleader") and getattr(m, "__file__", None)]
    assert len(modules) > 20
    for module in [*modules, json]:
        assert uses_pyside(module) == pysides_own(module), module
    assert uses_pyside(groupleader.ui.main_window) and not uses_pyside(groupleader.cli)
    assert uses_pyside(sys) is False  # a built-in module: PySide6's own check answers
