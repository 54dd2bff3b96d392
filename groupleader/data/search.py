"""Full-text search over notes, with SQLite FTS5 inside the vault.

The index (``note_fts``) is kept in sync by triggers (migrations 0001 and 0002); its rowid
is ``note_id * 4 + kind code`` (1 group, 2 member, 3 private) or ``addendum_id * 4`` for an
addendum, so private notes are left out by rowid alone unless the caller asks for them,
and an addendum of a private note by a look at its signature. An addendum's hit carries
its note's meeting and member, and ``addendum_of`` names its note's kind.

User input never reaches FTS5 syntax: the query is cut into words (letters and digits,
as the index's own tokenizer does: migration 0014 makes it cut at emoji too) and each
word is quoted, so quotes, ``*``, ``-``, ``:``, parentheses, AND/OR/NOT and NEAR are all
plain text. Every word must match; the last one also matches as a prefix (so "anx" finds
"anxiety" while typing).

Hits come newest note first (highest rowid), not by bm25 rank: a clinician looks for
"when did this last come up", and FTS5 can stream rowid order and stop at the limit,
whereas ranking must score every match (36 ms for a word in 1 note in 5 of a decade's
notes, against 7 ms newest-first; see bench/bench_data.py).
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from groupleader.data import unit_cache
from groupleader.data.models import (
    Addendum,
    Group,
    Meeting,
    MeetingNote,
    Member,
    MemberNote,
    NoteKind,
    PrivateNote,
    Signature,
)
from groupleader.data.snapshots import SearchHit
from groupleader.errors import InvalidInput
from groupleader.folding import fold, fold_map

KIND_CODES = {1: NoteKind.GROUP, 2: NoteKind.MEMBER, 3: NoteKind.PRIVATE}
ADDENDUM = "addendum"  # rowid code 0 (migration 0002)
# a word: letters and digits, with the combining accents unicode61 folds away inside it
_WORD = re.compile(r"\w[\w\u0300-\u036f]*")
_MAX_WORDS = 16
PREFIX_MIN = 3  # a shorter last word is matched whole: "a*" would match half the index

# Above this many characters a note's snippet is cut in Python: FTS5's snippet() and
# highlight() slow down with the number of hits in one document (2 s for a word found
# 16,000 times in a pasted megabyte), while a regular note takes well under a millisecond.
LONG_NOTE = 10_000
SNIPPET_CONTEXT = 60  # characters either side of the first match in a long note

# An addendum (code 0) of a private note is as private as the note: its signature says.
_SQL = text(
    "SELECT rowid, CASE WHEN length(body) > :long THEN NULL "
    "ELSE snippet(note_fts, 0, '[', ']', '…', 12) END, "
    "CASE WHEN length(body) > :long THEN body END FROM note_fts "
    "WHERE note_fts MATCH :q AND (:private OR rowid % 4 IN (1, 2) OR (rowid % 4 = 0 "
    "AND NOT EXISTS (SELECT 1 FROM addenda JOIN signatures ON signatures.id = "
    "addenda.signature_id WHERE addenda.id = note_fts.rowid / 4 "
    "AND signatures.private_note_id IS NOT NULL))) "
    "ORDER BY rowid DESC LIMIT :limit"
)


def query_words(query: str) -> list[str]:
    """The words of what the user typed, as the index cuts its text into words. Composed
    first (NFC): a word pasted with its accents apart ("Bjo" + U+0308 + "rk", as macOS
    file names and some PDFs give it) is the one word the index holds."""
    return _WORD.findall(unicodedata.normalize("NFC", query))[:_MAX_WORDS]


def fts_query(query: str) -> str | None:
    """A safe FTS5 query for what the user typed; None if it holds no word at all."""
    words = query_words(query)
    if not words:
        return None
    parts = [f'"{w}"' for w in words]
    if len(words[-1]) >= PREFIX_MIN:
        parts[-1] += "*"
    return " ".join(parts)


def long_snippet(body: str, query: str) -> str:
    """A snippet of a long note around the first of the query's words, marked like FTS5's.

    Words are matched on text folded the way de-identification folds it
    (`groupleader.folding`: case, accents, NFD, apostrophe and hyphen variants), and the
    marks are put around the words as written.
    """
    words = [fold(w) for w in query_words(query)]
    if not words:
        return " ".join(body[: 2 * SNIPPET_CONTEXT].split())
    alts = [re.escape(w) for w in words]
    if len(words[-1]) >= PREFIX_MIN:
        alts[-1] += r"\w*"
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)")
    hay, index = fold_map(body)

    def at_body(i: int) -> int:  # a position in `hay` -> its position in `body`
        if index is None:
            return i
        return index[i] if i < len(index) else len(body)

    def end_at(i: int) -> int:  # the end of a match: after its last letter and its marks
        end = at_body(i - 1) + 1
        while end < len(body) and unicodedata.combining(body[end]):
            end += 1
        return end

    found = [(at_body(m.start()), end_at(m.end())) for m in pattern.finditer(hay)]
    if not found:
        return " ".join(body[: 2 * SNIPPET_CONTEXT].split())
    first_start, first_end = found[0]
    start = max(0, first_start - SNIPPET_CONTEXT)
    end = min(len(body), first_end + SNIPPET_CONTEXT)
    while start > 0 and not body[start - 1].isspace() and first_start - start < 2 * 60:
        start -= 1
    while end < len(body) and not body[end].isspace() and end - first_end < 2 * 60:
        end += 1
    pieces, at = [], start
    for a, b in found:
        if a < start or b > end:
            continue
        pieces += [body[at:a], "[", body[a:b], "]"]
        at = b
    pieces.append(body[at:end])
    return ("…" if start > 0 else "") + " ".join("".join(pieces).split()) + (
        "…" if end < len(body) else "")


def catch_up(db: Session) -> None:
    """Bring every member note's search entry that waits for the end of its editing burst
    up to date (migration 0011: deleting its row re-indexes the note as it is now)."""
    db.connection().exec_driver_sql("DELETE FROM note_fts_behind")


def search(
    db: Session, query: str, include_private: bool = False, limit: int = 50
) -> list[SearchHit]:
    """Notes matching every word of `query`, newest first; private notes only if asked.

    Entries still waiting for the end of an editing burst are caught up first (a write),
    so the latest saved text is found. A read-only vault cannot catch them up (it holds
    such entries only if a program was killed mid-burst): their notes are read as they
    are and matched here instead (`_matched_behind`), and their stale entries left out."""
    if not isinstance(query, str):
        raise InvalidInput("Enter words to search for.", "query")
    if not 1 <= limit <= 1000:
        raise InvalidInput("Ask for between 1 and 1000 results.", "limit")
    match = fts_query(query)
    if match is None:
        return []
    behind: dict[int, str] = {}  # rowid -> the note's text, where its entry waits
    if db.info.get(unit_cache.FTS_BEHIND, True):
        if db.info.get(unit_cache.READ_ONLY):
            behind = {rowid: body for rowid, body in db.execute(_MEMBER_BODY)}
        else:
            catch_up(db)
    rows = db.execute(_SQL, {"q": match, "private": include_private,
                             "limit": limit + len(behind), "long": LONG_NOTE}).all()
    found = [(rowid, snippet if body is None else long_snippet(body, query))
             for rowid, snippet, body in rows if rowid not in behind]
    if behind:
        found = sorted(found + _matched_behind(behind, query), reverse=True)[:limit]
    return _hits(db, found)


_MEMBER_BODY = text(  # a member note's text as its index entry holds it (migration 0011)
    "SELECT id * 4 + 2, participation || ' ' || goals || ' ' || response || ' ' || "
    "risk_followup || ' ' || plan FROM member_notes WHERE id * 4 + 2 IN "
    "(SELECT rowid FROM note_fts_behind)")


def _matched_behind(behind: dict[int, str], query: str) -> list[tuple[int, str]]:
    """Of the member notes whose index entries wait (`behind`: rowid -> text), those
    whose text matches every word of `query` as the index would (folded; the last word
    also as a prefix); (rowid, snippet) like an index hit's."""
    words = [fold(w) for w in query_words(query)]
    patterns = [re.compile(r"(?<!\w)" + re.escape(w) + (
        r"\w*" if i == len(words) - 1 and len(w) >= PREFIX_MIN else r"(?!\w)"))
        for i, w in enumerate(words)]
    return [(rowid, long_snippet(body, query)) for rowid, body in behind.items()
            if all(p.search(fold(body or "")) for p in patterns)]


def _parents(db: Session, addendum_ids: list[int]) -> dict[int, tuple[str, int]]:
    """Addendum id -> (kind, id) of the note it was added to."""
    if not addendum_ids:
        return {}
    parents = {}
    for addendum_id, group_note, member_note, private_note in db.execute(
        select(Addendum.id, Signature.meeting_note_id, Signature.member_note_id,
               Signature.private_note_id)
        .join(Signature, Signature.id == Addendum.signature_id)
        .where(Addendum.id.in_(addendum_ids))
    ):
        for kind, note_id in ((NoteKind.GROUP, group_note), (NoteKind.MEMBER, member_note),
                              (NoteKind.PRIVATE, private_note)):
            if note_id is not None:
                parents[addendum_id] = (str(kind), note_id)
    return parents


def _hits(db: Session, rows: list[tuple[int, str]]) -> list[SearchHit]:
    found = [(KIND_CODES.get(rowid % 4, ADDENDUM), rowid // 4, snippet) for rowid, snippet in rows]
    parents = _parents(db, [i for kind, i, _ in found if kind == ADDENDUM])
    ids: dict[str, set[int]] = {kind: set() for kind in KIND_CODES.values()}
    for kind, note_id, _ in found:
        if kind != ADDENDUM:
            ids[kind].add(note_id)
    for kind, note_id in parents.values():
        ids[kind].add(note_id)
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
    member_ids = {member_id for _, member_id in where.values() if member_id is not None}
    names = {
        member_id: preferred or full
        for member_id, preferred, full in db.execute(
            select(Member.id, Member.preferred_name, Member.full_name)
            .where(Member.id.in_(member_ids))
        )
    } if member_ids else {}
    hits = []
    for kind, hit_id, snippet in found:
        addendum_of = None
        note = (kind, hit_id)
        if kind == ADDENDUM:
            if hit_id not in parents:
                continue
            note = parents[hit_id]
            addendum_of = note[0]
        if note not in where:  # an index row without its note: skip, never fail
            continue
        meeting_id, note_member_id = where[note]
        meeting, group = meetings[meeting_id]
        hits.append(SearchHit(
            kind=str(kind), note_id=hit_id, group_id=group.id, group_name=group.name,
            meeting_id=meeting.id, meeting_number=meeting.number,
            meeting_starts_at=meeting.starts_at, member_id=note_member_id,
            member_name=names.get(note_member_id) if note_member_id is not None else None,
            addendum_of=addendum_of, snippet=" ".join(snippet.split()),
        ))
    return hits
