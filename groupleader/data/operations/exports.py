"""The audit side of exports and printing: the event, never what was exported.

Rendering lives above the data layer (``groupleader.report``); it calls these once the
file is written or the pages are sent to the printer.
"""

from __future__ import annotations

from groupleader.data.operations.base import Done, unit
from groupleader.data.vault import Vault

EXPORT, PRINT = "export.pdf", "print.pdf"


def record_export(
    vault: Vault, action: str, record_type: str, *record_ids: int | None
) -> Done[None]:
    """One event per exported or printed record (the action and the record's id)."""
    with unit(vault) as u:
        u.audit(action, record_type, *record_ids)
        return Done(None)
