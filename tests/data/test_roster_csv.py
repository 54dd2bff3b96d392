"""Roster CSV files: parsing and checking, duplicates, the all-or-nothing import, export."""

from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from groupleader.data import roster_csv
from groupleader.data.models import AuditEvent, Member, Membership
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import query
from groupleader.data.operations import roster as ops_roster
from groupleader.data.roster_csv import MAX_ROWS, parse_roster
from groupleader.data.services import members
from groupleader.data.snapshots import ClinicianSpec, GroupSpec, MemberSpec
from groupleader.data.vault import Vault
from groupleader.errors import GroupLeaderError, InvalidInput
from groupleader.visible_text import has_visible

TODAY = date(2025, 6, 1)
TRICKY = ["<b>Zoë & \"Q\"</b> 🌈", "מרים כהן", "Zoe\u0301 Nguye\u0302\u0303n", "O'Brien, Seán",
          "محمد علي", "Line\u200dJoiner 👩‍👩‍👧"]


def csv_bytes(text: str, bom: bool = False) -> bytes:
    return (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")


def make_group(vault: Vault, max_size: int = 10) -> int:
    lead = ops_groups.create_clinician(vault, ClinicianSpec("Dr Rivera", "leader")).value
    return ops_groups.create_group(vault, GroupSpec(
        "Tuesday group", "support", (lead.id,), target_size=min(7, max_size),
        max_size=max_size, min_size=1)).value.id


def counts(vault: Vault) -> tuple[int, int]:
    with vault.unit_of_work() as db:
        return (db.scalar(select(func.count()).select_from(Member)) or 0,
                db.scalar(select(func.count()).select_from(Membership)) or 0)


# ---------------------------------------------------------------- parsing


def test_semicolon_file_with_bom_and_header_variants_is_read() -> None:
    text = ("E-mail;First name;Last name;DOB;Preferred name;Pronouns;Phone;"
            "Emergency contact;Status;Joined date;Favourite colour\r\n"
            "ada@example.org;Ada;Lovelace;10.12.1990;Ada L;she/her;555-0101;"
            "\"Byron; 555-0102\";Waiting list;01/02/2024;blue\r\n")
    parsed = parse_roster(csv_bytes(text, bom=True), today=TODAY)
    assert parsed.delimiter == ";"
    assert parsed.bad == ()
    assert parsed.ignored == ("Favourite colour",)
    [row] = parsed.rows
    assert row.line == 2
    assert row.spec == MemberSpec(
        full_name="Ada Lovelace", preferred_name="Ada L", pronouns="she/her",
        dob=date(1990, 12, 10), phone="555-0101", email="ada@example.org",
        emergency_contact="Byron; 555-0102")
    assert (row.status, row.joined, row.ended) == ("waitlist", date(2024, 2, 1), None)


@pytest.mark.parametrize("raw, expected", [
    ("2024-03-05", date(2024, 3, 5)),
    ("05.03.2024", date(2024, 3, 5)),
    ("5.3.2024", date(2024, 3, 5)),
    ("05/03/2024", date(2024, 3, 5)),  # day first: 5 March, never May 3
    ("05-03-2024", date(2024, 3, 5)),
    ("5 Mar 2024", date(2024, 3, 5)),
    ("5 March 2024", date(2024, 3, 5)),
])
def test_dates_are_read_iso_or_day_first(raw: str, expected: date) -> None:
    assert roster_csv.parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["05/03/24", "2024-02-30", "13/13/2024", "March 5, 2024", "x"])
def test_ambiguous_or_impossible_dates_are_refused(raw: str) -> None:
    with pytest.raises(ValueError):
        roster_csv.parse_date(raw)


def test_bad_rows_name_their_line_in_the_file_and_quote_no_values() -> None:
    text = ("Name,Date of birth,Email,Status,Ended\n"
            "Good One,,,,\n"
            "\n"  # blank lines count as lines
            "\"Two\nLines\",31/02/1990,,,\n"  # a quoted newline: the row starts on line 4
            ",,,,\n"  # an empty row is skipped, not bad
            "Bad Mail,,not-an-email,,\n"
            ",,x@example.org,,\n"
            "Odd Status,,,maybe,\n"
            "Gone,,,graduated,\n"
            "Early,,,active,2024-01-01\n")
    parsed = parse_roster(csv_bytes(text), today=TODAY)
    assert [r.line for r in parsed.rows] == [2]
    assert parsed.problems == [
        "line 4: Date of birth: not a date (write YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY or "
        "DD-MM-YYYY)",
        "line 7: Email: Enter an email address like name@example.org",
        "line 8: Name: the name is empty",
        "line 9: Status: not one of referred, screening, waitlist, active, graduated, left, "
        "transferred",
        "line 10: Ended: enter the date the member graduated (YYYY-MM-DD, DD.MM.YYYY, "
        "DD/MM/YYYY or DD-MM-YYYY)",
        "line 11: Ended: only a member who graduated, left or transferred has an end date",
    ]
    assert not any("not-an-email" in p or "maybe" in p for p in parsed.problems)


def test_a_row_with_more_cells_than_the_header_is_bad_not_shifted() -> None:
    parsed = parse_roster(csv_bytes("Name,Email\nAda, Lovelace,ada@example.org\nBea,\n"))
    assert parsed.problems == [
        "line 2: has 3 cells but the header has 2 (a value with the separator in it needs "
        "quotes)"]
    assert [r.spec.full_name for r in parsed.rows] == ["Bea"]


@pytest.mark.parametrize("text, line", [
    ("Name,Email\nAda,ada@example.org\n\"Bea,bea@example.org\nCy,cy@example.org\n"
     "Dee,dee@example.org\n", 3),  # three people would become one member
    ("Name;Email\r\nAda;\"ada@example.org\r\nBea;b\r\n", 2),
    ("Name\nAda\n\n\"Bea\n", 4),  # open on the last line: still refused
    ("Name,Email\n\"Ada \"\"Al\"\" Lovelace,ada@example.org\nBea,\n", 2),
])
def test_an_unclosed_quote_is_refused_with_its_line(text: str, line: int) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_roster(csv_bytes(text), today=TODAY)
    assert err.value.message.startswith(f"line {line}: a quote is opened here and never closed")
    assert err.value.field == "file"
    assert not any(n in err.value.message for n in ("Bea", "Cy", "Dee", "example"))


def test_a_quote_closed_rows_later_makes_a_bad_row_not_one_merged_member() -> None:
    text = ("Name,Email,Emergency contact\n"
            "\"Ada,ada@example.org,\n"  # the name's quote is closed on the next line
            "Bea\",bea@example.org,\n"
            "Cy,,\"Dan, partner\n555-0102\"\n")  # several lines in a contact are fine
    parsed = parse_roster(csv_bytes(text), today=TODAY)
    assert parsed.problems == [
        "line 2: Name: the cell runs over several lines; check the quotes on this line (a "
        "quote opened here is closed too late)"]
    assert [(r.line, r.spec.emergency_contact) for r in parsed.rows] == [
        (4, "Dan, partner\n555-0102")]


def test_quotes_that_are_closed_are_read_as_before() -> None:
    text = ('Name,Email\nAda "the count" L,a@example.org\n"Bea ""B"" Smith",b@example.org\n'
            '"Cy","c@example.org"\n')
    parsed = parse_roster(csv_bytes(text), today=TODAY)
    assert parsed.bad == ()
    assert [r.spec.full_name for r in parsed.rows] == [
        'Ada "the count" L', 'Bea "B" Smith', "Cy"]


@pytest.mark.parametrize("value, written", [
    ('=HYPERLINK("http://x")', "'=HYPERLINK(\"http://x\")"),
    ("+44 20 7946 0000", "'+44 20 7946 0000"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"), ("\rcmd", "'\rcmd"),
    ("'=already quoted", "''=already quoted"),  # one more quote, so the import is exact
    ("''+x", "'''+x"), ("'plain", "'plain"), ("O'Brien", "O'Brien"), ("plain", "plain"),
    ("", ""),
])
def test_formula_cells_are_escaped_the_owasp_way_and_unescaped_exactly(
    value: str, written: str
) -> None:
    assert roster_csv.escape_cell(value) == written
    assert roster_csv.unescape_cell(written) == value
    [_, [cell]] = _csv_cells(roster_csv.roster_csv_bytes([["Name"], [value]]))
    assert cell == written


def test_the_same_person_twice_in_a_file_is_a_bad_row_unless_they_rejoined() -> None:
    text = ("Name,DOB,Email,Status,Joined,Ended\n"
            "Ada,1990-01-01,,left,2023-01-01,2023-06-01\n"
            "Ada,1990-01-01,,active,2024-01-01,\n"  # rejoined after leaving: fine
            "Bea,,bea@example.org,active,,\n"
            "Beatrix,,BEA@example.org,active,,\n")  # same email: the same person
    parsed = parse_roster(csv_bytes(text), today=TODAY)
    assert [(r.line, r.same_as) for r in parsed.rows] == [(2, None), (3, 2), (4, None)]
    assert parsed.problems == [
        "line 5: the same person as line 4 (same email) with different details; keep one "
        "row per person"]


@pytest.mark.parametrize("data, words", [
    (b"", "empty"),
    (b"  \r\n\r\n", "empty"),
    (codecs.BOM_UTF8, "empty"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "not a CSV text file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV text file"),
    ("Name\nJosé\n".encode("latin-1"), "not UTF-8 text (the first unreadable character is "
                                       "on line 2)"),
    (b"Email,Phone\na@example.org,1\n", "no name column"),
    (b"Name,Email,name\nA,,\n",
     "two columns for full name: \"Name\" (column 1) and \"name\" (column 3)"),
    (b"Name\n\"unterminated" + b"x" * 140_000 + b"\n", "cannot be read as CSV"),
])
def test_files_that_are_no_roster_get_a_clear_answer(data: bytes, words: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_roster(data)
    assert words in err.value.message
    assert err.value.field == "file"


def test_utf16_with_bom_is_read_too() -> None:
    parsed = parse_roster("Name\tPronouns\nמרים כהן\tshe/her\n".encode("utf-16"))
    assert parsed.delimiter == "\t"
    assert parsed.rows[0].spec.full_name == "מרים כהן"


def test_a_hundred_thousand_rows_get_a_clear_answer_quickly() -> None:
    data = ("Name,Email\n" + "".join(f"P{i},p{i}@example.org\n" for i in range(100_000)))
    with pytest.raises(InvalidInput) as err:
        parse_roster(data.encode())
    assert f"more than {MAX_ROWS:,} rows" in err.value.message


def test_progress_is_reported_up_to_the_total() -> None:
    seen: list[tuple[int, int]] = []
    data = ("Name\n" + "".join(f"P{i}\n" for i in range(1200))).encode()
    parse_roster(data, progress=lambda done, total: seen.append((done, total)))
    assert len(seen) >= 3
    assert seen[-1][0] == seen[-1][1]


# ---------------------------------------------------------------- importing


def test_import_writes_every_row_with_names_kept_exactly(vault: Vault) -> None:
    group_id = make_group(vault)
    quoted = ['"' + n.replace('"', '""') + '"' for n in TRICKY]
    text = "Name,Status\n" + "".join(f"{q},active\n" for q in quoted)
    parsed = parse_roster(csv_bytes(text), today=TODAY)
    assert parsed.bad == ()
    result = ops_roster.import_roster(vault, group_id, parsed).value
    assert (result.created, result.merged, result.skipped) == (len(TRICKY), 0, 0)
    names = sorted(r.full_name for r in query(vault, members.list_memberships, group_id))
    assert names == sorted(TRICKY)


def test_bad_rows_refuse_the_whole_import_unless_skipped(vault: Vault) -> None:
    group_id = make_group(vault)
    parsed = parse_roster(csv_bytes("Name,DOB\nAda,\nBea,99.99.1999\nCy,\n"), today=TODAY)
    with pytest.raises(InvalidInput, match="line 3"):
        ops_roster.import_roster(vault, group_id, parsed)
    assert counts(vault) == (0, 0)
    result = ops_roster.import_roster(vault, group_id, parsed, skip_bad=True).value
    assert (result.created, result.skipped) == (2, 1)
    assert counts(vault) == (2, 2)


def test_an_imported_membership_that_shares_a_day_with_another_names_its_line(
        vault: Vault) -> None:
    """Two rows of one person whose memberships share a day (ended on 30 June, back on
    30 June) would list them twice that day: the import is refused, naming the line,
    and writes nothing; back on 1 July it imports."""
    group_id = make_group(vault)
    text = ("Full name,Date of birth,Status,Joined,Ended\n"
            "Cara Same,1980-01-01,left,2024-01-01,2024-06-30\n"
            "Cara Same,1980-01-01,active,{back},\n")
    parsed = parse_roster(csv_bytes(text.format(back="2024-06-30")), today=TODAY)
    assert parsed.bad == ()
    with pytest.raises(InvalidInput, match="^Line 3: .*choose a date after 30 Jun 2024"):
        ops_roster.import_roster(vault, group_id, parsed)
    assert counts(vault) == (0, 0)
    parsed = parse_roster(csv_bytes(text.format(back="2024-07-01")), today=TODAY)
    assert ops_roster.import_roster(vault, group_id, parsed).value.created == 1
    assert counts(vault) == (1, 2)


def test_a_failure_half_way_through_the_write_leaves_nothing(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    group_id = make_group(vault)
    parsed = parse_roster(csv_bytes("Name\n" + "".join(f"P{i}\n" for i in range(10))))
    with vault.unit_of_work() as db:
        events_before = db.scalar(select(func.count()).select_from(AuditEvent))
    real = members.add_membership
    calls = {"n": 0}

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 10:  # the last row's membership
            raise GroupLeaderError("disk trouble")
        return real(*args, **kwargs)

    monkeypatch.setattr(members, "add_membership", failing)
    with pytest.raises(GroupLeaderError):
        ops_roster.import_roster(vault, group_id, parsed)
    monkeypatch.setattr(members, "add_membership", real)
    assert calls["n"] == 10
    assert counts(vault) == (0, 0)
    with vault.unit_of_work() as db:
        assert db.scalar(select(func.count()).select_from(AuditEvent)) == events_before


def test_an_import_over_the_group_maximum_is_refused_whole(vault: Vault) -> None:
    group_id = make_group(vault, max_size=3)
    parsed = parse_roster(csv_bytes("Name,Status\nA,active\nB,active\nC,waitlist\nD,active\n"
                                    "E,active\n"))
    with pytest.raises(InvalidInput, match="maximum is 3"):
        ops_roster.import_roster(vault, group_id, parsed)
    assert counts(vault) == (0, 0)


def test_duplicates_of_existing_members_must_be_merged_or_skipped(vault: Vault) -> None:
    group_id = make_group(vault)
    ada = ops_roster.create_member(vault, MemberSpec(
        "Ada Lovelace", dob=date(1990, 12, 10), phone="555-0100",
        presenting_concerns="kept as it is", also_written_as=("Addie",))).value
    bea = ops_roster.create_member(vault, MemberSpec("Bea", email="bea@example.org")).value
    text = ("Name,DOB,Email,Phone,Pronouns\n"
            "ada lovelace,10.12.1990,,,she/her\n"  # same name (any case) and birth date
            "Beatrix,,BEA@example.org,555-0199,\n"  # same email
            "Cy,,,,\n")
    parsed = parse_roster(csv_bytes(text), today=TODAY)
    dups = query(vault, roster_csv.find_duplicates, group_id, parsed)
    assert {line: (d.member_id, d.why) for line, d in dups.items()} == {
        2: (ada.id, "same full name and date of birth"), 3: (bea.id, "same email")}
    with pytest.raises(InvalidInput, match="line 2"):
        ops_roster.import_roster(vault, group_id, parsed)
    assert counts(vault) == (2, 0)

    result = ops_roster.import_roster(
        vault, group_id, parsed, on_duplicate={2: "merge", 3: "skip"}).value
    assert (result.created, result.merged, result.skipped) == (1, 1, 1)
    merged = query(vault, members.get_member, ada.id)
    assert merged.pronouns == "she/her" and merged.phone == "555-0100"  # blanks keep values
    assert merged.full_name == "ada lovelace"  # a filled cell replaces the stored value
    assert merged.presenting_concerns == "kept as it is"
    assert merged.also_written_as == ("Addie",)  # a name to hide is never dropped
    assert query(vault, members.get_member, bea.id).full_name == "Bea"  # skipped: untouched
    on_roster = {r.member_id for r in query(vault, members.list_memberships, group_id)}
    assert ada.id in on_roster and bea.id not in on_roster


def test_a_merged_duplicate_keeps_every_spelling_of_its_name(vault: Vault) -> None:
    """A merge keeps the union of the stored and the row's "also written as", and a name
    the row writes another way stays as one of them (old notes may use it)."""
    group_id = make_group(vault)
    naama = ops_roster.create_member(vault, MemberSpec(
        "Naama Levi", preferred_name="Nami", email="n@example.org",
        also_written_as=("Naamah", "נעמי"))).value
    text = ("Name,Preferred name,Email,Also written as\n"
            "נעמה לוי,,N@example.org,Naama L.; naamah; נעמה\n")
    parsed = parse_roster(csv_bytes(text), today=TODAY)
    assert parsed.rows[0].spec.also_written_as == ("Naama L.", "naamah", "נעמה")
    ops_roster.import_roster(vault, group_id, parsed, on_duplicate="merge")
    merged = query(vault, members.get_member, naama.id)
    assert merged.full_name == "נעמה לוי" and merged.preferred_name == "Nami"
    assert merged.also_written_as == ("Naamah", "נעמי", "Naama L.", "נעמה", "Naama Levi")
    # and the export writes them, so a round trip keeps them
    rows = query(vault, roster_csv.export_rows, group_id)
    assert rows[0][-1] == "Also written as"
    assert rows[1][-1] == "Naamah; נעמי; Naama L.; נעמה; Naama Levi"


def test_round_trip_export_then_import_keeps_every_field(vault_factory, tmp_path: Path) -> None:
    source = vault_factory("a.vault")
    group_id = make_group(source)
    people = [
        (MemberSpec(TRICKY[0], preferred_name=TRICKY[1], pronouns="they/them",
                    dob=date(1980, 2, 29), phone="+44 20 7946 0000", email="q@example.org",
                    emergency_contact="Sam, \"partner\"\n555-0101; evenings"), "active"),
        (MemberSpec(TRICKY[2], dob=date(2001, 1, 1)), "waitlist"),
        (MemberSpec(TRICKY[4], email="m@example.org"), "active"),
        (MemberSpec("  spaced name  "), "referred"),
        (MemberSpec("=HYPERLINK(\"http://x\",\"Ada\")", preferred_name="'=Ada",
                    pronouns="-", phone="+1 555 0100"), "active"),  # formulas: escaped
    ]
    for spec, status in people:
        m = ops_roster.create_member(source, spec).value
        ops_roster.add_membership(source, m.id, group_id, status, date(2024, 1, 8))
    ms = query(source, members.list_memberships, group_id)[0].membership_id
    ops_roster.change_status(source, ms, "graduated", date(2024, 9, 3), "done")
    ops_roster.rejoin(source, ms, date(2025, 1, 6), "active")
    out = tmp_path / "roster.csv"
    assert ops_roster.export_roster(source, group_id, out).value == 6
    assert out.read_bytes().startswith(codecs.BOM_UTF8)
    assert "kept as it is" not in out.read_text("utf-8-sig")
    assert not any(c.startswith(roster_csv.FORMULA_STARTS) for row in _csv_cells(
        out.read_bytes()) for c in row)

    target = vault_factory("b.vault")
    group_b = make_group(target)
    parsed = parse_roster(out.read_bytes())
    assert parsed.bad == ()
    ops_roster.import_roster(target, group_b, parsed)
    assert query(target, roster_csv.export_rows, group_b) == query(
        source, roster_csv.export_rows, group_id)
    assert counts(target) == (5, 6)  # the rejoined member is one person with two memberships


def _csv_cells(data: bytes) -> list[list[str]]:
    """The cells of a file as a spreadsheet program receives them."""
    import csv
    import io

    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


_FORMULA_PREFIXES = st.sampled_from(["=", "+", "-", "@", "'=", "''+", "'-", "'", "''", ""])
# What the member services store: trimmed, on one line.
_STORED = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")),
                  max_size=20)


@st.composite
def _values(draw: st.DrawFn) -> str:
    return (draw(_FORMULA_PREFIXES) + draw(_STORED)).strip()


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.tuples(_values(), _values(), _values(), _values()), min_size=1,
                     max_size=5))
def test_an_export_reads_back_exactly_formula_looking_values_included(
    rows: list[tuple[str, str, str, str]]
) -> None:
    """Exported cells (with the formula escape) parse back to exactly the stored values,
    and none of them starts a formula in a spreadsheet."""
    rows = [(name if has_visible(name) else "=" + TRICKY[0], *rest)
            for name, *rest in rows]  # a name with something visible in it is required
    header = [label for _, label in roster_csv.COLUMNS]
    data = roster_csv.roster_csv_bytes(
        [header] + [[name, pref, pron, "", phone, "", "", "active", "2024-01-08", ""]
                    for name, pref, pron, phone in rows])
    for cells in _csv_cells(data):
        assert not any(c.startswith(roster_csv.FORMULA_STARTS) for c in cells)
    parsed = parse_roster(data, today=TODAY)
    assert all("Shorten" in b.reason for b in parsed.bad)  # only the member rules refuse
    by_line = {r.line: r.spec for r in parsed.rows}
    for i, (name, pref, pron, phone) in enumerate(rows):
        spec = by_line.get(i + 2)
        if spec is None:
            continue  # refused by the member rules (a pronoun over 40 characters)
        assert (spec.full_name, spec.preferred_name, spec.pronouns, spec.phone) == (
            name, pref, pron, phone)


# ---------------------------------------------------------------- never a crash, never a part

_header_cells = st.sampled_from(
    [
        "Name",
        "Full name",
        "First name",
        "Last name",
        "Preferred name",
        "Pronouns",
        "Date of birth",
        "DOB",
        "Phone",
        "Email",
        "E-mail",
        "Emergency contact",
        "Status",
        "Joined",
        "Joined date",
        "Ended",
        "Notes",
        "",
        "name",
    ]
)
_cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "2024-01-05",
            "05.01.2024",
            "31/02/2020",
            "active",
            "waitlist",
            "left",
            "graduated",
            "a@example.org",
            "bad@",
            '"',
            ";",
            ",",
            "\n",
            "=1+1",
        ]
    ),
    st.sampled_from(TRICKY),
)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    if draw(st.booleans()) and draw(st.booleans()):
        return draw(st.binary(max_size=300))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    header = draw(st.lists(_header_cells, min_size=0, max_size=6, unique=True))
    if draw(st.integers(0, 4)):  # mostly a file with a name column, sometimes none
        header.insert(
            draw(st.integers(0, len(header))),
            draw(st.sampled_from(["Name", "Full name", "First name"])),
        )
    rows = draw(st.lists(st.lists(_cells, min_size=1, max_size=8), min_size=1, max_size=6))
    quote = draw(st.booleans())

    def line(cells: list[str]) -> str:
        if quote:
            return delimiter.join('"' + c.replace('"', '""') + '"' for c in cells)
        return delimiter.join(cells)

    text = "\n".join(line(r) for r in [header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]))
    return text.encode(encoding, errors="replace")


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=csv_files(), skip_bad=st.booleans(), choice=st.sampled_from(["merge", "skip", None]))
def test_any_file_is_refused_cleanly_or_imported_whole(
    vault: Vault, data: bytes, skip_bad: bool, choice: str | None
) -> None:
    if not hasattr(vault, "_roster_group"):
        vault._roster_group = make_group(vault, max_size=100)  # type: ignore[attr-defined]
    group_id = vault._roster_group  # type: ignore[attr-defined]
    before = counts(vault)
    try:
        parsed = parse_roster(data, today=TODAY)
    except InvalidInput as err:
        assert err.field == "file" and err.message
        event("file refused")
        return
    assert all(b.line >= 2 for b in parsed.bad)
    try:
        result = ops_roster.import_roster(
            vault, group_id, parsed, on_duplicate=choice, skip_bad=skip_bad).value
    except InvalidInput:
        assert counts(vault) == before  # refused: not one row written
        event("import refused")
        return
    event("imported" if parsed.rows else "imported nothing")
    after = counts(vault)
    assert after[0] == before[0] + result.created
    assert after[1] == before[1] + len(result.membership_ids)
    assert result.created + result.merged + result.skipped == len(parsed.rows) + len(parsed.bad)


def test_a_one_letter_other_spelling_is_a_bad_row_that_says_why() -> None:
    text = "Name,Also written as\nZoë Lindqvist,Z; Zoe L.\nAda Lee,Addie\n"
    parsed = parse_roster(csv_bytes(text), today=TODAY)
    assert [r.spec.full_name for r in parsed.rows] == ["Ada Lee"]
    [bad] = parsed.problems
    assert "2" in str(bad) and "single letter" in str(bad)
