"""Start the desktop program (replaced by the full shell as it lands)."""

from __future__ import annotations

import sys


def run_gui(vault: str | None = None, demo: bool = False) -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication(sys.argv)
    label = QLabel("Group Leader")
    label.resize(400, 200)
    label.show()
    return app.exec()
