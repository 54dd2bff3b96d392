"""Search finds words in each kind of note, keeps private notes out unless asked, and
never chokes on FTS syntax typed by a user."""

from __future__ import annotations

import pytest
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groupleader.data import migrate, search
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.snapshots import GroupNoteFields, MemberNoteFields
from groupleader.data.vault import Vault
from tests.conftest import PIN
from tests.data.conftest import World


@pytest.fixture
def filled(vault: Vault, world: World) -> dict[str, int]:
    m = world.held
    gn = ops_notes.save_group_note(vault, m, GroupNoteFields(themes="Jealousy and rivalry")).value
    mn = ops_notes.save_member_note(vault, m, world.anna,
                                MemberNoteFields(response="tearful, then café")).value
    pn = ops_notes.save_private_note(vault, m, "countertransference: boredom and rivalry").value
    return {"group": world.group, "meeting": m, "anna": world.anna, "lead": world.lead,
            "gn": gn.id, "mn": mn.id, "pn": pn.id}


def test_finds_a_word_in_group_and_member_notes(vault: Vault, filled: dict[str, int]) -> None:
    (hit,) = query(vault, search.search, "jealousy")
    assert (hit.kind, hit.note_id, hit.meeting_id) == ("group", filled["gn"], filled["meeting"])
    assert hit.group_name == "Tuesday group" and "[Jealousy]" in hit.snippet
    assert hit.member_id is None and hit.member_name is None and hit.addendum_of is None
    (hit,) = query(vault, search.search, "tearful")
    assert (hit.kind, hit.note_id, hit.member_id) == ("member", filled["mn"], filled["anna"])
    assert hit.member_name == "Annie"  # the preferred name
    assert query(vault, search.search, "cafe")[0].note_id == filled["mn"]  # diacritics folded


def test_private_notes_only_when_asked(vault: Vault, filled: dict[str, int]) -> None:
    assert query(vault, search.search, "boredom") == []
    assert {h.kind for h in query(vault, search.search, "rivalry")} == {"group"}
    (hit,) = query(vault, search.search, "boredom", include_private=True)
    assert (hit.kind, hit.note_id) == ("private", filled["pn"])
    assert {h.kind for h in query(vault, search.search, "rivalry", include_private=True)} == {
        "group", "private"}


def test_index_follows_edits(vault: Vault, filled: dict[str, int]) -> None:
    ops_notes.save_group_note(vault, filled["meeting"], GroupNoteFields(themes="shame"))
    assert query(vault, search.search, "jealousy") == []
    assert [h.note_id for h in query(vault, search.search, "shame")] == [filled["gn"]]


def test_prefix_of_last_word_and_all_words_required(vault: Vault, filled: dict[str, int]) -> None:
    assert [h.kind for h in query(vault, search.search, "jeal")] == ["group"]
    assert query(vault, search.search, "jealousy tearful") == []


@pytest.mark.parametrize("words", ['"', 'rival*"', "-rivalry", "themes:rivalry", "(rivalry",
                                   "rivalry OR", "NOT", "NEAR(a b)", "a AND", "^", "", "   ",
                                   "'; DROP TABLE note_fts; --"])
def test_fts_syntax_characters_never_raise(
    vault: Vault, filled: dict[str, int], words: str
) -> None:
    hits = query(vault, search.search, words)
    assert isinstance(hits, list)
    if words.strip('-("*') == "rivalry":  # the punctuation is plain text, not syntax
        assert [h.kind for h in hits] == ["group"]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.text(max_size=40))
def test_any_text_is_a_safe_query(vault: Vault, words: str) -> None:
    assert isinstance(query(vault, search.search, words), list)


def test_addenda_are_found_with_their_notes_meeting_and_member(
    vault: Vault, filled: dict[str, int]
) -> None:
    for kind in ("group", "member", "private"):
        ops_notes.sign_note(
            vault,
            kind,
            filled[{"group": "gn", "member": "mn", "private": "pn"}[kind]],
            filled["lead"], pin=PIN
        )
    status = ops_notes.add_addendum(
        vault, "member", filled["mn"], filled["lead"], "Zephyr calmer", pin=PIN
    ).value
    ops_notes.add_addendum(vault, "private", filled["pn"], filled["lead"], "zephyr in me too",
                           pin=PIN)
    (hit,) = query(vault, search.search, "zephyr")
    assert (hit.kind, hit.note_id, hit.addendum_of) == ("addendum", status.addenda[0].id, "member")
    assert (hit.meeting_id, hit.member_id, hit.member_name) == (
        filled["meeting"],
        filled["anna"],
        "Annie",
    )
    assert hit.group_name == "Tuesday group" and "[Zephyr]" in hit.snippet
    both = query(vault, search.search, "zephyr", include_private=True)
    assert [h.addendum_of for h in both] == ["private", "member"]  # newest first
    assert both[0].member_id is None


def test_migration_0002_indexes_addenda_written_before_it(
    vault: Vault, filled: dict[str, int]
) -> None:
    ops_notes.sign_note(vault, "group", filled["gn"], filled["lead"], pin=PIN)
    ops_notes.add_addendum(vault, "group", filled["gn"], filled["lead"], "Xylograph remembered",
                           pin=PIN)
    cfg = migrate._config()
    with vault.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    assert query(vault, search.search, "xylograph") == []  # 0001 does not index addenda
    with vault.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    assert [h.kind for h in query(vault, search.search, "xylograph")] == ["addendum"]
    assert [h.kind for h in query(vault, search.search, "jealousy")] == ["group"]  # notes untouched


def test_long_note_snippet_marks_the_first_match_in_context() -> None:
    body = "word " * 5_000 + "the Café scene, then café again " + "filler " * 5_000
    snippet = search.long_snippet(body, "cafe")
    assert "[Café] scene, then [café] again" in snippet
    assert snippet.startswith("…") and snippet.endswith("…") and len(snippet) < 300
    assert search.long_snippet(body, "sce").count("[scene]") == 1  # the last word is a prefix
    assert search.long_snippet("no match here", "zebra") == "no match here"
    assert search.long_snippet("‏שלום‎ עליכם", "עליכם") == "‏שלום‎ [עליכם]"


def test_a_word_repeated_through_a_long_note_is_found_with_a_snippet(
    vault: Vault, world: World
) -> None:
    body = " ".join(["rivalry again"] * 20_000)
    assert len(body) > search.LONG_NOTE
    ops_notes.save_private_note(vault, world.held, body)
    (hit,) = query(vault, search.search, "rivalry", include_private=True)
    assert hit.snippet.startswith("[rivalry] again [rivalry]") and len(hit.snippet) < 300


@pytest.mark.parametrize("written", ["Zoë", "ZOË", "Zoe\u0308", "zoe", "Zoé", "Zøe", "Zoë"])
def test_find_marks_a_word_exactly_where_the_redactor_would_match_it(written: str) -> None:
    """Find's snippet and de-identification fold alike (groupleader.folding): a form
    Find marks for "Zoë" is a form a de-identified export hides, and the other way round."""
    from groupleader.folding import fold

    body = "x " * 200 + f"Later {written} spoke."
    marked = f"[{written}]" in search.long_snippet(body, "Zoë")
    assert marked == (fold(written) == fold("Zoë"))
