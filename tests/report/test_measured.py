"""A paragraph breaks its lines once per width, and fragments are compared as ReportLab's
own Python does: the pages come out exactly as ReportLab lays them out without either."""

from __future__ import annotations

import io
import itertools

from reportlab.lib import rl_accel
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate

from groupleader.report.keep import KeepWithFirstLines, KeepWithLastLines
from groupleader.report.measured import MeasuredParagraph, _same_frag
from groupleader.report.styles import styles

TEXT = "the group spoke about sleep and work, then about the week ahead; Maria said"
WORDS = TEXT.split()
MARKUP = (
    "<b>Plan:</b> continue weekly",
    "plain words only",
    "<font color='#8a1c1c'>red</font> and <font size='8'>small</font> and "
    "<font name='GLSans-Bold'>bold face</font>",
    "<u>underlined</u> then <a href='https://example.org'>a link</a>",
    "one line<br/>and the next",
    "<span backColor='#eef1f5'>shaded</span> <nobr>kept together</nobr> <sup>up</sup>",
)


def _long(n: int, label: str = "Participation") -> str:
    text = " ".join(itertools.islice(itertools.cycle(WORDS), n))
    return f"<b>{label}:</b> {text}"


def test_fragments_compare_as_rl_accel_compares_them() -> None:
    frags = [f for m in MARKUP for f in Paragraph(m, styles()["body"]).frags]
    frags += [f.clone() for f in frags]  # breakLines compares clones with the originals
    for f, g in itertools.product(frags, repeat=2):
        assert bool(_same_frag(f, g)) == bool(rl_accel.sameFrag(f, g)), (f, g)


def test_a_paragraph_wrapped_again_at_another_width_breaks_its_lines_again() -> None:
    style = styles()["body"]
    measured = MeasuredParagraph(_long(120), style)
    fresh = {w: Paragraph(_long(120), style) for w in (300.0, 450.0)}
    for width in (300.0, 300.0, 450.0, 300.0, 450.0, 450.0):
        size = measured.wrap(width, 10_000)
        assert size == fresh[width].wrap(width, 10_000)
        assert ([[getattr(f, "text", "") for f in line.words] for line in measured.blPara.lines]
                == [[getattr(f, "text", "") for f in line.words]
                    for line in fresh[width].blPara.lines])


def _story(cls: type[Paragraph]) -> list:
    body, h3, muted = styles()["body"], styles()["h3"], styles()["muted"]
    story: list = []
    for n in range(14):  # headings kept with first lines, signatures with last lines
        story.append(cls(f"<b>Member {n}</b> (present)", h3))
        story.append(KeepWithLastLines([cls(_long(60 + 37 * n), body),
                                        cls(_long(20 + n, "Plan"), body),
                                        cls("Signed as author by Ada Leader", muted)]))
    story.insert(3, KeepWithFirstLines([cls("Addenda", h3), cls(_long(400), body)]))
    return story


def _pdf(cls: type[Paragraph]) -> bytes:
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, invariant=True).build(_story(cls))
    return out.getvalue()


def test_keep_rules_measure_once_and_lay_out_the_same_pages() -> None:
    measured, plain = _pdf(MeasuredParagraph), _pdf(Paragraph)
    assert measured.count(b"/Type /Page\n") > 3  # long enough to split notes over pages
    assert measured == plain
