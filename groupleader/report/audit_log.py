"""Every export and print is an audit event: the action and the record's id, nothing else.

The services offer no export function, so this writes the event the way a service would
(one unit of work, `audit.record`). Never a name, a title or a path in it.
"""

from __future__ import annotations

from groupleader.data import audit
from groupleader.data.vault import Vault

EXPORT, PRINT = "export.pdf", "print.pdf"


def record(vault: Vault, action: str, record_type: str, record_id: int | None) -> None:
    with vault.unit_of_work() as db:
        audit.record(db, action, record_type, record_id)
