"""Replace people's names and contact details in free text: the one de-identification step.

`collect.py` runs every piece of member-related text through a `Redactor` before it
reaches a report dataclass, so no later code (layout, metadata, file names) can print
a name that was meant to be hidden.

What is replaced:
- each member's full name, preferred name and every word of them (two letters or more),
  whole words only, ignoring case, by that member's alias (pseudonym or initials); a word
  shared by two members ("Anna") becomes "[member]" since it cannot be told apart;
- each member's phone number (whatever the separators), e-mail address, emergency
  contact and date of birth (in the common written forms);
- with `scrub_contacts`, anything that looks like an e-mail address or a phone number
  (nine digits or more), whoever it belongs to.
Over-replacing (a member called "Hope" turns the word "hope" into initials) is the
accepted price of never leaking a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\w)\+?(?:\d[\s().\-/]{0,2}){8,}\d(?!\w)")
AMBIGUOUS = "[member]"


@dataclass(frozen=True)
class Identity:
    """What identifies one member, and the alias that stands in for them."""

    member_id: int
    full_name: str
    preferred_name: str
    alias: str
    phone: str = ""
    email: str = ""
    emergency_contact: str = ""
    dob: date | None = None


def _name_words(identity: Identity) -> set[str]:
    words = {identity.full_name.strip(), identity.preferred_name.strip()}
    for name in (identity.full_name, identity.preferred_name):
        words.update(w.strip(".,;:'\"()") for w in re.split(r"[\s\-]+", name))
    return {w for w in words if len(w) >= 2}


def _dob_forms(day: date) -> set[str]:
    month, short = day.strftime("%B"), day.strftime("%b")
    d, m, y = day.day, day.month, day.year
    forms = {
        day.isoformat(), f"{d}/{m}/{y}", f"{d:02d}/{m:02d}/{y}", f"{m}/{d}/{y}",
        f"{m:02d}/{d:02d}/{y}", f"{d}.{m}.{y}", f"{d:02d}.{m:02d}.{y}", f"{d}-{m}-{y}",
        f"{d:02d}-{m:02d}-{y}",
    }
    for mon in (month, short):
        forms |= {f"{d} {mon} {y}", f"{mon} {d}, {y}", f"{mon} {d} {y}", f"{d}. {mon} {y}"}
    return forms


def _phone_pattern(phone: str) -> str | None:
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 5:
        return None
    return r"\+?" + r"[\s().\-/]{0,2}".join(digits)


class Redactor:
    """Replaces the identities' names (except `keep`) and contact details in text."""

    def __init__(
        self, identities: Iterable[Identity], keep: Iterable[int] = (),
        scrub_contacts: bool = True,
    ) -> None:
        self.identities = {i.member_id: i for i in identities}
        self.keep = frozenset(keep)
        self.scrub_contacts = scrub_contacts
        owners: dict[str, set[int]] = {}
        secrets: list[str] = []
        for ident in self.identities.values():
            for word in _name_words(ident):
                owners.setdefault(word.casefold(), set()).add(ident.member_id)
        # A word only kept members bear stays; one shared with a kept member is ambiguous,
        # so it is hidden without naming anyone.
        owners = {w: ids for w, ids in owners.items() if not ids <= self.keep}
        for ident in self.identities.values():
            if ident.member_id in self.keep:
                continue
            for value in (ident.email, ident.emergency_contact):
                if value.strip():
                    secrets.append(re.escape(value.strip()))
            pattern = _phone_pattern(ident.phone)
            if pattern:
                secrets.append(pattern)
            if ident.dob is not None:
                secrets.extend(re.escape(f) for f in _dob_forms(ident.dob))
        self._alias = {
            word: self.identities[next(iter(ids))].alias if len(ids) == 1 else AMBIGUOUS
            for word, ids in owners.items()
        }
        words = sorted(owners, key=len, reverse=True)
        self._names = (
            re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)(\.?)",
                       re.IGNORECASE)
            if words else None
        )
        secrets.sort(key=len, reverse=True)
        self._secrets = (
            re.compile("|".join(secrets), re.IGNORECASE) if secrets else None
        )

    def text(self, value: str) -> str:
        """`value` with the hidden names and every listed contact detail replaced."""
        if not value:
            return value
        if self._secrets is not None:
            value = self._secrets.sub("[removed]", value)
        if self.scrub_contacts:
            value = _EMAIL.sub("[e-mail removed]", value)
            value = _PHONE.sub("[phone removed]", value)
        if self._names is not None:
            value = self._names.sub(self._replace_name, value)
        return value

    def _replace_name(self, match: re.Match[str]) -> str:
        alias = self._alias[match.group(1).casefold()]
        # "... M.K." rather than "... M.K.." at the end of a sentence
        return alias if alias.endswith(".") else alias + match.group(2)

    def hides(self, member_id: int | None) -> bool:
        return member_id is not None and member_id not in self.keep


class NoRedaction(Redactor):
    """Text passes unchanged (an ordinary, identified report)."""

    def __init__(self) -> None:
        super().__init__((), scrub_contacts=False)

    def text(self, value: str) -> str:
        return value

    def hides(self, member_id: int | None) -> bool:
        return False
