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

from reportlab.platypus import Flowable, FrameBreak, KeepTogether, Paragraph
from reportlab.platypus.doctemplate import ActionFlowable
from reportlab.platypus.flowables import _listWrapOn

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


def _usable(parts: list[Flowable]) -> bool:
    return bool(parts) and not isinstance(parts[0], ActionFlowable)


class KeepWithFirstLines(KeepTogether):
    """Headings that stay with the first lines of the flowable after them."""

    def __init__(self, flowables: list[Flowable], maxHeight: Any = None) -> None:  # noqa: N803
        super().__init__(flowables, maxHeight)

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803 (ReportLab's names)
        content = list(self._content)
        if len(content) < 2:
            return content
        self.wrap(aW, aH)
        if self._H <= aH:
            return content
        heads, body = content[:-1], content[-1]
        _w, head_h = _listWrapOn(heads, aW, getattr(self, "canv", None))
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


class KeepWithLastLines(KeepTogether):
    """A body whose last lines stay with the tail after it (a signature, a block)."""

    def __init__(self, flowables: list[Flowable], maxHeight: Any = None) -> None:  # noqa: N803
        super().__init__(flowables, maxHeight)

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803 (ReportLab's names)
        content = list(self._content)
        body, tail = content[0], content[1:]
        if not tail:
            return _split(body, self, aW, aH) or content
        self.wrap(aW, aH)
        if self._H <= aH:
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
    """`story` with `tail` appended so that it stays with the story's last flowable."""
    if not story:
        return list(tail)
    return [*story[:-1], KeepWithLastLines([story[-1], *tail])]
