"""Full-text search over notes, with SQLite FTS5 inside the vault.

The index (``note_fts``) is kept in sync by triggers (see migration 0001); its rowid is
``note_id * 4 + kind code`` (1 group, 2 member, 3 private), so private notes are left out
by rowid alone unless the caller asks for them.

User input never reaches FTS5 syntax: the query is cut into words (letters and digits,
as the index's own tokenizer does) and each word is quoted, so quotes, ``*``, ``-``,
``:``, parentheses, AND/OR/NOT and NEAR are all plain text. Every word must match; the
last one also matches as a prefix (so "anx" finds "anxiety" while typing).

Hits come newest note first (highest rowid), not by bm25 rank: a clinician looks for
"when did this last come up", and FTS5 can stream rowid order and stop at the limit,
whereas ranking must score every match (36 ms for a word in 1 note in 5 of a decade's
notes, against 7 ms newest-first; see bench/bench_data.py).
"""

from __future__ import annotations

import re

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from groupleader.data.models import (
    Group,
    Meeting,
    MeetingNote,
    MemberNote,
    NoteKind,
    PrivateNote,
)
from groupleader.data.snapshots import SearchHit
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput

KIND_CODES = {1: NoteKind.GROUP, 2: NoteKind.MEMBER, 3: NoteKind.PRIVATE}
_WORD = re.compile(r"\w+")
_MAX_WORDS = 16
PREFIX_MIN = 3  # a shorter last word is matched whole: "a*" would match half the index

_SQL = text(
    "SELECT rowid, snippet(note_fts, 0, '[', ']', '…', 12) FROM note_fts "
    "WHERE note_fts MATCH :q AND (:private OR rowid % 4 <> 3) ORDER BY rowid DESC LIMIT :limit"
)


def fts_query(query: str) -> str | None:
    """A safe FTS5 query for what the user typed; None if it holds no word at all."""
    words = _WORD.findall(query)[:_MAX_WORDS]
    if not words:
        return None
    parts = [f'"{w}"' for w in words]
    if len(words[-1]) >= PREFIX_MIN:
        parts[-1] += "*"
    return " ".join(parts)


def search(
    vault: Vault, query: str, include_private: bool = False, limit: int = 50
) -> list[SearchHit]:
    """Notes matching every word of `query`, newest first; private notes only if asked."""
    if not isinstance(query, str):
        raise InvalidInput("Enter words to search for.", "query")
    if not 1 <= limit <= 1000:
        raise InvalidInput("Ask for between 1 and 1000 results.", "limit")
    match = fts_query(query)
    if match is None:
        return []
    with vault.unit_of_work() as db:
        rows = db.execute(
            _SQL, {"q": match, "private": include_private, "limit": limit}
        ).all()
        return _hits(db, rows)


def _hits(db: Session, rows: list[tuple[int, str]]) -> list[SearchHit]:
    ids: dict[str, list[int]] = {kind: [] for kind in KIND_CODES.values()}
    for rowid, _ in rows:
        ids[KIND_CODES[rowid % 4]].append(rowid // 4)
    # note (kind, id) -> (meeting id, member id)
    where: dict[tuple[str, int], tuple[int, int | None]] = {}
    for kind, model in ((NoteKind.GROUP, MeetingNote), (NoteKind.PRIVATE, PrivateNote)):
        if ids[kind]:
            for note_id, meeting_id in db.execute(
                select(model.id, model.meeting_id).where(model.id.in_(ids[kind]))
            ):
                where[(kind, note_id)] = (meeting_id, None)
    if ids[NoteKind.MEMBER]:
        for note_id, meeting_id, member_id in db.execute(
            select(MemberNote.id, MemberNote.meeting_id, MemberNote.member_id)
            .where(MemberNote.id.in_(ids[NoteKind.MEMBER]))
        ):
            where[(NoteKind.MEMBER, note_id)] = (meeting_id, member_id)
    meetings = {
        m.id: (m, g)
        for m, g in db.execute(
            select(Meeting, Group).join(Group, Group.id == Meeting.group_id)
            .where(Meeting.id.in_({meeting_id for meeting_id, _ in where.values()}))
        )
    }
    hits = []
    for rowid, snippet in rows:
        kind, note_id = KIND_CODES[rowid % 4], rowid // 4
        if (kind, note_id) not in where:  # an index row without its note: skip, never fail
            continue
        meeting_id, member_id = where[(kind, note_id)]
        meeting, group = meetings[meeting_id]
        hits.append(SearchHit(
            kind=str(kind), note_id=note_id, group_id=group.id, group_name=group.name,
            meeting_id=meeting.id, meeting_number=meeting.number,
            meeting_starts_at=meeting.starts_at, member_id=member_id,
            snippet=" ".join(snippet.split()),
        ))
    return hits
