"""Keep-together rules for paper: a heading never ends a page, a signature never starts one.

ReportLab's own `keepWithNext` wraps a heading and what follows in a `KeepTogether`,
which either moves both to the next page (leaving half a page blank before a long note)
or, when they are taller than a page, gives up and lets the heading end the page.
These two containers split their content instead, with a rule for what stays together:

- `KeepWithFirstLines([heading, ..., body])`: the headings stay on the page that holds
  the first lines of `body` (two lines of a paragraph, the first row of a table). The
  document template uses it for every `keepWithNext` run (`keepTogetherClass`), so every
  heading style with `keepWithNext=1` follows the rule without the story saying so.
- `KeepWithLastLines([body, *tail])`: `tail` (a "Signed by" line, the signature block)
  stays on the page that holds the last lines of `body`.

Both split recursively: the rest of a long body is again a container with the same rule,
so a 2,000-word note flows over pages and still ends on the page of its signature.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, FrameBreak, KeepTogether, Paragraph, Spacer
from reportlab.platypus.doctemplate import ActionFlowable

LINES_KEPT = 2  # a heading keeps at least this many lines of its paragraph; so does a tail


def _reserve(body: Flowable) -> float:
    """The height of the lines a paragraph must keep beside its heading or tail."""
    if isinstance(body, Paragraph):
        return LINES_KEPT * float(body.style.leading)
    return 0.0


def _at_top(flowable: Flowable) -> bool:
    frame = getattr(flowable, "_frame", None)
    return bool(frame is not None and getattr(frame, "_atTop", False))


def _adopt(child: Flowable, parent: Flowable) -> Flowable:
    """Give `child` the frame and canvas its parent was given: a nested container wraps
    with the canvas and needs the frame to know whether it stands at the top of a page."""
    for name in ("_frame", "canv"):
        if hasattr(parent, name):
            setattr(child, name, getattr(parent, name))
    return child


def _split(child: Flowable, parent: Flowable, width: float, height: float) -> list[Flowable]:
    if height <= 0:
        return []
    _adopt(child, parent)
    child.wrap(width, height)
    return list(child.split(width, height))


def _height(flowable: Flowable, parent: Flowable, width: float, height: float) -> float:
    """The real height of `flowable`: a KeepTogether's `wrap` answers 0xffffff to force
    its frame to ask it to split, and keeps its true height in `_H`."""
    _w, h = _adopt(flowable, parent).wrap(width, height)
    return float(getattr(flowable, "_H", h)) if isinstance(flowable, KeepTogether) else h


def _list_height(items: list[Flowable], parent: Flowable, width: float) -> float:
    """The height of `items` laid out one under another, spaces merged as a frame does."""
    total, space_after, first = 0.0, 0.0, True
    for f in items:
        h = _height(f, parent, width, 0xFFFFFFF)
        if h <= 1e-6:
            continue
        if not first:
            total += max(f.getSpaceBefore() - space_after, 0)
        first = False
        space_after = f.getSpaceAfter()
        total += h + space_after
    return total - space_after


class _Keep(KeepTogether):
    """A KeepTogether whose `_H` is its real height. Like ReportLab's, its `wrap` answers
    0xffffff so that the frame always asks it to split (it is never drawn itself); but
    ReportLab's `_H` adds up that answer of a nested one, so that it looks taller than
    any page."""

    def __init__(self, flowables: list[Flowable], maxHeight: Any = None) -> None:  # noqa: N803
        super().__init__(flowables, maxHeight)

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803
        self._H = _list_height(list(self._content), self, aW)
        self._H0 = 0
        self._wrapInfo = aW, aH
        return aW, 0xFFFFFF


def _usable(parts: list[Flowable]) -> bool:
    return bool(parts) and not isinstance(parts[0], ActionFlowable)


class KeepWithFirstLines(_Keep):
    """Headings that stay with the first lines of the flowable after them."""

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803 (ReportLab's names)
        content = list(self._content)
        self.wrap(aW, aH)
        if aH >= self._H or (len(content) < 2 and _at_top(self)):
            return content
        if len(content) < 2:  # headings at the end of the story: to the next page
            return [FrameBreak(), *content]
        heads, body = content[:-1], content[-1]
        head_h = _list_height(heads, self, aW)
        gap = max(heads[-1].getSpaceAfter(), body.getSpaceBefore())
        room = aH - head_h - gap
        body_h = _height(body, self, aW, max(room, 1))
        if room >= body_h:
            return content
        parts = _split(body, self, aW, room) if room >= _reserve(body) else []
        if _usable(parts):
            return [*heads, *parts]
        if _at_top(self):  # even a fresh page cannot hold more: flow on as we can
            return content
        return [FrameBreak(), *content]


def _line_count(f: Flowable, width: float) -> int:
    """The lines of a paragraph at `width` (a large number for anything else)."""
    if not isinstance(f, Paragraph):
        return 1 << 20
    f.wrap(width, 0xFFFFFF)
    return len(getattr(f.blPara, "lines", ()) or ())


class KeepWithLastLines(_Keep):
    """A body whose last lines stay with the tail after it (a signature, a block).

    With `reach=True` the first flowable is the one before the body (the note's section
    before its last): when the body has fewer than `LINES_KEPT` lines ("Plan: Review in
    a week."), the body and that one line join the tail and the flowable before becomes
    the body, so the tail still keeps two lines of the note with it."""

    def __init__(self, flowables: list[Flowable], maxHeight: Any = None,  # noqa: N803
                 reach: bool = False) -> None:
        super().__init__(flowables, maxHeight)
        self.reach = reach and len(flowables) >= 3

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803 (ReportLab's names)
        content = list(self._content)
        if self.reach:
            before, body = content[0], content[1]
            if _line_count(body, aW) >= LINES_KEPT:  # the body alone keeps two lines
                rest = KeepWithLastLines(content[1:])
                if _height(before, self, aW, aH) <= aH:
                    return [before, rest]
                parts = _split(before, self, aW, aH)
                if _usable(parts):
                    return [*parts, rest]
                return [FrameBreak(), before, rest] if not _at_top(self) else [before, rest]
            return _adopt(KeepWithLastLines(content), self).split(aW, aH)
        body, tail = content[0], content[1:]
        if not tail:
            return _split(body, self, aW, aH) or content
        self.wrap(aW, aH)
        if aH >= self._H:
            return content
        body_h = _height(body, self, aW, aH)
        at = min(aH, body_h - max(_reserve(body), 1.0))
        parts = _split(body, self, aW, at)
        if _usable(parts) and len(parts) >= 2:
            return [*parts[:-1], KeepWithLastLines([parts[-1], *tail])]
        if _at_top(self):
            return content
        return [FrameBreak(), *content]


def keep_with_last(story: list[Flowable], tail: list[Flowable]) -> list[Flowable]:
    """`story` with `tail` appended so that it stays with the story's last lines.

    Trailing spacers join the tail (a spacer has no lines to keep), and a story that
    already ends in a kept tail (a note and its signature) keeps the new tail too, so the
    note's last lines, its signature and the new tail stay on one page.
    """
    story, tail = list(story), list(tail)
    while story and isinstance(story[-1], Spacer):
        tail.insert(0, story.pop())
    if not story:
        return tail
    last = story.pop()
    if isinstance(last, KeepWithLastLines):
        return [*story, KeepWithLastLines([*last._content, *tail], reach=last.reach)]
    if story and isinstance(last, Paragraph) and isinstance(story[-1], Paragraph) \
            and not story[-1].getKeepWithNext():
        before = story.pop()  # for a last paragraph of one line (`KeepWithLastLines`)
        return [*story, KeepWithLastLines([before, last, *tail], reach=True)]
    return [*story, KeepWithLastLines([last, *tail])]
