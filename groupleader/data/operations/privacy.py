"""Operations on what de-identification hides: the vault's general terms to hide, and a
member's other spellings ("also written as") added from an export's review."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from groupleader.data.operations.base import Changes, Done, unit
from groupleader.data.operations.roster import spec_of
from groupleader.data.services import hide_terms, members
from groupleader.data.vault import Vault

TERMS_CHANGED = Changes(hide_terms=True)


def add_hide_term(vault: Vault, term: str) -> Done[int | None]:
    """A general term to hide; None (nothing written) when it is hidden already."""
    with unit(vault) as u:
        term_id = hide_terms.add_term(u.db, term)
        if term_id is None:
            return Done(None)
        u.audit("hide_term.create", "hide_term", term_id)
        return Done(term_id, TERMS_CHANGED)


def remove_hide_term(vault: Vault, term_id: int) -> Done[bool]:
    with unit(vault) as u:
        removed = hide_terms.remove_term(u.db, term_id)
        if removed:
            u.audit("hide_term.delete", "hide_term", term_id)
        return Done(removed, TERMS_CHANGED if removed else Changes())


def hide_words(vault: Vault, spellings: Iterable[tuple[int, str]] = (),
               terms: Iterable[str] = ()) -> Done[int]:
    """What an export's review chose to hide, in one step: each (member id, word) becomes
    one of that member's "also written as", each term a general term to hide. Returns how
    many were new; all or nothing is written (a bad word names its field)."""
    added = 0
    changed = Changes()
    with unit(vault) as u:
        by_member: dict[int, list[str]] = {}
        for member_id, word in spellings:
            by_member.setdefault(member_id, []).append(word)
        for member_id, words in by_member.items():
            m = members.get_member(u.db, member_id)
            before = len(m.also_written_as)
            spec = replace(spec_of(m), also_written_as=(*m.also_written_as, *words))
            after = members.update_member(u.db, member_id, spec)
            if len(after.also_written_as) > before:
                added += len(after.also_written_as) - before
                u.audit("member.update", "member", member_id)
                groups = tuple(members.groups_of_member(u.db, member_id))
                changed |= Changes(groups=frozenset(groups), roster=True,
                                   members=frozenset({member_id}))
        for term in terms:
            term_id = hide_terms.add_term(u.db, term)
            if term_id is not None:
                added += 1
                u.audit("hide_term.create", "hide_term", term_id)
                changed |= TERMS_CHANGED
    return Done(added, changed)


def check_word(word: str, member_id: int | None) -> str:
    """The word as it would be stored (as a general term, or as a member's other
    spelling); InvalidInput, writing nothing, for one that cannot be hidden."""
    term = hide_terms.clean_term(word)  # one line, two letters or more
    if member_id is None:
        return term
    return members.check_also_written_as([term])[0]
