"""The verification code's own promises: a typo is never taken for a code, a code is
derived again from the record alone, and an amendment is told apart from an addendum."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from groupleader.data import paper_codes
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.snapshots import GroupNoteFields, MemberNoteFields
from groupleader.data.vault import Vault
from tests.conftest import PIN
from tests.data.conftest import World

BODIES = st.text(alphabet=paper_codes.ALPHABET, min_size=15, max_size=15)


def code_of(body: str) -> str:
    return body + paper_codes.check_char(body)


@given(BODIES, st.integers(0, 15), st.sampled_from(paper_codes.ALPHABET))
def test_any_one_mistyped_character_is_a_typo(body: str, at: int, char: str) -> None:
    code = code_of(body)
    typed = code[:at] + char + code[at + 1:]
    assert (paper_codes.typo_in(typed) is None) == (typed == code)


@given(BODIES, st.integers(0, 14))
def test_any_two_neighbours_swapped_is_a_typo(body: str, at: int) -> None:
    code = code_of(body)
    typed = code[:at] + code[at + 1] + code[at] + code[at + 2:]
    assert (paper_codes.typo_in(typed) is None) == (typed == code)


def test_spaces_dashes_and_case_are_not_part_of_a_code() -> None:
    code = code_of("7KQ2M9XD4FHTPW3")
    assert paper_codes.typo_in(f"  {code[:4].lower()} – {code[4:8]}.{code[8:]} ") is None
    assert paper_codes.pretty(code) == f"{code[:4]}-{code[4:8]}-{code[8:12]}-{code[12:]}"
    assert all(c not in paper_codes.ALPHABET for c in "0O1IL")
    problem = paper_codes.typo_in(code[:3] + "0" + code[4:])
    assert problem is not None and "never use 0, O, 1, I or L" in problem
    short = paper_codes.typo_in(code[:-2])
    assert short is not None and "14 characters" in short


def _signed_member_note(vault: Vault, world: World) -> int:
    note = ops_notes.save_member_note(vault, world.held, world.anna, MemberNoteFields(
        participation="Spoke about the week.")).value
    ops_notes.sign_note(vault, "member", note.id, world.lead, pin=PIN)
    return note.id


def test_the_code_is_derived_again_from_the_record_alone(vault: Vault, world: World) -> None:
    note = _signed_member_note(vault, world)
    first = query(vault, paper_codes.session_code, world.held)
    assert query(vault, paper_codes.session_code, world.held) == first
    assert query(vault, paper_codes.session_code, world.held, True) != first  # process notes
    extract = query(vault, paper_codes.extract_code, world.group, world.anna, [note])
    assert extract != first
    with vault.unit_of_work() as db:
        tables = {r[0] for r in db.execute(text("SELECT name FROM sqlite_master"))}
    assert not any("code" in name for name in tables)  # nothing was stored to find it again
    assert query(vault, paper_codes.check_code, first).ok
    assert query(vault, paper_codes.check_code, extract).ok


def test_an_amendment_is_told_apart_from_an_addendum(vault: Vault, world: World) -> None:
    """A paper printed before an amendment of the session says an amendment was added."""
    gn = ops_notes.save_group_note(vault, world.held, GroupNoteFields(themes="Trust")).value
    ops_notes.sign_note(vault, "group", gn.id, world.lead, pin=PIN)
    code = query(vault, paper_codes.session_code, world.held)
    ops_notes.add_amendment(vault, world.held, world.lead,
                            {"field": "attendance", "member_id": world.anna, "to": "present"},
                            "She came; the mark was missed.", pin=PIN)
    result = query(vault, paper_codes.check_code, code)
    assert result.outcome == paper_codes.ADDED
    assert "an amendment was added to the group note" in result.lines[1]


def test_a_draft_sessions_notes_are_read_together_and_digest_as_each_alone(
        vault: Vault, world: World) -> None:
    """A session's unsigned notes are read in one query a kind; each draft digest is
    the one its row read alone gives (so a paper printed before still checks), and an
    edit to one draft changes the code."""
    ops_notes.save_group_note(vault, world.held, GroupNoteFields(themes="Trust <b>&"))
    ops_notes.save_member_note(vault, world.held, world.bo, MemberNoteFields(
        participation="Quiet; café with Zoë 😊", plan="Next week"))
    _signed_member_note(vault, world)  # Anna's: signed, no draft digest
    with vault.unit_of_work() as db:
        doc = paper_codes._document(db, paper_codes.Scope("session", meeting_id=world.held),
                                    full=False)
        assert doc is not None
        drafts = {(n.kind, n.id): n.draft_digest for n in doc.notes if n.signature is None}
        assert len(drafts) == 2
        for (kind, note_id), digest in drafts.items():
            assert digest == paper_codes._draft_digest(db, kind, note_id, {})
        statements: list[str] = []
        raw = db.connection().connection.driver_connection  # the code reads through it
        assert raw is not None
        raw.set_trace_callback(statements.append)
        try:
            paper_codes.session_code(db, world.held)
        finally:
            raw.set_trace_callback(None)
    assert any("FROM \"member_notes\" WHERE meeting_id" in s for s in statements)
    note_reads = [s for s in statements if "_notes\" WHERE id =" in s]
    assert note_reads == []  # none note by note
    code = query(vault, paper_codes.session_code, world.held)
    assert query(vault, paper_codes.check_code, code).ok
    ops_notes.save_member_note(vault, world.held, world.bo, MemberNoteFields(
        participation="Quiet; café with Zoë 😊", plan="Next week, again"))
    assert query(vault, paper_codes.session_code, world.held) != code
