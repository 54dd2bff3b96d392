"""Group Leader: offline, encrypted records for the leader of a therapy group."""

import sys

__version__ = "0.1.0"
APP_NAME = "Group Leader"

if "shibokensupport.feature" in sys.modules:  # PySide6 was imported first: see pyside_scan
    from groupleader.pyside_scan import speed_up

    speed_up()
