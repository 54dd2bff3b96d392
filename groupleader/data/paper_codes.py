"""Verification codes for paper: what a printed summary or extract shows, as 16 characters.

Every exported session summary and member extract prints one code on each page
("Verify: 7KQ2-M9XD-4FHT-PW3C"). The code is derived from the record, and nothing is
stored when it is printed (an export only reads the vault), so checking a code means
collecting the same document's content from the vault again:

* The **scope** (7 characters) names the document: a session summary is its session
  (with or without process notes), a member extract is its member, group and the first
  and last member note it shows. The scope also takes the creation time of that session
  or member.
* The **content** (8 characters) is a keyed hash of the digests of what it shows
  (`groupleader.data.digests`): for each signed note its signature digest, for each
  co-signature its co-signature digest, for each addendum (or amendment) its digest, and
  for a draft note the digest of its row as it is.
* Both parts are HMAC-SHA256 under a key derived from the vault's own secret
  (`code_key`), so a code from another vault, even one built with the same data at the
  same moments, matches nothing here, and nobody without the passphrase can make one.
* One **check character** (weighted sum modulo 31): any one mistyped character, and any
  two neighbours swapped, are told apart from a real code.

The alphabet has no 0, O, 1, I or L (31 characters, so the check is modulo a prime).
To tell what was added since a paper was printed, `check_code` computes the content as
it was just before each later event of that document (a signature, a co-signature, an
addendum, a note written): a paper printed before an addendum matches the record without
it. This module reads through ``text()`` SQL on an open ``Session`` and writes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, text
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import Session

from groupleader.data import digests

VERSION = "groupleader-paper-v2"
# The code key: HMAC-SHA256(the vault's audit secret, this label). Only the vault's own
# secret makes its codes, so a code from another vault matches nothing here and nobody
# without the passphrase can make a valid one.
KEY_LABEL = b"groupleader-paper-code-v1"
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31: no 0, O, 1, I, L
SCOPE_LEN, CONTENT_LEN = 7, 8
LENGTH = SCOPE_LEN + CONTENT_LEN + 1
CODE_RE = re.compile(r"Verify:\s*((?:[" + ALPHABET + r"]{4}-){3}[" + ALPHABET + r"]{4})")
NEVER_USED = "0O1IL"

# outcomes of a check
MATCH, ADDED, CHANGED, UNKNOWN, TYPO = "match", "added", "changed", "unknown", "typo"


# ---------------------------------------------------------------- the characters


def _chars(value: int, n: int) -> str:
    out = []
    for _ in range(n):
        value, rest = divmod(value, len(ALPHABET))
        out.append(ALPHABET[rest])
    return "".join(out)


def code_key(db: Session) -> bytes:
    """The vault's key for paper codes, derived from its audit secret (`vault_secrets`).
    A vault without a secret (one never upgraded) gets an empty key: its codes are
    nobody's and match nothing that a vault with a secret printed."""
    secret = db.execute(text("SELECT value FROM vault_secrets WHERE name = :n"),
                        {"n": "audit"}).scalar()
    return hmac.new(bytes(secret), KEY_LABEL, hashlib.sha256).digest() if secret else b""


def _mac(key: bytes, data: bytes) -> Any:
    return hmac.new(key, data, hashlib.sha256)


def _hash_chars(key: bytes, obj: Any, n: int) -> str:
    """`n` characters of the HMAC-SHA256 of `obj`'s canonical JSON (`digests.canonical`)."""
    return _digest_chars(_mac(key, digests.canonical(obj)), n)


def _digest_chars(h: Any, n: int) -> str:
    """`n` characters of a hash: its first 8 bytes as a big-endian number, written in
    base 31 lowest digit first (31**8 is far below 2**64, so every character is even)."""
    return _chars(int.from_bytes(h.digest()[:8], "big"), n)


def check_char(body: str) -> str:
    """The check character of `body`: sum of (position + 1) x value, modulo 31."""
    total = sum((i + 1) * ALPHABET.index(c) for i, c in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def pretty(code: str) -> str:
    """'7KQ2-M9XD-4FHT-PW3C': the 16 characters in four groups of four."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalise(typed: str) -> str:
    """What was typed without spaces, dashes and dots, in capitals."""
    return re.sub(r"[\s\-_.·–—]+", "", typed).upper()


def typo_in(typed: str) -> str | None:
    """Why `typed` cannot be a code (one sentence), or None when it may be one."""
    code = normalise(typed)
    if not code:
        return "Type the code printed at the foot of the page (16 characters)."
    odd = sorted({c for c in code if c not in ALPHABET})
    if odd:
        shown = ", ".join(odd)
        hint = (" These codes never use 0, O, 1, I or L; look again at that character."
                if any(c in NEVER_USED for c in odd) else "")
        return f"The code holds a character codes never have ({shown}).{hint}"
    if len(code) != LENGTH:
        return (f"The code has {len(code)} characters; a code has {LENGTH} "
                "(four groups of four). Look for a missing or doubled character.")
    if check_char(code[:-1]) != code[-1]:
        return ("This code has a typo: its last character does not fit the others. "
                "Compare it with the paper character by character.")
    return None


# ---------------------------------------------------------------- what a document shows


@dataclass(frozen=True)
class Scope:
    """Which document: a session summary or a member extract."""

    kind: str  # "session" or "extract"
    meeting_id: int | None = None
    include_private: bool = False
    group_id: int | None = None
    member_id: int | None = None
    first_note_id: int | None = None  # member notes (extract): the first and last shown
    last_note_id: int | None = None


def _stamp(value: Any) -> str:
    return digests.stamp(value)


def _name(scope: Scope, anchor: str) -> str:
    """The text that names a document (its scope); `anchor` is when its session or member
    was made, so that another vault's document with the same ids has another name."""
    if scope.kind == "session":
        return f"{VERSION}|session|{scope.meeting_id}|{int(scope.include_private)}|{anchor}"
    return f"{_extract_prefix(scope.group_id, scope.member_id, anchor)}" \
           f"{_extract_range(scope.first_note_id, scope.last_note_id)}"


def _extract_prefix(group_id: int | None, member_id: int | None, anchor: str) -> str:
    return f"{VERSION}|extract|{group_id}|{member_id}|{anchor}"


def _extract_range(first: int | None, last: int | None) -> str:
    return f"|{'-' if first is None else first}|{'-' if last is None else last}"


def _scope_chars(key: bytes, name: str) -> str:
    return _digest_chars(_mac(key, name.encode("utf-8")), SCOPE_LEN)


def _scope_name(db: Session, scope: Scope) -> str | None:
    if scope.kind == "session":
        row = db.execute(text("SELECT created_at FROM meetings WHERE id = :id"),
                         {"id": scope.meeting_id}).first()
    else:
        row = db.execute(text("SELECT created_at FROM members WHERE id = :id"),
                         {"id": scope.member_id}).first()
    return None if row is None else _name(scope, _stamp(row[0]))


@dataclass(frozen=True)
class _Addendum:
    id: int
    created_at: str
    digest: str  # stored (or recomputed when the column is empty)
    now: str | None  # recomputed from the row
    amendment: bool


@dataclass(frozen=True)
class _Signature:
    id: int
    signed_at: str
    digest: str
    now: str | None
    cosigned_at: str | None
    cosign_digest: str | None
    cosign_now: str | None
    addenda: tuple[_Addendum, ...]


@dataclass(frozen=True)
class _Note:
    kind: str
    id: int
    meeting_id: int
    where: str  # "Session 4 (Tue 4 Mar 2025)"
    updated_at: str
    draft_digest: str | None  # None until needed (a signed note)
    signature: _Signature | None

    @property
    def name(self) -> str:
        return {"group": "the group note", "member": f"member note {self.id}",
                "private": "the process note"}[self.kind]


@dataclass(frozen=True)
class _Event:
    at: str
    line: str


def _where(db: Session, meeting_id: int) -> str:
    row = db.execute(text("SELECT number, starts_at FROM meetings WHERE id = :id"),
                     {"id": meeting_id}).first()
    if row is None:
        return f"session {meeting_id}"
    moment = datetime.fromisoformat(_stamp(row.starts_at).replace("Z", "+00:00")).astimezone()
    return f"Session {row.number} ({moment:%a} {moment.day} {moment:%b %Y})"


def _when(stamp: str) -> str:
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    return f"{moment.day} {moment:%b %Y %H:%M}"


def _draft_digest(db: Session, kind: str, note_id: int, facts: dict[int, Any],
                  read: dict[tuple[str, int], dict[str, Any]] | None = None) -> str:
    """The digest of an unsigned note as it is (its row and its session's facts);
    `facts` keeps each session's facts for the other notes of the same document, and
    `read` holds note rows already read (`_session_fields`)."""
    fields = (read or {}).get((kind, note_id))
    if fields is None:
        fields = digests.row_fields(db, digests.NOTE_TABLES[kind], note_id)
    session = None
    if fields is not None:
        meeting_id = int(fields["meeting_id"])
        if meeting_id not in facts:
            facts[meeting_id] = digests.session_facts(db, meeting_id)
        session = facts[meeting_id]
    return digests.digest_of({"version": VERSION, "type": "draft",
                              "note": {"kind": kind, "id": note_id, "fields": fields},
                              "session": session})


def _addenda(db: Session, rows: Sequence[RowMapping], full: bool
             ) -> tuple[_Addendum, ...]:
    out = []
    for r in rows:
        stored = r["digest"]
        now = digests.addendum_digest(db, int(r["id"])) if full or not stored else stored
        # After the session-lock work an addendum may have a kind ("amendment").
        kind = r.get("kind")
        out.append(_Addendum(int(r["id"]), _stamp(r["created_at"]), stored or now or "",
                             now, kind == "amendment"))
    return tuple(out)


@dataclass(frozen=True)
class _Rows:
    """A note's rows that its part of a document is made of."""

    updated_at: Any
    signature: RowMapping | None
    addenda: Sequence[RowMapping]  # of the signature, by id


def _rows_of(db: Session, shown: list[tuple[str, int, int]]) -> dict[tuple[str, int], _Rows]:
    """The rows of every note `shown`: three queries for each kind of note, whatever the
    number of notes (each note's own three were most of printing a code)."""
    out: dict[tuple[str, int], _Rows] = {}
    for kind in dict.fromkeys(k for k, _, _ in shown):
        ids = sorted({n for k, n, _ in shown if k == kind})
        table, column = digests.NOTE_TABLES[kind], digests.SIGNATURE_COLUMNS[kind]
        updated: dict[int, Any] = {}
        signatures: dict[int, RowMapping] = {}
        addenda: dict[int, list[RowMapping]] = {}
        for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
            marks = ", ".join(f":n{i}" for i in range(len(chunk)))
            params = {f"n{i}": n for i, n in enumerate(chunk)}
            updated.update((int(r[0]), r[1]) for r in db.execute(text(
                f'SELECT id, updated_at FROM "{table}" WHERE id IN ({marks})'), params))
            for r in db.execute(text(f"SELECT * FROM signatures WHERE {column} IN ({marks})"),
                                params).mappings():
                signatures[int(r[column])] = r
        sig_ids = sorted(int(r["id"]) for r in signatures.values())
        for chunk in (sig_ids[i:i + 500] for i in range(0, len(sig_ids), 500)):
            marks = ", ".join(f":s{i}" for i in range(len(chunk)))
            for r in db.execute(text(
                    f"SELECT * FROM addenda WHERE signature_id IN ({marks}) ORDER BY id"),
                    {f"s{i}": n for i, n in enumerate(chunk)}).mappings():
                addenda.setdefault(int(r["signature_id"]), []).append(r)
        for n in ids:
            if n not in updated:
                raise NoResultFound(f"no {table} row {n}")
            sig = signatures.get(n)
            out[(kind, n)] = _Rows(updated[n], sig,
                                   addenda.get(int(sig["id"]), []) if sig is not None else [])
    return out


def _session_fields(db: Session, shown: list[tuple[str, int, int]],
                    rows: dict[tuple[str, int], _Rows]) -> dict[tuple[str, int], dict[str, Any]]:
    """The canonical fields of the unsigned notes `shown` of one session: one query for
    each kind of note among them, where reading them note by note took two each (its
    columns, then its row), most of printing a draft session's code."""
    unsigned = [(k, n, m) for k, n, m in shown if rows[(k, n)].signature is None]
    out: dict[tuple[str, int], dict[str, Any]] = {}
    for kind in dict.fromkeys(k for k, _, _ in unsigned):
        wanted = {n for k, n, _ in unsigned if k == kind}
        table = digests.NOTE_TABLES[kind]
        for meeting_id in dict.fromkeys(m for k, _, m in unsigned if k == kind):
            found = digests.session_rows_fields(db, table, meeting_id)
            out.update(((kind, n), f) for n, f in found.items() if n in wanted)
    return out


def _note(db: Session, kind: str, note_id: int, meeting_id: int, where: str, full: bool,
          facts: dict[int, Any], rows: _Rows,
          read: dict[tuple[str, int], dict[str, Any]] | None = None) -> _Note:
    """What the document shows of one note. Printing (`full` False) reads the stored
    digests and computes only what is not stored; a check (`full`) also recomputes every
    digest from the record, to tell a record changed behind the program."""
    updated, sig_row = rows.updated_at, rows.signature
    signature = None
    if sig_row is not None:
        stored, cosign_stored = sig_row["digest"], sig_row["cosign_digest"]
        cosigned = sig_row["cosigned_at"]
        if full or not stored or (cosigned is not None and not cosign_stored):
            sig_now, cosign_now = digests.signature_row_digests(db, int(sig_row["id"]))
        else:
            sig_now, cosign_now = stored, cosign_stored
        signature = _Signature(
            id=int(sig_row["id"]), signed_at=_stamp(sig_row["signed_at"]),
            digest=stored or sig_now or "", now=sig_now,
            cosigned_at=_stamp(cosigned) if cosigned is not None else None,
            cosign_digest=(cosign_stored or cosign_now) if cosigned is not None else None,
            cosign_now=cosign_now, addenda=_addenda(db, rows.addenda, full))
    # A signed note's draft digest is needed only to try the paper as printed before the
    # signature: `_Document.draft` computes it then.
    draft = _draft_digest(db, kind, note_id, facts, read) if signature is None else None
    return _Note(kind, note_id, meeting_id, where, _stamp(updated), draft, signature)


def _shown(db: Session, scope: Scope) -> list[tuple[str, int, int]]:
    """(kind, note id, meeting id) of each note the document shows."""
    if scope.kind == "session":
        out: list[tuple[str, int, int]] = []
        params = {"id": scope.meeting_id}
        for kind in ("group", "member") + (("private",) if scope.include_private else ()):
            table = digests.NOTE_TABLES[kind]
            out += [(kind, int(r[0]), int(r[1])) for r in db.execute(text(
                f'SELECT id, meeting_id FROM "{table}" WHERE meeting_id = :id ORDER BY id'),
                params)]
        return out
    if scope.first_note_id is None or scope.last_note_id is None:
        return []
    notes = _extract_notes(db, int(scope.group_id or 0), int(scope.member_id or 0))
    ids = [n for n, _ in notes]
    if scope.first_note_id not in ids or scope.last_note_id not in ids:
        return []
    first, last = ids.index(scope.first_note_id), ids.index(scope.last_note_id)
    return [("member", n, m) for n, m in notes[first:last + 1]]


def _extract_notes(db: Session, group_id: int, member_id: int) -> list[tuple[int, int]]:
    """(note id, meeting id) of a member's notes in a group's held sessions, in order."""
    rows = db.execute(text(
        "SELECT n.id, m.id, m.starts_at FROM member_notes n JOIN meetings m "
        "ON m.id = n.meeting_id WHERE n.member_id = :member AND m.group_id = :group "
        "AND m.status = 'held'"), {"member": member_id, "group": group_id}).all()
    return [(int(r[0]), int(r[1]))
            for r in sorted(rows, key=lambda r: (_stamp(r[2]), int(r[1])))]


@dataclass
class _Document:
    scope: Scope
    name: str
    db: Session
    key: bytes  # `code_key`
    notes: list[_Note] = field(default_factory=list)
    facts: dict[int, Any] = field(default_factory=dict)  # each session's, once
    drafts: dict[tuple[str, int], str] = field(default_factory=dict)

    def draft(self, n: _Note) -> str:
        if n.draft_digest is not None:
            return n.draft_digest
        key = (n.kind, n.id)
        if key not in self.drafts:
            self.drafts[key] = _draft_digest(self.db, n.kind, n.id, self.facts)
        return self.drafts[key]


def _document(db: Session, scope: Scope, full: bool = True,
              key: bytes | None = None) -> _Document | None:
    name = _scope_name(db, scope)
    if name is None:
        return None
    doc = _Document(scope, name, db, code_key(db) if key is None else key)
    wheres: dict[int, str] = {}
    shown = _shown(db, scope)
    rows = _rows_of(db, shown)
    # a session's notes: their draft rows read together (an extract's are one a session)
    read = _session_fields(db, shown, rows) if scope.kind == "session" else None
    for kind, note_id, meeting_id in shown:
        if meeting_id not in wheres:
            wheres[meeting_id] = _where(db, meeting_id)
        doc.notes.append(_note(db, kind, note_id, meeting_id, wheres[meeting_id], full,
                               doc.facts, rows[(kind, note_id)], read))
    return doc


def _before(at: str | None, cutoff: str | None) -> bool:
    return at is not None and (cutoff is None or at < cutoff)


def _items(doc: _Document, cutoff: str | None) -> list[list[Any]]:
    """What the document showed just before `cutoff` (None: now), as digests."""
    out: list[list[Any]] = []
    for n in doc.notes:
        s = n.signature
        if s is not None and _before(s.signed_at, cutoff):
            out.append(["signed", n.kind, n.id, s.digest])
            if _before(s.cosigned_at, cutoff):
                out.append(["cosigned", s.id, s.cosign_digest])
            out += [["addendum", a.id, a.digest] for a in s.addenda if _before(a.created_at,
                                                                               cutoff)]
        elif _before(n.updated_at, cutoff):
            out.append(["draft", n.kind, n.id, doc.draft(n)])
    return sorted(out)


def _content(doc: _Document, cutoff: str | None) -> str:
    return _hash_chars(doc.key, {"scope": doc.name, "items": _items(doc, cutoff)}, CONTENT_LEN)


def _code_of(doc: _Document) -> str:
    body = _scope_chars(doc.key, doc.name) + _content(doc, None)
    return body + check_char(body)


def _events(doc: _Document) -> list[_Event]:
    out = []
    for n in doc.notes:
        s = n.signature
        if s is None or n.updated_at < s.signed_at:
            out.append(_Event(n.updated_at, f"{n.where}: {n.name} was written or changed, "
                                            f"{_when(n.updated_at)}."))
        if s is None:
            continue
        out.append(_Event(s.signed_at, f"{n.where}: {n.name} was signed, "
                                       f"{_when(s.signed_at)}."))
        if s.cosigned_at is not None:
            out.append(_Event(s.cosigned_at, f"{n.where}: a co-signature was added to "
                                             f"{n.name}, {_when(s.cosigned_at)}."))
        for a in s.addenda:
            what = "an amendment" if a.amendment else "an addendum"
            out.append(_Event(a.created_at, f"{n.where}: {what} was added to {n.name}, "
                                            f"{_when(a.created_at)}."))
    return sorted(out, key=lambda e: e.at)


# ---------------------------------------------------------------- printing a code


def session_code(db: Session, meeting_id: int, include_private: bool = False) -> str:
    """The code a session summary prints (shown as four groups of four, `pretty`)."""
    doc = _document(db, Scope("session", meeting_id=meeting_id,
                              include_private=include_private), full=False)
    if doc is None:
        raise ValueError(f"no session {meeting_id}")
    return pretty(_code_of(doc))


def extract_code(db: Session, group_id: int, member_id: int,
                 note_ids: list[int]) -> str:
    """The code a member extract prints; `note_ids` are the member notes it shows, in
    order (the code names the first and the last; those between are read again)."""
    shown = set(note_ids)
    order = [n for n, _ in _extract_notes(db, group_id, member_id) if n in shown]
    scope = Scope("extract", group_id=group_id, member_id=member_id,
                  first_note_id=order[0] if order else None,
                  last_note_id=order[-1] if order else None)
    doc = _document(db, scope, full=False)
    if doc is None:
        raise ValueError(f"no member {member_id}")
    return pretty(_code_of(doc))


# ---------------------------------------------------------------- checking a code


@dataclass(frozen=True)
class PaperCheck:
    """The answer for one code: an outcome and one line per finding (never note text)."""

    code: str  # as typed, normalised and grouped
    outcome: str  # MATCH, ADDED, CHANGED, UNKNOWN or TYPO
    lines: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.outcome == MATCH


def _candidates(db: Session, key: bytes, scope_part: str) -> list[Scope]:
    """Every document this vault could have printed whose name gives `scope_part`.

    A member extract is named by any pair of its member's notes in a group (first, last),
    so there are many: the hash of the part of the name they share is computed once per
    member and group, and copied for each pair.
    """
    found = []
    meetings = db.execute(text("SELECT id, created_at FROM meetings ORDER BY id")).all()
    for meeting_id, created in meetings:
        for private in (False, True):
            scope = Scope("session", meeting_id=int(meeting_id), include_private=private)
            if _scope_chars(key, _name(scope, _stamp(created))) == scope_part:
                found.append(scope)
    members = {int(r[0]): _stamp(r[1]) for r in db.execute(
        text("SELECT id, created_at FROM members"))}
    pairs = db.execute(text(
        "SELECT DISTINCT member_id, group_id FROM memberships ORDER BY member_id, group_id"
    )).all()
    for member_id, group_id in pairs:
        anchor = members.get(int(member_id))
        if anchor is None:
            continue
        shared = _mac(key, _extract_prefix(int(group_id), int(member_id),
                                           anchor).encode("utf-8"))
        ids: list[int | None] = [n for n, _ in _extract_notes(db, int(group_id),
                                                              int(member_id))]
        ranges = [(None, None)] + [(first, last) for i, first in enumerate(ids)
                                   for last in ids[i:]]
        for first, last in ranges:
            h = shared.copy()
            h.update(_extract_range(first, last).encode("utf-8"))
            if _digest_chars(h, SCOPE_LEN) == scope_part:
                found.append(Scope("extract", group_id=int(group_id), member_id=int(member_id),
                                   first_note_id=first, last_note_id=last))
    return found


VERIFY_ADVICE = "Run groupleader verify on this vault to see what else changed."


def _what(doc: _Document) -> str:
    if doc.scope.kind == "session":
        where = _where(doc.db, int(doc.scope.meeting_id or 0))
        return f"the summary of {where[0].lower()}{where[1:]}"
    return f"a member extract (member {doc.scope.member_id}, group {doc.scope.group_id})"


def _drafts(doc: _Document) -> str:
    """"; it is a draft: 2 notes in it are not signed" (or "" when all are signed)."""
    unsigned = sum(1 for n in doc.notes if n.signature is None)
    if not unsigned:
        return ""
    return f"; it is a draft: {unsigned} note{'s' if unsigned > 1 else ''} in it " \
           f"{'are' if unsigned > 1 else 'is'} not signed"


def _tampered(doc: _Document) -> list[str]:
    """Records the document shows that no longer match their own stored digests."""
    out = []
    for n in doc.notes:
        s = n.signature
        if s is None:
            continue
        if s.now != s.digest:
            out.append(f"{n.where}: {n.name} no longer matches what was signed.")
        if s.cosigned_at is not None and s.cosign_now != s.cosign_digest:
            out.append(f"{n.where}: the co-signature of {n.name} no longer matches.")
        out += [f"{n.where}: addendum {a.id} to {n.name} no longer matches what was written."
                for a in s.addenda if a.now != a.digest]
    return out


def check_code(db: Session, typed: str) -> PaperCheck:
    """Whether the paper carrying `typed` still matches this vault's record."""
    problem = typo_in(typed)
    code = normalise(typed)
    shown = pretty(code) if problem is None else typed.strip()
    if problem is not None:
        return PaperCheck(shown, TYPO, (problem,))
    scope_part, content_part = code[:SCOPE_LEN], code[SCOPE_LEN:-1]
    key = code_key(db)
    docs = [d for d in (_document(db, s, key=key) for s in _candidates(db, key, scope_part))
            if d is not None]
    for doc in docs:
        if _content(doc, None) == content_part:
            bad = _tampered(doc)
            if bad:
                return PaperCheck(shown, CHANGED, tuple(bad + [VERIFY_ADVICE]))
            return PaperCheck(shown, MATCH, (
                f"This paper still matches the record: {_what(doc)}, as printed{_drafts(doc)}.",))
    for doc in docs:
        events = _events(doc)
        for i in range(len(events) - 1, -1, -1):
            if _content(doc, events[i].at) == content_part:
                later = [e.line for e in events if e.at >= events[i].at]
                bad = _tampered(doc)
                if bad:
                    return PaperCheck(shown, CHANGED, tuple(bad + later + [VERIFY_ADVICE]))
                return PaperCheck(shown, ADDED, tuple(
                    [f"This paper is {_what(doc)}; since it was printed:"] + later))
    if docs:
        return PaperCheck(shown, CHANGED, (
            f"This paper is {_what(docs[0])}, but what it shows has changed since in a way "
            "this check cannot name; run groupleader verify on this vault.",))
    return PaperCheck(shown, UNKNOWN, (
        "This code matches nothing printed from this vault: check that it is the right "
        "vault, or print the record again.",))


def codes_in_text(page_text: str) -> list[str]:
    """The verification codes in a page's text ("Verify: " and the code), in order."""
    return [m.group(1) for m in CODE_RE.finditer(page_text)]
