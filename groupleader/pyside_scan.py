"""PySide6 reads the source of every module imported after it, to learn whether the
module uses PySide6 (for its opt-in `__feature__` switches, which this program does not
use): `shibokensupport.feature._mod_uses_pyside` asks `inspect.getsource`, which goes
through linecache and the tokenizer for each one. The window imports about 45 modules
before its first paint, and that scan was 10 ms of the start.

`speed_up` gives PySide6 the same answer (does the file's text contain "PySide6"?) from
one read of the file's bytes, and keeps PySide6's own check for anything that is not a
plain .py file. Where a PySide6 version has no such function, nothing is changed.
"""

from __future__ import annotations

import sys
from types import ModuleType


def speed_up() -> None:
    """Install the faster check (once), before the window's modules are imported."""
    import shiboken6  # noqa: F401 - loads shibokensupport, PySide6's support package

    feature = sys.modules.get("shibokensupport.feature")
    slow = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or slow is None or getattr(slow, "reads_bytes", False):
        return

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return bool(slow(module))

    uses_pyside.reads_bytes = True  # type: ignore[attr-defined]
    setattr(feature, "_mod_uses_pyside", uses_pyside)  # noqa: B010 - a private name
