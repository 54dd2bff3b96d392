"""Clinicians: leaders, co-leaders and supervisors."""

from __future__ import annotations

from sqlalchemy import select

from groupleader.data import audit
from groupleader.data.models import Clinician, ClinicianRole
from groupleader.data.services._common import choice, clinician_snap, fetch, text
from groupleader.data.snapshots import ClinicianSnap, ClinicianSpec
from groupleader.data.vault import Vault


def _apply(c: Clinician, spec: ClinicianSpec) -> None:
    c.name = text(spec.name, "name", "a name", required=True)
    c.credentials = text(spec.credentials, "credentials", "the credentials")
    c.role = choice(spec.role, ClinicianRole, "role")


def create_clinician(vault: Vault, spec: ClinicianSpec) -> ClinicianSnap:
    with vault.unit_of_work() as db:
        c = Clinician()
        _apply(c, spec)
        db.add(c)
        db.flush()
        audit.record(db, "clinician.create", "clinician", c.id)
        return clinician_snap(c)


def update_clinician(vault: Vault, clinician_id: int, spec: ClinicianSpec) -> ClinicianSnap:
    with vault.unit_of_work() as db:
        c = fetch(db, Clinician, clinician_id, "clinician_id")
        _apply(c, spec)
        audit.record(db, "clinician.update", "clinician", c.id)
        return clinician_snap(c)


def get_clinician(vault: Vault, clinician_id: int) -> ClinicianSnap:
    with vault.unit_of_work() as db:
        return clinician_snap(fetch(db, Clinician, clinician_id, "clinician_id"))


def list_clinicians(vault: Vault, role: str | None = None) -> list[ClinicianSnap]:
    with vault.unit_of_work() as db:
        query = select(Clinician).order_by(Clinician.name, Clinician.id)
        if role is not None:
            query = query.where(Clinician.role == role)
        return [clinician_snap(c) for c in db.scalars(query)]
