"""Clinicians: leaders, co-leaders and supervisors."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from groupleader.data.models import Clinician, ClinicianRole
from groupleader.data.services._common import choice, clinician_snap, fetch, text
from groupleader.data.snapshots import ClinicianSnap, ClinicianSpec


def _apply(c: Clinician, spec: ClinicianSpec) -> None:
    c.name = text(spec.name, "name", "a name", required=True)
    c.credentials = text(spec.credentials, "credentials", "the credentials")
    c.role = choice(spec.role, ClinicianRole, "role")


def create_clinician(db: Session, spec: ClinicianSpec) -> ClinicianSnap:
    c = Clinician()
    _apply(c, spec)
    db.add(c)
    db.flush()
    return clinician_snap(c)


def update_clinician(db: Session, clinician_id: int, spec: ClinicianSpec) -> ClinicianSnap:
    c = fetch(db, Clinician, clinician_id, "clinician_id")
    _apply(c, spec)
    return clinician_snap(c)


def get_clinician(db: Session, clinician_id: int) -> ClinicianSnap:
    return clinician_snap(fetch(db, Clinician, clinician_id, "clinician_id"))


def list_clinicians(db: Session, role: str | None = None) -> list[ClinicianSnap]:
    query = select(Clinician).order_by(Clinician.name, Clinician.id)
    if role is not None:
        query = query.where(Clinician.role == role)
    return [clinician_snap(c) for c in db.scalars(query)]
