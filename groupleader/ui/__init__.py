"""The window. Importing it first makes PySide6's per-module scan cheap (`pyside_scan`)."""

from groupleader import pyside_scan

pyside_scan.speed_up()
