"""The audit side of exports and printing: the event, never what was exported.

Rendering lives above the data layer (``groupleader.report``); it calls these once the
file is written or the pages are sent to the printer. Exporting and printing only read
the vault, so their events wait in memory and are written with the next real write
(`Vault.audit_later`): an export leaves the vault byte-for-byte unchanged, and works on a
vault opened read-only.
"""

from __future__ import annotations

from groupleader.data.operations.base import Done
from groupleader.data.vault import Vault

EXPORT, PRINT = "export.pdf", "print.pdf"


def record_export(
    vault: Vault, action: str, record_type: str, *record_ids: int | None
) -> Done[None]:
    """One event per exported or printed record (the action and the record's id)."""
    vault.audit_later(action, record_type, record_ids)
    return Done(None)
