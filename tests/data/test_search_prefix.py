"""The search index keeps 3-letter prefixes (migration 0010): a prefix finds what the
whole words find, and the notes written before the upgrade are still found after it."""

from __future__ import annotations

from sqlalchemy import text

from groupleader.data import search
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.snapshots import MemberNoteFields
from groupleader.data.vault import Vault
from tests.conftest import open_vault
from tests.data.conftest import World, downgrade_to


def _index_sql(vault: Vault) -> str:
    with vault.unit_of_work() as db:
        return str(db.execute(text(
            "SELECT sql FROM sqlite_master WHERE name = 'note_fts'")).scalar_one())


def _found(vault: Vault, words: str) -> list[int]:
    return sorted(h.note_id for h in query(vault, search.search, words))


def test_the_index_keeps_three_letter_prefixes_and_finds_the_same_notes(
    vault: Vault, world: World
) -> None:
    assert "prefix = '3'" in _index_sql(vault)
    for member, words in ((world.anna, "anxious about anticipation"),
                          (world.bo, "angry, then calm")):
        ops_notes.save_member_note(vault, world.held, member,
                                   MemberNoteFields(participation=words))
    assert len(_found(vault, "ant")) == 1
    assert len(_found(vault, "anx")) == 1
    assert _found(vault, "an") == []  # two letters: matched whole, as before
    assert _found(vault, "ang") == _found(vault, "angry")


def test_notes_indexed_before_the_upgrade_are_found_after_it(
    vault: Vault, world: World
) -> None:
    ops_notes.save_member_note(vault, world.held, world.anna,
                               MemberNoteFields(participation="anticipation of the break"))
    downgrade_to(vault, "0006_signing_pins")
    assert "prefix" not in _index_sql(vault)
    path = vault.path
    vault.close()
    with open_vault(path) as again:  # upgraded on open: the index made again and refilled
        assert "prefix = '3'" in _index_sql(again)
        assert len(_found(again, "ant")) == 1
        assert len(_found(again, "anticipation")) == 1
