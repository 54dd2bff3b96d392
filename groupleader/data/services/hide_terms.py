"""General terms to hide: words or phrases (a workplace, a family name) that every
de-identified export and the screen-share safe display remove, for the whole vault."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from groupleader.data.models import HideTerm
from groupleader.errors import InvalidInput
from groupleader.folding import fold

LIMIT = 200


def clean_term(value: object) -> str:
    """One term as stored: one line, spaces collapsed; InvalidInput for what cannot be one."""
    if not isinstance(value, str):
        raise InvalidInput("Enter the word to hide as text.", "term")
    term = " ".join(value.split())
    if len(fold(term).strip(" '-.")) < 2:
        raise InvalidInput("Enter a word to hide of two letters or more.", "term")
    if len(term) > LIMIT:
        raise InvalidInput(f"Shorten the word to hide to {LIMIT} characters or fewer.", "term")
    return term


def list_terms(db: Session) -> list[tuple[int, str]]:
    """(id, term) for every term to hide, in the order they were added."""
    return [(t.id, t.term) for t in db.scalars(select(HideTerm).order_by(HideTerm.id))]


def add_term(db: Session, value: str) -> int | None:
    """Add a term; None (nothing written) when the vault already hides the same folded form."""
    term = clean_term(value)
    folded = fold(term)
    if any(fold(t) == folded for _, t in list_terms(db)):
        return None
    row = HideTerm(term=term)
    db.add(row)
    db.flush()
    return row.id


def remove_term(db: Session, term_id: int) -> bool:
    row = db.get(HideTerm, term_id) if isinstance(term_id, int) else None
    if row is None:
        return False
    db.delete(row)
    db.flush()
    return True
