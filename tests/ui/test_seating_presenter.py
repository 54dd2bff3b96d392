"""The seating view's plain logic: circle edits, same as last session, seat changes,
side list, counts and drag payloads (no window, no vault)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from groupleader.data.snapshots import ChairSnap, ClinicianSnap, EligibleMember, Party
from groupleader.data.snapshots import InteractionSnap as I
from groupleader.ui.seating import presenter as p

A, B, C, D = (Party(member_id=i) for i in range(1, 5))
LEAD = Party(clinician_id=1)


def test_place_from_the_list_replaces_and_from_a_chair_swaps() -> None:
    circle = (A, None, B)
    assert p.place(circle, C, 0) == (C, None, B)  # A goes back to the list
    assert p.place(circle, B, 0) == (B, None, A)  # B was in chair 3: a swap
    assert p.place(circle, A, 1) == (None, A, B)  # onto an empty chair: a move


def test_unseat_keeps_the_chair_and_chairs_are_added_and_removed() -> None:
    assert p.unseat((A, B), 0) == (None, B)
    assert p.add_chair((A, B)) == (A, B, None)
    assert p.add_chair((A, B), after=0) == (A, None, B)
    assert p.remove_chair((A, None, B, None)) == (A, None, B)  # the last empty one
    assert p.remove_chair((A, B)) == (A, B)  # never below two
    assert p.remove_chair((A, B, C)) == (A, B, C)  # no empty chair to take
    assert p.remove_chair((A, B, C), 1) == (A, C)
    assert len(p.add_chair((None,) * p.MAX_CHAIRS)) == p.MAX_CHAIRS


@given(st.lists(st.sampled_from([A, B, C, D, LEAD, None]), min_size=2, max_size=12, unique=False),
       st.data())
def test_edits_never_seat_anyone_twice(chairs: list[Party | None], data: st.DataObject) -> None:
    seen: set[Party] = set()
    circle = tuple(c if c is None or c not in seen and not seen.add(c) else None for c in chairs)
    i = data.draw(st.integers(0, len(circle) - 1))
    j = data.draw(st.integers(0, len(circle) - 1))
    who = data.draw(st.sampled_from([A, B, C, D, LEAD]))
    for after in (p.place(circle, who, i), p.move(circle, i, j), p.unseat(circle, i)):
        people = [x for x in after if x is not None]
        assert len(people) == len(set(people))
        assert len(after) == len(circle)


def test_same_as_last_session_leaves_the_absent_and_the_departed_out() -> None:
    previous = (LEAD, A, B, None, C)
    after = p.same_as_last(previous, absent=frozenset({B}), allowed=frozenset({LEAD, A, B}))
    assert after == (LEAD, A, None, None, None)  # B absent, C no longer in the group


def test_seat_changes_name_only_those_who_moved() -> None:
    assert p.seat_changes((A, B, C), (A, C, B)) == {C: 2, B: 1}
    assert p.seat_changes((A, B), (A, None, D)) == {}


def test_side_list_puts_leaders_first_and_the_absent_apart() -> None:
    people = p.build_people(
        [], [EligibleMember(1, 1, "Zed A", "", "Z.A."), EligibleMember(2, 2, "Amy B", "", "A.B."),
             EligibleMember(3, 3, "Cy C", "", "C.C.")],
        [ClinicianSnap(1, "Dr Who", "leader", "")])
    side = p.side_list((A, None), people, (LEAD, A, B, C), frozenset({C}))
    assert side.unseated == (LEAD, B)
    assert side.absent == (C,)


def test_people_seated_long_ago_keep_their_recorded_names() -> None:
    people = p.build_people([ChairSnap(0, 9, None, "Gone Member", "G.M.")], [], [])
    assert p.label_for(people[Party(member_id=9)], safe=False) == "Gone Member"
    assert p.label_for(people[Party(member_id=9)], safe=True) == "G.M."
    assert p.initials_of("Ana-María Soto") == "A.M.S."


def test_counts_list_quiet_people_and_arrow_width_grows() -> None:
    talks = [I(1, A, B), I(2, A, B), I(3, B, None), I(4, D, A)]
    rows = p.count_rows(talks, (A, B, C))
    assert [(r.party, r.spoke, r.spoken_to) for r in rows] == [
        (A, 2, 1), (B, 1, 2), (C, 0, 0), (D, 1, 0)]
    assert p.pair_counts(talks)[(A, B)] == 2
    assert p.to_group_count(talks) == 1
    widths = [p.arrow_width(n) for n in (1, 2, 4, 8, 1000)]
    assert widths == sorted(widths) and widths[-1] <= 11


@given(st.sampled_from([A, D, LEAD]), st.none() | st.integers(0, 39))
def test_drag_payloads_round_trip(who: Party, chair: int | None) -> None:
    assert p.decode_drag(p.encode_drag(who, chair)) == (who, chair)


def test_foreign_drag_payloads_are_refused() -> None:
    for text in ("", "x:1", "m:", "m:1@", "m:a", "m:1@x", "<b>"):
        assert p.decode_drag(text) is None


def test_screen_share_safe_never_shows_a_cjk_name_s_own_characters() -> None:
    """A CJK name has no initials (its first character is the family name): an old
    pseudonym made of it ("王.") and a clinician's initials give way to none of them."""
    from groupleader.ui.privacy import initials, shown_name

    member = p.Person(Party(member_id=1), "小明", "王小明", "王.")
    assert p.label_for(member, True) == "X."
    assert p.label_for(p.Person(Party(member_id=2), "민준", "김민준", ""), True) == "?"
    assert p.initials_of("田中 花子") == "?" and p.initials_of("Ann Lee") == "A.L."
    assert shown_name("王小明", "王.", True) == "X." and initials("王小明") == "?"
    assert shown_name("Ann Lee", "A.L.", True) == "A.L."
