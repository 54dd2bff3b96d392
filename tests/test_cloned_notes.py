"""The cloned-note check: a member-note field written word for word in two or more notes."""

from __future__ import annotations

from groupleader.cloned_notes import MIN_LENGTH, find_clones, warning_text
from groupleader.data.snapshots import MemberNoteFields

SAME = "Spoke about the loss of her job and the group listened."


def test_the_same_text_after_trimming_spaces_and_case_is_a_clone() -> None:
    notes = [
        ("Annie", MemberNoteFields(participation=SAME, plan="Call on Thursday about the job")),
        ("Bo Kim", MemberNoteFields(participation=f"  {SAME.upper()}\n", plan="Keep going")),
        ("Cem", MemberNoteFields(participation=SAME.replace(" the group", "  the\n\tgroup"))),
        ("Dana", MemberNoteFields(participation="Quiet tonight; left early for work.")),
    ]
    [clone] = find_clones(notes)
    assert clone.field == "participation" and clone.label == "Participation"
    assert clone.names == ("Annie", "Bo Kim", "Cem")
    text = warning_text([clone])
    assert "Participation: the same text in the notes for Annie, Bo Kim and Cem." in text
    assert "sign anyway" in text


def test_short_or_different_text_is_not_a_clone() -> None:
    short = "x" * (MIN_LENGTH - 1)
    notes = [("A", MemberNoteFields(participation=short, goals="Attended.", plan="")),
             ("B", MemberNoteFields(participation=short, goals="Attended.", plan="")),
             ("C", MemberNoteFields(participation=SAME + "!"))]
    assert find_clones(notes + [("D", MemberNoteFields(participation=SAME))]) == []
    long_enough = "y" * MIN_LENGTH
    found = find_clones([("A", MemberNoteFields(goals=long_enough)),
                         ("B", MemberNoteFields(goals=long_enough))])
    assert [(c.field, c.names) for c in found] == [("goals", ("A", "B"))]


def test_only_clones_that_touch_the_notes_being_signed_are_shown() -> None:
    notes = [("A", MemberNoteFields(plan=SAME)), ("B", MemberNoteFields(plan=SAME)),
             ("C", MemberNoteFields(response=SAME)), ("D", MemberNoteFields(response=SAME))]
    assert [c.names for c in find_clones(notes, among=["C"])] == [("C", "D")]
    assert [c.names for c in find_clones(notes)] == [("C", "D"), ("A", "B")]  # field order
    assert find_clones(notes, among=["E"]) == []
    text = warning_text(find_clones(notes))
    assert "Plan: the same text in the notes for A and B." in text
    assert "Response to interventions: the same text in the notes for C and D." in text
