"""Small pure pieces: escaping, right-to-left order, the redactor, the circle drawing."""

from __future__ import annotations

from datetime import date

from groupleader.report.bidi import visual
from groupleader.report.fonts import has_glyph
from groupleader.report.model import Arrow, Chair
from groupleader.report.redact import AMBIGUOUS, Identity, Redactor
from groupleader.report.seating_drawing import SeatingDiagram, arrow_width
from groupleader.report.styles import safe


def test_markup_characters_are_escaped_for_paragraphs() -> None:
    assert safe("Tom & Jerry <b>O'Neil</b>\nnext") == (
        "Tom &amp; Jerry &lt;b&gt;O'Neil&lt;/b&gt;<br/>next")


def test_right_to_left_runs_are_put_in_display_order() -> None:
    assert visual("Tom שלום 😀") == "Tom םולש 😀"
    assert visual("שלום 12 עולם") == "םלוע 12 םולש"  # digits stay left to right
    assert visual("plain (text)") == "plain (text)"


def test_the_font_covers_the_scripts_and_the_emoji_of_the_test_name() -> None:
    for char in "AΩЖשعé😀⚠–":
        assert has_glyph(char), char
    assert not has_glyph("\U0001fae0")  # a newer emoji DejaVu lacks: it prints a box


def test_the_redactor_replaces_names_contacts_and_birth_dates() -> None:
    r = Redactor([
        Identity(1, "Maria Kowalski", "Mia", "M.K.", "+44 7700 900123", "m@example.org",
                 dob=date(1980, 3, 12)),
        Identity(2, "Anna Smith", "", "A.S."),
        Identity(3, "Anna Berg", "", "A.B."),
    ])
    out = r.text("Maria (Mia) saw Anna and Smith; m@example.org, +44 (7700) 900-123, "
                 "12 March 1980, 1980-03-12, other 0123 456 789. Mariah stays.")
    assert out == (f"M.K. (M.K.) saw {AMBIGUOUS} and A.S.; [e-mail removed], [removed], "
                   "[removed], [removed], other [phone removed]. Mariah stays.")
    # a member extract of Anna Berg: her own first name stays, another "Anna Smith" is told
    # apart by the surname beside it
    kept = Redactor(r.identities.values(), keep=[3], scrub_contacts=False)
    assert kept.text("Anna met Anna Smith, m@example.org, 0123 456 789.") == (
        "Anna met A.S., [removed], 0123 456 789.")


def test_arrows_grow_with_the_count() -> None:
    assert arrow_width(1, 5) < arrow_width(3, 5) < arrow_width(5, 5)


def test_the_circle_uses_the_shared_geometry_with_y_flipped_for_pdf() -> None:
    chairs = tuple(Chair(i, f"P{i}", "member", f"m{i}") for i in range(4))
    d = SeatingDiagram(chairs, (Arrow("m0", "m2", 2, "P0", "P2"),), width=400, height=200)
    _circle, _r, where, _points = d._layout()
    (x0, y0), (x1, _y1), (x2, y2) = where["m0"], where["m1"], where["m2"]
    assert y0 > y2  # chair 1 at the top of the page (PDF y grows upwards)
    assert x1 > x0  # chair 2 clockwise, to the right, as on the screen
    assert abs(x0 - 200) < 1e-6 and abs(x2 - 200) < 1e-6
