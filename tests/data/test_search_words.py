"""Search cuts words where the index does (migration 0014): a word touching an emoji is
found by itself, and a word typed with its accents apart (NFD) is the word the index
holds; notes indexed before the upgrade are found the same way after it."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import text

from groupleader.data import search
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.snapshots import MemberNoteFields
from groupleader.data.vault import Vault
from tests.conftest import open_vault
from tests.data.conftest import World, downgrade_to

TOUCHING = "Felt tearful🙂 after the call, 🤔relieved later; ⏳waiting➡️home 🫠 melt✨ing"
SPACED = "Felt tearful 🙂 after the call, 🤔 relieved later; ⏳ waiting ➡️ home 🫠 melt ✨ ing"
QUERIES = ("tearful after", "relieved", "relieved later", "waiting", "home", "melt",
           "tearful🙂", "🤔relieved", "after the call")


def _found(vault: Vault, words: str) -> list[int]:
    return sorted(h.note_id for h in query(vault, search.search, words))


def _save(vault: Vault, world: World) -> tuple[int, int]:
    touching = ops_notes.save_member_note(
        vault, world.held, world.anna, MemberNoteFields(participation=TOUCHING)).value
    spaced = ops_notes.save_member_note(
        vault, world.held, world.bo, MemberNoteFields(participation=SPACED)).value
    return touching.id, spaced.id


@pytest.mark.parametrize("words", QUERIES)
def test_a_word_touching_an_emoji_is_found_as_the_same_word_apart(
    vault: Vault, world: World, words: str
) -> None:
    both = sorted(_save(vault, world))
    assert _found(vault, words) == both


def test_a_query_typed_with_its_accents_apart_finds_the_accented_word(
    vault: Vault, world: World
) -> None:
    composed = ops_notes.save_member_note(
        vault, world.held, world.anna, MemberNoteFields(participation="Talked of Björk")).value
    apart = ops_notes.save_member_note(
        vault, world.held, world.bo,
        MemberNoteFields(participation=unicodedata.normalize("NFD", "Björkman came"))).value
    both = sorted((composed.id, apart.id))
    for typed in ("Björk", "björk", "bjork"):
        assert _found(vault, unicodedata.normalize("NFD", typed)) == both, typed
        assert _found(vault, unicodedata.normalize("NFC", typed)) == both, typed
    assert _found(vault, unicodedata.normalize("NFD", "Björkman")) == [apart.id]
    assert search.query_words(unicodedata.normalize("NFD", "Zoë's café")) == [
        "Zoë", "s", "café"]
    # a letter and accent with no composed form stay one word, as in the index
    marked = ops_notes.save_member_note(
        vault, world.held, world.anna, MemberNoteFields(participation="Said xq\u0308y twice")
    ).value
    assert _found(vault, "xq\u0308y") == [marked.id]


def test_notes_indexed_before_the_upgrade_are_cut_at_emoji_after_it(
    vault: Vault, world: World
) -> None:
    touching, spaced = _save(vault, world)
    downgrade_to(vault, "0013_attendance_by_membership")
    assert _found(vault, "relieved") == [spaced]  # the old index kept "🤔relieved" whole
    path = vault.path
    vault.close()
    with open_vault(path) as again:  # upgraded on open: the index made again and refilled
        with again.unit_of_work() as db:
            made = str(db.execute(text(
                "SELECT sql FROM sqlite_master WHERE name = 'note_fts'")).scalar_one())
        assert "separators" in made and "prefix = '3'" in made
        for words in QUERIES:
            assert _found(again, words) == sorted((touching, spaced)), words
