"""Operations on groups and the clinician profiles."""

from __future__ import annotations

from groupleader.data.operations.base import Changes, Done, unit
from groupleader.data.services import clinicians, groups, pins
from groupleader.data.snapshots import ClinicianSnap, ClinicianSpec, GroupSnap, GroupSpec
from groupleader.data.vault import Vault


def _group_changed(group_id: int) -> Changes:
    return Changes(groups=frozenset({group_id}), group_records=True)


def create_group(vault: Vault, spec: GroupSpec) -> Done[GroupSnap]:
    with unit(vault) as u:
        g = groups.create_group(u.db, spec)
        u.audit("group.create", "group", g.id)
        return Done(g, _group_changed(g.id))


def update_group(vault: Vault, group_id: int, spec: GroupSpec) -> Done[GroupSnap]:
    with unit(vault) as u:
        g = groups.update_group(u.db, group_id, spec)
        u.audit("group.update", "group", g.id)
        return Done(g, _group_changed(g.id))


def archive_group(vault: Vault, group_id: int, archived: bool = True) -> Done[GroupSnap]:
    with unit(vault) as u:
        g = groups.archive_group(u.db, group_id, archived)
        u.audit("group.archive" if archived else "group.restore", "group", g.id)
        return Done(g, _group_changed(g.id))


def delete_group_if_empty(vault: Vault, group_id: int) -> Done[bool]:
    with unit(vault) as u:
        deleted = groups.delete_group_if_empty(u.db, group_id)
        if deleted:
            u.audit("group.delete", "group", group_id)
        return Done(deleted, _group_changed(group_id) if deleted else Changes())


def create_clinician(vault: Vault, spec: ClinicianSpec) -> Done[ClinicianSnap]:
    with unit(vault) as u:
        c = clinicians.create_clinician(u.db, spec)
        u.audit("clinician.create", "clinician", c.id)
        return Done(c, Changes(clinicians=True))


def update_clinician(vault: Vault, clinician_id: int, spec: ClinicianSpec) -> Done[ClinicianSnap]:
    with unit(vault) as u:
        c = clinicians.update_clinician(u.db, clinician_id, spec)
        u.audit("clinician.update", "clinician", c.id)
        # Leaders' names show in every group's header and sessions.
        return Done(c, Changes(clinicians=True, group_records=True))


def set_signing_pin(
    vault: Vault, clinician_id: int, new_pin: str, *, old_pin: str | None = None
) -> Done[ClinicianSnap]:
    """Set a profile's signing PIN, or change it (then the old PIN is needed).

    A vault opened with the test-only KDF parameter hashes with argon2's cheapest
    parameters (`services.pins`); every other vault with the recommended ones."""
    with unit(vault) as u:
        had = pins.has_pin(u.db, clinician_id)
        pins.set_pin(u.db, clinician_id, new_pin, old_pin=old_pin, where=str(vault.path),
                     cheap=vault._test_kdf_iter is not None)
        u.audit("clinician.pin.change" if had else "clinician.pin.set", "clinician",
                clinician_id)
        return Done(clinicians.get_clinician(u.db, clinician_id), Changes(clinicians=True))
