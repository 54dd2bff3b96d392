"""Search finds words in each kind of note, keeps private notes out unless asked, and
never chokes on FTS syntax typed by a user."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groupleader.data import search
from groupleader.data.services import clinicians, groups, meetings, members, notes
from groupleader.data.snapshots import (
    ClinicianSpec,
    GroupNoteFields,
    GroupSpec,
    MemberNoteFields,
    MemberSpec,
)
from groupleader.data.vault import Vault


@pytest.fixture
def filled(vault: Vault) -> dict[str, int]:
    lead = clinicians.create_clinician(vault, ClinicianSpec("Ada Leader", "leader")).id
    g = groups.create_group(vault, GroupSpec("Tuesday group", "support", (lead,))).id
    anna = members.create_member(vault, MemberSpec("Anna Lee")).id
    members.add_membership(vault, anna, g, "active", date(2029, 1, 1))
    m = meetings.schedule_meeting(vault, g, datetime(2030, 1, 1, 17, tzinfo=UTC)).id
    gn = notes.save_group_note(vault, m, GroupNoteFields(themes="Jealousy and rivalry"))
    mn = notes.save_member_note(vault, m, anna, MemberNoteFields(response="tearful, then café"))
    pn = notes.save_private_note(vault, m, "countertransference: boredom and rivalry")
    return {"group": g, "meeting": m, "anna": anna, "gn": gn.id, "mn": mn.id, "pn": pn.id}


def test_finds_a_word_in_group_and_member_notes(vault: Vault, filled: dict[str, int]) -> None:
    (hit,) = search.search(vault, "jealousy")
    assert (hit.kind, hit.note_id, hit.meeting_id) == ("group", filled["gn"], filled["meeting"])
    assert hit.group_name == "Tuesday group" and "[Jealousy]" in hit.snippet
    (hit,) = search.search(vault, "tearful")
    assert (hit.kind, hit.note_id, hit.member_id) == ("member", filled["mn"], filled["anna"])
    assert search.search(vault, "cafe")[0].note_id == filled["mn"]  # diacritics folded


def test_private_notes_only_when_asked(vault: Vault, filled: dict[str, int]) -> None:
    assert search.search(vault, "boredom") == []
    assert {h.kind for h in search.search(vault, "rivalry")} == {"group"}
    (hit,) = search.search(vault, "boredom", include_private=True)
    assert (hit.kind, hit.note_id) == ("private", filled["pn"])
    assert {h.kind for h in search.search(vault, "rivalry", include_private=True)} == {
        "group", "private"}


def test_index_follows_edits(vault: Vault, filled: dict[str, int]) -> None:
    notes.save_group_note(vault, filled["meeting"], GroupNoteFields(themes="shame"))
    assert search.search(vault, "jealousy") == []
    assert [h.note_id for h in search.search(vault, "shame")] == [filled["gn"]]


def test_prefix_of_last_word_and_all_words_required(vault: Vault, filled: dict[str, int]) -> None:
    assert [h.kind for h in search.search(vault, "jeal")] == ["group"]
    assert search.search(vault, "jealousy tearful") == []


@pytest.mark.parametrize("query", ['"', 'rival*"', "-rivalry", "themes:rivalry", "(rivalry",
                                   "rivalry OR", "NOT", "NEAR(a b)", "a AND", "^", "", "   ",
                                   "'; DROP TABLE note_fts; --"])
def test_fts_syntax_characters_never_raise(
    vault: Vault, filled: dict[str, int], query: str
) -> None:
    hits = search.search(vault, query)
    assert isinstance(hits, list)
    if query.strip('-("*') == "rivalry":  # the punctuation is plain text, not syntax
        assert [h.kind for h in hits] == ["group"]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=40))
def test_any_text_is_a_safe_query(vault: Vault, query: str) -> None:
    assert isinstance(search.search(vault, query), list)
