"""Roster CSV files in and out (no Qt).

Three steps, so the preview, the command line and the tests share one set of rules:

1. ``parse_roster(data)`` is pure: bytes in, a ``ParsedRoster`` out (each good row as it
   will be imported, each bad row with its line number and reason). File-level problems
   (empty, binary, not UTF-8, no name column, too many rows) raise ``InvalidInput`` with
   ``field="file"``. Member details are checked by the member service's own rules, so a
   row that passes here passes the write.
2. ``find_duplicates(db, group_id, parsed)`` reads the vault once and names the rows
   that are the same person as an existing member (same full name and date of birth, or
   same email address).
3. ``operations.roster.import_roster(...)`` writes everything in ONE unit of work
   through the member services (the same calls as the member dialog): an import is all
   or nothing. The checks it runs first (``check_importable``, ``check_import``) are here.

Reasons and messages never quote a cell's value (a name or a date of birth can end up on
a terminal or in a bug report); they name the line and the column.

Spreadsheet formulas: a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is run as a formula by spreadsheet programs (OWASP's "CSV injection"). The export
writes such a cell with a single quote in front (``escape_cell``), and the import takes
that quote off again (``unescape_cell``), so a round trip is exact. To stay exact for a
value that itself begins with quotes and then one of those characters (``'=x``), the
export adds one more quote in front of any run of quotes followed by one of them, and the
import removes exactly one.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from groupleader.data.atomic import atomic_path
from groupleader.data.models import (
    Group,
    Member,
    Membership,
    MembershipEvent,
    MembershipStatus,
)
from groupleader.data.services import members as member_service
from groupleader.data.services._common import fetch
from groupleader.data.snapshots import MemberSnap, MemberSpec
from groupleader.errors import InvalidInput

S = MembershipStatus
Progress = Callable[[int, int], None]

MAX_BYTES = 32 * 1024 * 1024
MAX_ROWS = 20_000
IMPORT_REASON = "Imported from a roster file"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED = re.compile(r"'*[=+\-@\t\r]")  # what a spreadsheet runs, after any quotes
# Columns whose values never hold a line break: one there means a quote ran on too far.
# (An emergency contact may be several lines.)
_ONE_LINE = frozenset({"full_name", "first_name", "last_name", "preferred_name", "pronouns",
                       "dob", "phone", "email", "status", "joined", "ended"})

# Canonical columns, in the order an export writes them.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("full_name", "Full name"),
    ("preferred_name", "Preferred name"),
    ("pronouns", "Pronouns"),
    ("dob", "Date of birth"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("emergency_contact", "Emergency contact"),
    ("status", "Status"),
    ("joined", "Joined"),
    ("ended", "Ended"),
    ("also_written_as", "Also written as"),  # other spellings, separated by ";"
)
LABEL = dict(COLUMNS) | {"first_name": "First name", "last_name": "Last name"}

# Header variants (compared after `_header_key`: case, spaces, "_-./:()" ignored).
_VARIANTS: dict[str, tuple[str, ...]] = {
    "full_name": ("name", "full name", "fullname", "client name", "member name", "member",
                  "client"),
    "first_name": ("first name", "firstname", "first", "given name", "forename"),
    "last_name": ("last name", "lastname", "last", "surname", "family name"),
    "preferred_name": ("preferred name", "preferred", "known as", "nickname", "goes by"),
    "pronouns": ("pronouns", "pronoun"),
    "dob": ("date of birth", "dob", "d o b", "birth date", "birthdate", "birthday", "born"),
    "phone": ("phone", "phone number", "telephone", "tel", "mobile", "mobile phone"),
    "email": ("email", "e mail", "email address", "e mail address", "mail"),
    "emergency_contact": ("emergency contact", "emergency", "emergency contact details",
                          "in case of emergency", "ice"),
    "status": ("status", "membership status"),
    "joined": ("joined", "joined date", "joined on", "date joined", "join date", "start date",
               "started", "since"),
    "ended": ("ended", "end date", "ended on", "left", "left date", "left on", "date left",
              "left graduated", "left or graduated", "graduated"),
    "also_written_as": ("also written as", "aka", "a k a", "also known as", "other spellings",
                        "other names", "alias", "aliases", "nicknames"),
}
HEADER_NAMES: dict[str, str] = {v: key for key, names in _VARIANTS.items() for v in names}

_STATUS_WORDS: dict[str, str] = {str(s): str(s) for s in S} | {
    "waiting list": S.WAITLIST, "wait list": S.WAITLIST, "waitlisted": S.WAITLIST,
    "waiting": S.WAITLIST, "referral": S.REFERRED, "screened": S.SCREENING,
    "graduate": S.GRADUATED, "transfer": S.TRANSFERRED, "member": S.ACTIVE,
}
FINAL = frozenset({S.GRADUATED, S.LEFT, S.TRANSFERRED})
DATE_FORMS = "YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY or DD-MM-YYYY"
_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}


@dataclass(frozen=True)
class ImportRow:
    """One good row, as it will be imported."""

    line: int  # where the row starts in the file (header = line 1)
    spec: MemberSpec
    status: str
    joined: date  # the date the membership takes `status` (first active date if ended)
    ended: date | None  # graduated/left/transferred on
    same_as: int | None = None  # an earlier line with the same person (a rejoin)


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str
    cells: tuple[str, ...] = ()  # the row as read, for the preview (never in a message)

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True)
class ParsedRoster:
    delimiter: str
    columns: tuple[str, ...]  # recognised fields, in the file's order
    ignored: tuple[str, ...]  # header cells that name no known column
    rows: tuple[ImportRow, ...]
    bad: tuple[BadRow, ...]

    @property
    def problems(self) -> list[str]:
        return [str(b) for b in self.bad]


@dataclass(frozen=True)
class Duplicate:
    """A row that is the same person as a member already in the vault."""

    line: int
    member_id: int
    existing_name: str  # for the preview only
    why: str  # "same full name and date of birth" or "same email"
    on_roster: bool  # already has a membership in this group that has not ended
    archived: bool


@dataclass(frozen=True)
class ImportResult:
    created: int
    merged: int
    skipped: int
    membership_ids: tuple[int, ...] = field(default=())


# ---------------------------------------------------------------- parsing


def _header_key(cell: str) -> str:
    cell = cell.replace("\ufeff", "").strip().casefold()
    cell = re.sub(r"[_\-./:()*]+", " ", cell)
    return " ".join(cell.split())


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), or UTF-16 with a BOM."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            f"This file is larger than {MAX_BYTES // (1024 * 1024)} MB, far more than any "
            "roster. Check that you chose the right file.", "file")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = "\x00"  # reported as binary below
    elif b"\x00" in data:
        text = "\x00"
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line = data[: err.start].count(b"\n") + 1
            raise InvalidInput(
                f"This file is not UTF-8 text (the first unreadable character is on line "
                f"{line}). In your spreadsheet program choose Save As, \"CSV UTF-8\", and "
                "import that file.", "file") from None
    if "\x00" in text:
        raise InvalidInput(
            "This is not a CSV text file (it looks like a spreadsheet, an image or another "
            "binary file). In your spreadsheet program choose Save As, \"CSV UTF-8\", and "
            "import that file.", "file")
    if not text.strip():
        raise InvalidInput("This file is empty. Choose the CSV file with the roster.", "file")
    return text


def parse_date(value: str) -> date:
    """ISO (2024-03-05) or day-first (05.03.2024, 5/3/2024, 05-03-2024, 5 Mar 2024).

    Month-first (US) dates are not read: 03/05/2024 is 3 May. A two-digit year is refused
    because it cannot tell 1924 from 2024 (dates of birth span a century).
    """
    value = value.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?", value)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        return date(y, mo, d)
    m = re.fullmatch(r"(\d{1,2})[./\-](\d{1,2})[./\-](\d{4})\.?", value)
    if m:
        d, mo, y = (int(g) for g in m.groups())
        return date(y, mo, d)
    m = re.fullmatch(r"(\d{1,2})\.? ?([A-Za-z]{3})[a-z]*\.? (\d{4})", value)
    if m and m.group(2).casefold() in _MONTHS:
        return date(int(m.group(3)), _MONTHS[m.group(2).casefold()], int(m.group(1)))
    raise ValueError(value)


def _person_keys(spec: MemberSpec) -> list[tuple[str, tuple[object, ...]]]:
    keys: list[tuple[str, tuple[object, ...]]] = []
    if spec.dob is not None:
        name = " ".join(unicodedata.normalize("NFC", spec.full_name).casefold().split())
        keys.append(("same full name and date of birth", ("n", name, spec.dob)))
    if spec.email:
        keys.append(("same email", ("e", spec.email.strip().casefold())))
    return keys


def _sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever makes the most known column names of line 1."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    best, best_score = ",", (-1, -1)
    for delim in (",", ";", "\t"):
        try:
            cells = next(csv.reader([first], delimiter=delim), [])
        except csv.Error:
            continue
        known = sum(1 for c in cells if _header_key(c) in HEADER_NAMES)
        score = (known, len(cells))
        if score > best_score:
            best, best_score = delim, score
    return best


def _map_header(cells: list[str]) -> tuple[dict[str, int], tuple[str, ...]]:
    found: dict[str, int] = {}
    ignored: list[str] = []
    for i, cell in enumerate(cells):
        key = HEADER_NAMES.get(_header_key(cell))
        if key is None:
            if cell.strip():
                ignored.append(cell.strip())
            continue
        if key in found:
            first = cells[found[key]].strip()
            raise InvalidInput(
                f"The first line has two columns for {LABEL[key].lower()}: \"{first}\" "
                f"(column {found[key] + 1}) and \"{cell.strip()}\" (column {i + 1}). Remove "
                "or rename one of them.", "file")
        found[key] = i
    if "full_name" not in found and "first_name" not in found and "last_name" not in found:
        raise InvalidInput(
            "The file has no name column. Its first line must name the columns, for example "
            "\"Name, Preferred name, Pronouns, Date of birth, Email\" (\"First name\" and "
            "\"Last name\" work too).", "file")
    return found, tuple(ignored)


def _row(
    line: int, cells: list[str], cols: dict[str, int], width: int, today: date
) -> ImportRow | BadRow:
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        return BadRow(line, f"has {len(cells)} cells but the header has {width} (a value "
                            "with the separator in it needs quotes)")

    def cell(key: str) -> str:
        i = cols.get(key)
        return unescape_cell(cells[i].strip()) if i is not None and i < len(cells) else ""

    full = cell("full_name") or " ".join(p for p in (cell("first_name"), cell("last_name")) if p)
    if not full:
        return BadRow(line, "Name: the name is empty")
    dates: dict[str, date | None] = {}
    for key in ("dob", "joined", "ended"):
        raw = cell(key)
        try:
            dates[key] = parse_date(raw) if raw else None
        except ValueError:
            return BadRow(line, f"{LABEL[key]}: not a date (write {DATE_FORMS})")
    raw_status = " ".join(cell("status").casefold().replace("-", " ").split())
    status = _STATUS_WORDS.get(raw_status) if raw_status else S.ACTIVE
    if status is None:
        return BadRow(line, "Status: not one of " + ", ".join(str(s) for s in S))
    for key in sorted(_ONE_LINE & cols.keys(), key=cols.__getitem__):
        if any(c in cell(key) for c in "\r\n"):
            label = "Name" if key == "full_name" else LABEL[key]
            return BadRow(line, f"{label}: the cell runs over several lines; check the quotes "
                                "on this line (a quote opened here is closed too late)")
    spec = MemberSpec(
        full_name=full, preferred_name=cell("preferred_name"), pronouns=cell("pronouns"),
        dob=dates["dob"], phone=cell("phone"), email=cell("email"),
        emergency_contact=cell("emergency_contact"),
        also_written_as=tuple(member_service.split_also_written_as(cell("also_written_as"))))
    try:
        member_service.apply_spec(Member(), spec)  # the service's own rules, on a detached row
    except InvalidInput as err:
        label = LABEL.get(err.field or "", "Name") if err.field != "full_name" else "Name"
        return BadRow(line, f"{label}: {err.message.rstrip('.')}")
    joined, ended = dates["joined"], dates["ended"]
    if status in FINAL:
        if ended is None:
            return BadRow(line, f"Ended: enter the date the member {status} ({DATE_FORMS})")
        joined = joined or ended
        if joined > ended:
            return BadRow(line, "Ended: the date is before the Joined date")
    elif ended is not None:
        return BadRow(line, "Ended: only a member who graduated, left or transferred has "
                            "an end date")
    return ImportRow(line, spec, str(status), joined or today, ended)


def parse_roster(
    data: bytes, *, today: date | None = None, progress: Progress | None = None
) -> ParsedRoster:
    """Read and check a roster file; raises InvalidInput(field="file") for file problems."""
    text = decode(data)
    today = today or date.today()
    delimiter = _sniff_delimiter(text)
    total_lines = text.count("\n") + 1
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[ImportRow] = []
    bad: list[BadRow] = []
    seen: dict[tuple[object, ...], ImportRow] = {}
    cols: dict[str, int] = {}
    ignored: tuple[str, ...] = ()
    width = 0
    header_seen = False
    count = 0
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if not header_seen:
                cols, ignored = _map_header(cells)
                width, header_seen = len(cells), True
                continue
            count += 1
            if count > MAX_ROWS:
                raise InvalidInput(
                    f"This file has more than {MAX_ROWS:,} rows, far more than a roster. "
                    "Check that you chose the right file, or split it into smaller files.",
                    "file")
            result = _row(line, cells, cols, width, today)
            if isinstance(result, ImportRow):
                result = _check_repeat(result, seen)
            if isinstance(result, BadRow):
                result = replace(result, cells=tuple(unescape_cell(c.strip()) for c in cells))
            (rows if isinstance(result, ImportRow) else bad).append(result)  # type: ignore[arg-type]
            if progress is not None and count % 500 == 0:
                progress(reader.line_num, total_lines)
    except csv.Error as err:
        raise InvalidInput(
            f"Line {reader.line_num} cannot be read as CSV ({err}). Check the quotes on "
            "that line, or save the file again from your spreadsheet program.", "file"
        ) from None
    if not header_seen:
        raise InvalidInput("This file is empty. Choose the CSV file with the roster.", "file")
    opened = _unclosed_quote(text, line, delimiter)  # only a last row can swallow the rest
    if opened is not None:
        raise InvalidInput(
            f"line {opened}: a quote is opened here and never closed, so the rest of the "
            "file would be read as one value. Close the quote (or remove it) and import "
            "the file again.", "file")
    if progress is not None:
        progress(total_lines, total_lines)
    order = [key for key, _ in sorted(cols.items(), key=lambda kv: kv[1])]
    return ParsedRoster(delimiter, tuple(order), ignored, tuple(rows), tuple(bad))


def _unclosed_quote(text: str, first_line: int, delimiter: str) -> int | None:
    """The line of a quote that is still open at the end of the file, if there is one.

    Reads from the start of the last row (``first_line``) by the rules of Python's csv
    reader (a quote opens a quoted value only at the start of a cell; ``""`` inside one is
    a quote; a quote followed by anything but the separator or a line break ends it).
    Without this check the reader would hand back everything after the quote as one value.
    """
    # The reader's lines: split at LF, CRLF or a lone CR only (str.splitlines splits more).
    chunk = "".join(itertools.islice(io.StringIO(text, newline=""), first_line - 1, None))
    line, opened = first_line, 0
    at_start, quoted, after_quote = True, False, False
    i = 0
    while i < len(chunk):
        c = chunk[i]
        if quoted:
            if c == '"':
                quoted, after_quote = False, True
            elif c == "\r" or c == "\n":
                line += 1 if not (c == "\n" and i and chunk[i - 1] == "\r") else 0
        elif after_quote and c == '"':  # a doubled quote inside a quoted value
            quoted, after_quote = True, False
        elif c == delimiter:
            at_start, after_quote = True, False
        elif c == "\r" or c == "\n":
            line += 1 if not (c == "\n" and i and chunk[i - 1] == "\r") else 0
            at_start, after_quote = True, False
        elif c == '"' and at_start:
            quoted, opened, at_start = True, line, False
        else:
            at_start, after_quote = False, False
        i += 1
    return opened if quoted else None


def _check_repeat(row: ImportRow, seen: dict[tuple[object, ...], ImportRow]) -> ImportRow | BadRow:
    """A person twice in one file: fine as a rejoin after an ended membership, else bad."""
    for why, key in _person_keys(row.spec):
        earlier = seen.get(key)
        if earlier is None:
            continue
        if earlier.spec != row.spec:
            return BadRow(row.line, f"the same person as line {earlier.line} ({why}) with "
                                    "different details; keep one row per person")
        if earlier.ended is None or row.joined < earlier.ended:
            return BadRow(row.line, f"the same person as line {earlier.line} ({why}); keep "
                                    "one row per person (a second row only for someone who "
                                    "rejoined after the first membership ended)")
        row = replace(row, same_as=earlier.same_as or earlier.line)
        break
    for _, key in _person_keys(row.spec):
        seen[key] = row
    return row


# ---------------------------------------------------------------- duplicates


def find_duplicates(db: Session, group_id: int, parsed: ParsedRoster) -> dict[int, Duplicate]:
    """Rows (by line) that are the same person as a member already in the vault."""
    fetch(db, Group, group_id, "group_id")
    people: dict[tuple[object, ...], Member] = {}
    for m in db.scalars(select(Member).order_by(Member.id)):
        spec = MemberSpec(full_name=m.full_name, dob=m.dob, email=m.email)
        for _, key in _person_keys(spec):
            people.setdefault(key, m)
    open_members = set(db.scalars(select(Membership.member_id).where(
        Membership.group_id == group_id, Membership.status.not_in(list(FINAL)))))
    found: dict[int, Duplicate] = {}
    for row in parsed.rows:
        if row.same_as is not None:
            continue
        for why, key in _person_keys(row.spec):
            match = people.get(key)
            if match is not None:
                found[row.line] = Duplicate(row.line, match.id, match.full_name, why,
                                            match.id in open_members, match.archived)
                break
    return found


# ---------------------------------------------------------------- the import's rules
# The write itself is `operations.roster.import_roster`, through the member services.


def merge_spec(old: MemberSnap, new: MemberSpec) -> MemberSpec:
    """The stored details, with every non-empty cell of the row written over them."""
    values = {}
    for name in ("full_name", "preferred_name", "pronouns", "dob", "phone", "email",
                 "emergency_contact", "presenting_concerns", "referral_source"):
        cell = getattr(new, name)
        values[name] = cell if cell not in ("", None) else getattr(old, name)
    # other spellings are names to hide in de-identified papers: the row's are added to
    # the stored ones, never put in their place (a file without the column kept none);
    # a name or preferred name the row writes another way stays as one of them too
    # ("Naama Levi" kept when the row says "נעמה לוי"), since old notes may use it
    spellings = member_service.spellings_kept(
        (old.full_name, old.preferred_name), (*old.also_written_as, *new.also_written_as),
        values["full_name"], values["preferred_name"])
    return MemberSpec(**values, also_written_as=spellings)


def decision(on_duplicate: Mapping[int, str] | str | None, line: int) -> str | None:
    """"merge", "skip" or None (no choice) for the duplicate on `line`."""
    if isinstance(on_duplicate, str) or on_duplicate is None:
        return on_duplicate
    return on_duplicate.get(line)


def check_importable(parsed: ParsedRoster, skip_bad: bool) -> None:
    """Bad rows refuse the import unless the user chose to skip them."""
    if parsed.bad and not skip_bad:
        raise InvalidInput(
            f"{len(parsed.bad)} row(s) cannot be imported (first: {parsed.bad[0]}). Correct "
            "them, or choose to skip the bad rows. Nothing was written.", "file")


def check_import(
    db: Session, group_id: int, parsed: ParsedRoster,
    on_duplicate: Mapping[int, str] | str | None,
) -> dict[int, Duplicate]:
    """The duplicates of an import that may go ahead: each has a choice, the group has room."""
    group = fetch(db, Group, group_id, "group_id")
    if group.archived:
        raise InvalidInput("This group is archived; restore it first.", "group_id")
    dups = find_duplicates(db, group_id, parsed)
    for line, dup in dups.items():
        if decision(on_duplicate, line) not in ("merge", "skip"):
            raise InvalidInput(
                f"line {line}: the same person as a member already in the vault "
                f"({dup.why}). Choose to merge or skip. Nothing was written.", "file")
    active = db.scalar(select(func.count()).where(
        Membership.group_id == group.id, Membership.status == S.ACTIVE)) or 0
    new_active = 0
    for row in parsed.rows:
        found = dups.get(row.line)
        if found is not None and (decision(on_duplicate, row.line) == "skip" or found.on_roster):
            continue
        new_active += row.status == S.ACTIVE
    if new_active and active + new_active > group.max_size:
        raise InvalidInput(
            f"The import would make {active + new_active} members active in a group whose "
            f"maximum is {group.max_size} (now {active}). Import some as waitlist, or raise "
            "the group's maximum. Nothing was written.", "status")
    return dups


# ---------------------------------------------------------------- export


def export_rows(db: Session, group_id: int) -> list[list[str]]:
    """The group's roster as CSV rows (header first): member details, no clinical notes."""
    fetch(db, Group, group_id, "group_id")
    pairs = db.execute(
        select(Membership, Member).join(Member, Member.id == Membership.member_id)
        .where(Membership.group_id == group_id).order_by(Member.full_name, Membership.id)
    ).all()
    changes: dict[int, list[tuple[date, str]]] = {}
    for ms_id, on_date, status in db.execute(
        select(MembershipEvent.membership_id, MembershipEvent.on_date, MembershipEvent.status)
        .join(Membership, Membership.id == MembershipEvent.membership_id)
        .where(Membership.group_id == group_id)
        .order_by(MembershipEvent.on_date, MembershipEvent.id)
    ):
        changes.setdefault(ms_id, []).append((on_date, status))
    out = [[label for _, label in COLUMNS]]
    for ms, m in pairs:
        start, joined, ended = member_service.membership_dates(changes.get(ms.id, []), ms.status)
        since = joined if (joined and ms.status in FINAL | {S.ACTIVE}) else start
        out.append([
            m.full_name, m.preferred_name, m.pronouns, _iso(m.dob), m.phone, m.email,
            m.emergency_contact, ms.status, _iso(since), _iso(ended),
            "; ".join(member_service.split_also_written_as(m.also_written_as))])
    return out


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def escape_cell(value: str) -> str:
    """A cell a spreadsheet would run as a formula, with a single quote in front (OWASP)."""
    return "'" + value if _ESCAPED.match(value) else value


def unescape_cell(value: str) -> str:
    """`escape_cell` undone: one leading quote off a cell that `escape_cell` would escape."""
    return value[1:] if value.startswith("'") and _ESCAPED.match(value, 1) else value


def roster_csv_bytes(rows: Iterable[list[str]]) -> bytes:
    """UTF-8 with a BOM (so spreadsheet programs read accents and emoji right), CRLF lines,
    formula-like cells escaped (`escape_cell`)."""
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(
        [escape_cell(str(c)) for c in row] for row in rows)
    return codecs.BOM_UTF8 + buf.getvalue().encode("utf-8")


def write_csv(dest: Path | str, data: bytes) -> None:
    """Write the whole file (0600) or nothing; a failure says what to do (GroupLeaderError).

    The destination is checked by the caller (`groupleader.data.outputs.check_destination`).
    """
    with atomic_path(Path(dest)) as tmp:
        tmp.write_bytes(data)
