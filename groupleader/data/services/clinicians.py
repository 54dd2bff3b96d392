"""Clinicians: leaders, co-leaders and supervisors."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from groupleader.data.models import Addendum, Clinician, ClinicianRole, Signature
from groupleader.data.services._common import choice, clinician_snap, fetch, text
from groupleader.data.snapshots import ClinicianSnap, ClinicianSpec
from groupleader.errors import InvalidInput

SIGNED_PROFILE = (
    "This profile has signed notes, and a signature keeps the name it was made with. "
    "To sign under another name, add a new profile."
)


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
    """Change a profile; its name, credentials and role stay as they are once it has
    signed or co-signed anything (each signature covers them as printed)."""
    c = fetch(db, Clinician, clinician_id, "clinician_id")
    before = (c.name, c.credentials, c.role)
    _apply(c, spec)
    if (c.name, c.credentials, c.role) != before and has_signed(db, clinician_id):
        raise InvalidInput(SIGNED_PROFILE, field="name")
    return clinician_snap(c)


def has_signed(db: Session, clinician_id: int) -> bool:
    """Whether the profile has signed or co-signed any note, or written an addendum or an
    amendment (each covers its author as printed)."""
    if db.scalar(select(Addendum.id).where(Addendum.clinician_id == clinician_id)
                 .limit(1)) is not None:
        return True
    return db.scalar(select(Signature.id).where(or_(
        Signature.signed_by_id == clinician_id, Signature.cosigned_by_id == clinician_id
    )).limit(1)) is not None


def get_clinician(db: Session, clinician_id: int) -> ClinicianSnap:
    return clinician_snap(fetch(db, Clinician, clinician_id, "clinician_id"))


def list_clinicians(db: Session, role: str | None = None) -> list[ClinicianSnap]:
    query = select(Clinician).order_by(Clinician.name, Clinician.id)
    if role is not None:
        query = query.where(Clinician.role == role)
    return [clinician_snap(c) for c in db.scalars(query)]
