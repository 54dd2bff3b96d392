"""The seating view's logic as plain functions over snapshots: no Qt, no vault.

A circle is a tuple of chairs in order (chair 1 first, clockwise); each chair holds a
`Party` (a member or a clinician) or None when it is empty. Every edit returns a new
tuple, so an undo command only has to remember the tuple before and after.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from groupleader.data.snapshots import (
    AttendanceRow,
    ChairSnap,
    ClinicianSnap,
    EligibleMember,
    InteractionSnap,
    MeetingSnap,
    Party,
)
from groupleader.folding import initial, safe_alias

Circle = tuple[Party | None, ...]

ABSENT_STATUSES = frozenset({"absent_notice", "absent_no_notice"})
MIN_CHAIRS = 2
MAX_CHAIRS = 40  # the services refuse more


@dataclass(frozen=True)
class Person:
    """Who may sit in a chair or speak, with the names the view may show."""

    party: Party
    name: str  # preferred name, else full name (clinicians: their name)
    full_name: str
    pseudonym: str  # initials for screen-share safe display
    clinician_role: str | None = None  # leader, co_leader, supervisor; None for a member

    @property
    def is_clinician(self) -> bool:
        return self.clinician_role is not None


def initials_of(name: str) -> str:
    """"Ana María Soto" -> "A.M.S." (used for clinicians, who have no pseudonym)."""
    letters = [x for x in (initial(p) for p in name.replace("-", " ").split()) if x]
    return "".join(x + "." for x in letters[:3]) or "?"


def label_for(person: Person | None, safe: bool) -> str:
    """What a chair or a list shows: the name, or initials when screen-share safe."""
    if person is None:
        return ""
    if safe:
        if person.pseudonym:  # one made before CJK names had no initials ("王.") is not shown
            return safe_alias(person.pseudonym, [person.full_name, person.name])
        return initials_of(person.full_name)
    return person.name


def tooltip_for(person: Person | None, safe: bool) -> str:
    """The full (un-elided) text for a tooltip; still initials when screen-share safe."""
    if person is None:
        return "Empty chair"
    text = label_for(person, safe)
    if not safe and person.full_name and person.full_name != person.name:
        text = f"{person.name} ({person.full_name})"
    if person.is_clinician:
        text += f" - {role_text(person.clinician_role)}"
    return text


def role_text(role: str | None) -> str:
    return {"leader": "leader", "co_leader": "co-leader", "supervisor": "supervisor"}.get(
        role or "", "clinician")


def member_party(member_id: int) -> Party:
    return Party(member_id=member_id)


def clinician_party(clinician_id: int) -> Party:
    return Party(clinician_id=clinician_id)


def build_people(
    chairs: Iterable[ChairSnap],
    eligible: Iterable[EligibleMember],
    clinicians: Iterable[ClinicianSnap],
    extra_chairs: Iterable[ChairSnap] = (),
) -> dict[Party, Person]:
    """Everyone the session can show: eligible members, the leaders, and whoever sat.

    Seated people come first from the chairs themselves, so a member archived or gone
    since still shows with the name the session recorded.
    """
    people: dict[Party, Person] = {}
    for chair in (*extra_chairs, *chairs):
        if chair.member_id is not None:
            party = member_party(chair.member_id)
            people[party] = Person(party, chair.label, chair.label, chair.pseudonym)
        elif chair.clinician_id is not None:
            party = clinician_party(chair.clinician_id)
            people[party] = Person(party, chair.label, chair.label, "", "leader")
    for e in eligible:
        party = member_party(e.member_id)
        people[party] = Person(party, e.display_name, e.full_name, e.pseudonym)
    for c in clinicians:
        party = clinician_party(c.id)
        people[party] = Person(party, c.name, c.name, initials_of(c.name), c.role)
    return people


def circle_of(chairs: Sequence[ChairSnap]) -> Circle:
    ordered = sorted(chairs, key=lambda c: c.position)
    result: list[Party | None] = []
    for c in ordered:
        if c.member_id is not None:
            result.append(member_party(c.member_id))
        elif c.clinician_id is not None:
            result.append(clinician_party(c.clinician_id))
        else:
            result.append(None)
    return tuple(result)


def absent_members(attendance: Iterable[AttendanceRow]) -> frozenset[Party]:
    return frozenset(member_party(a.member_id) for a in attendance
                     if a.status in ABSENT_STATUSES)


def suggested_size(eligible_count: int, absent_count: int, leader_count: int) -> int:
    """Chairs for a session with no seating yet: everyone expected, the leaders included."""
    return max(MIN_CHAIRS, min(MAX_CHAIRS, eligible_count - absent_count + leader_count))


@dataclass(frozen=True)
class SideList:
    unseated: tuple[Party, ...]  # may be given a chair
    absent: tuple[Party, ...]  # per attendance: listed, not seated


def side_list(
    circle: Circle, people: dict[Party, Person], candidates: Sequence[Party],
    absent: frozenset[Party],
) -> SideList:
    """Who is not in a chair: candidates (leaders first, then members) and the absent."""
    seated = {p for p in circle if p is not None}
    free = [p for p in candidates if p not in seated and p not in absent]
    free.sort(key=lambda p: (not people[p].is_clinician, people[p].name.casefold()))
    gone = sorted((p for p in absent if p not in seated),
                  key=lambda p: people[p].name.casefold() if p in people else "")
    return SideList(tuple(free), tuple(gone))


# ---------------------------------------------------------------- edits


def place(circle: Circle, party: Party, index: int) -> Circle:
    """Put `party` in chair `index`.

    From another chair it is a move, and whoever sat in `index` takes the chair it
    left (a swap). From the side list, whoever sat in `index` goes back to the list.
    """
    _check_index(circle, index)
    chairs = list(circle)
    if party in chairs:
        return move(circle, chairs.index(party), index)
    chairs[index] = party
    return tuple(chairs)


def move(circle: Circle, src: int, dst: int) -> Circle:
    """Chair to chair: the two occupants swap (an empty chair just receives)."""
    _check_index(circle, src)
    _check_index(circle, dst)
    chairs = list(circle)
    chairs[src], chairs[dst] = chairs[dst], chairs[src]
    return tuple(chairs)


def unseat(circle: Circle, index: int) -> Circle:
    """Empty a chair; its occupant goes back to the side list. The chair stays."""
    _check_index(circle, index)
    chairs = list(circle)
    chairs[index] = None
    return tuple(chairs)


def unseat_party(circle: Circle, party: Party) -> Circle:
    return tuple(None if p == party else p for p in circle)


def add_chair(circle: Circle, after: int | None = None) -> Circle:
    """An empty chair after `after` (default: at the end, just before chair 1)."""
    if len(circle) >= MAX_CHAIRS:
        return circle
    at = len(circle) if after is None else after + 1
    return (*circle[:at], None, *circle[at:])


def remove_chair(circle: Circle, index: int | None = None) -> Circle:
    """Take a chair away: `index`, or else the last empty one. Its occupant, if any, goes
    back to the list. Never fewer than two chairs."""
    if len(circle) <= MIN_CHAIRS:
        return circle
    if index is None:
        empties = [i for i, p in enumerate(circle) if p is None]
        if not empties:
            return circle
        index = empties[-1]
    _check_index(circle, index)
    return circle[:index] + circle[index + 1:]


def same_as_last(
    previous: Circle, absent: frozenset[Party], allowed: frozenset[Party]
) -> Circle:
    """Last session's circle, its chairs kept, with those absent (or no longer in the
    group) left out: their chairs stay, empty."""
    return tuple(p if p is not None and p in allowed and p not in absent else None
                 for p in previous)


def seat_changes(previous: Circle, circle: Circle) -> dict[Party, int]:
    """Members (and leaders) who sat in another chair last time: party -> last index."""
    before = {p: i for i, p in enumerate(previous) if p is not None}
    return {p: before[p] for i, p in enumerate(circle)
            if p is not None and p in before and before[p] != i}


def _check_index(circle: Circle, index: int) -> None:
    if not 0 <= index < len(circle):
        raise IndexError(f"no chair {index + 1} in a circle of {len(circle)}")


# ---------------------------------------------------------------- interactions


Pair = tuple[Party, Party | None]


def pair_counts(interactions: Iterable[InteractionSnap]) -> Counter[Pair]:
    return Counter((i.speaker, i.to) for i in interactions)


@dataclass(frozen=True)
class CountRow:
    party: Party
    spoke: int  # times this person spoke (to someone or to the group)
    spoken_to: int  # times someone spoke to this person


def count_rows(
    interactions: Sequence[InteractionSnap], circle: Circle
) -> tuple[CountRow, ...]:
    """Per person, in chair order, then anyone who spoke without a chair: how often they
    spoke and were spoken to. Seated people with no interaction are listed with zeros,
    which is the point: the quiet members show."""
    spoke: Counter[Party] = Counter(i.speaker for i in interactions)
    heard: Counter[Party] = Counter(i.to for i in interactions if i.to is not None)
    order = [p for p in circle if p is not None]
    seen = set(order)
    for i in interactions:
        for p in (i.speaker, i.to):
            if p is not None and p not in seen:
                seen.add(p)
                order.append(p)
    return tuple(CountRow(p, spoke[p], heard[p]) for p in order)


def to_group_count(interactions: Iterable[InteractionSnap]) -> int:
    return sum(1 for i in interactions if i.to is None)


def arrow_width(count: int) -> float:
    """Line width of an arrow drawn `count` times: grows with the count, slower and
    slower, so one very talkative pair does not hide the rest."""
    if count <= 0:
        return 0.0
    return min(1.5 + 2.0 * math.log2(count), 11.0)


# ---------------------------------------------------------------- seat history


@dataclass(frozen=True)
class HistoryRow:
    meeting: MeetingSnap
    chair: int | None  # 1-based; None when not seated
    of: int  # chairs in that session's circle
    beside: tuple[Party | None, ...]  # the neighbours (None: an empty chair)
    absent: bool


def seat_history(
    party: Party, sessions: Sequence[tuple[MeetingSnap, Circle, frozenset[Party]]]
) -> list[HistoryRow]:
    """For each session (newest first as given): the chair `party` sat in and who sat
    beside them (the chairs either side around the circle)."""
    rows = []
    for meeting, circle, absent in sessions:
        if party in circle:
            i = circle.index(party)
            n = len(circle)
            sides = sorted({(i - 1) % n, (i + 1) % n} - {i})
            rows.append(HistoryRow(meeting, i + 1, n, tuple(circle[j] for j in sides), False))
        else:
            rows.append(HistoryRow(meeting, None, len(circle), (), party in absent))
    return rows


# ---------------------------------------------------------------- drag payloads


def encode_drag(party: Party, from_chair: int | None = None) -> str:
    """The text a drag carries: "m:12" or "c:3", with "@4" when it left chair index 4."""
    who = f"m:{party.member_id}" if party.member_id is not None else f"c:{party.clinician_id}"
    return who if from_chair is None else f"{who}@{from_chair}"


def decode_drag(text: str) -> tuple[Party, int | None] | None:
    """The inverse of `encode_drag`; None for anything else."""
    who, at, chair = text.partition("@")
    kind, _, ident = who.partition(":")
    if kind not in ("m", "c") or not ident.isdigit() or (at and not chair.isdigit()):
        return None
    party = member_party(int(ident)) if kind == "m" else clinician_party(int(ident))
    return party, int(chair) if chair else None
