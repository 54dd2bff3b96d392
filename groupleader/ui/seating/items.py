"""The graphics items of the circle: chairs, the room's centre, and interaction arrows.

Items only draw and report what happened to them (through their scene); they never
change the model themselves.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QMimeData, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDrag,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneDragDropEvent,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from groupleader.seating import curve_cut

if TYPE_CHECKING:
    from groupleader.ui.seating.scene import SeatingScene

MIME = "application/x-groupleader-seat"

INK = QColor("#1f2a37")
MUTED = QColor("#6b7280")
MEMBER_FILL = QColor("#e8eef8")
MEMBER_EDGE = QColor("#41587a")
LEADER_FILL = QColor("#d9f0e6")
LEADER_EDGE = QColor("#1f6f55")
EMPTY_EDGE = QColor("#9aa3ae")
FOCUS = QColor("#2563eb")
SPEAKER = QColor("#d97706")
DROP = QColor("#bbf7d0")
HINT = QColor("#c2410c")
ARROW = QColor("#7b8fbd")  # opaque: translucent wide curves paint several times slower


def plain_tooltip(text: str) -> str:
    """A tooltip that shows `text` literally, even "<b>&" (Qt guesses rich text)."""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


def drag_mime(payload: str) -> QMimeData:
    mime = QMimeData()
    mime.setData(MIME, payload.encode("ascii"))
    return mime


def mime_payload(mime: QMimeData) -> str | None:
    if not mime.hasFormat(MIME):
        return None
    return bytes(mime.data(MIME).data()).decode("ascii", "replace")


def drag_pixmap(label: str, font: QFont) -> QPixmap:
    """A small pill with the label, to follow the cursor during a drag."""
    metrics = QFontMetricsF(font)
    text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, 180)
    w, h = int(metrics.horizontalAdvance(text)) + 20, int(metrics.height()) + 10
    pix = QPixmap(w, h)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(MEMBER_EDGE, 1.5))
    p.setBrush(MEMBER_FILL)
    p.drawRoundedRect(QRectF(1, 1, w - 2, h - 2), h / 2 - 1, h / 2 - 1)
    p.setFont(font)
    p.setPen(INK)
    p.drawText(QRectF(0, 0, w, h), Qt.AlignmentFlag.AlignCenter, text)
    p.end()
    return pix


def fit_lines(text: str, font: QFont, width: float) -> list[str]:
    """The label in at most two lines that fit `width`: one line if it fits with the font
    up to a fifth smaller, else two lines split at the best space (same sizes), else
    elided. Sets `font` to the size chosen."""
    base = font.pixelSize()
    sizes = [max(9, round(base * f)) for f in (1.0, 0.9, 0.8)]

    def fits(px: int, parts: tuple[str, ...]) -> bool:
        font.setPixelSize(px)
        metrics = QFontMetricsF(font)
        return all(metrics.horizontalAdvance(p) <= width for p in parts)

    for px in sizes:
        if fits(px, (text,)):
            return [text]
    words = text.split()
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    for px in sizes:
        for pair in splits:
            if fits(px, pair):
                return list(pair)
    font.setPixelSize(sizes[-1])
    metrics = QFontMetricsF(font)
    if splits:
        pair = min(splits, key=lambda p: max(metrics.horizontalAdvance(x) for x in p))
        return [metrics.elidedText(x, Qt.TextElideMode.ElideRight, width) for x in pair]
    return [metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)]


SMALL_CHAIR = 24.0  # scene units: a smaller chair's marks sit outside its disc


def mark_spots(r: float, outward: QPointF) -> tuple[QPointF, QPointF]:
    """Where a chair of radius `r` draws its moved and its absent mark, from its centre
    (`outward`: the unit vector away from the room's centre)."""
    side = QPointF(-outward.y(), outward.x())
    if r < SMALL_CHAIR:
        reach = (r + mark_size(r) + 1) / math.sqrt(2)
        forward, aside = outward * reach, side * reach
    else:
        forward, aside = outward * (0.55 * r), side * (0.8 * r)
    return forward + aside, forward - aside


def mark_size(chair_radius: float) -> float:
    """The radius of a chair's mark (moved, absent): readable on a large chair, yet on
    a small one (a circle of 40) small enough to leave the name and the next chair clear."""
    return min(max(9.0, chair_radius * 0.26), chair_radius * 0.4)


@dataclass
class ChairLook:
    """What one chair shows; the scene fills it from the model."""

    label: str = ""
    tooltip: str = "Empty chair"
    kind: str = "empty"  # "empty", "member" or "clinician"
    role: str = ""  # "leader", "co-leader"... under a clinician's name
    moved_from: int | None = None  # 1-based chair last session, when it differs
    absent: bool = False  # seated, yet recorded as absent
    payload: str = ""  # the drag text when occupied


class ChairItem(QGraphicsItem):
    def __init__(self, index: int, radius: float) -> None:
        super().__init__()
        self.index, self.radius = index, radius
        self.look = ChairLook()
        self.outward = QPointF(0, -1)  # unit vector away from the centre (for the number)
        self.current = self.speaker = self.drop_target = False
        self._press: QPointF | None = None
        self._dragged = False
        self.setAcceptDrops(True)
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton | Qt.MouseButton.RightButton)
        self.setZValue(10)

    def owner(self) -> SeatingScene:
        return self.scene()  # type: ignore[return-value]

    def set_look(self, look: ChairLook) -> None:
        self.look = look
        tip = look.tooltip
        if look.moved_from is not None:
            tip += f"\nSat in chair {look.moved_from} last session."
        if look.absent:
            tip += "\nRecorded as absent in attendance."
        self.setToolTip(plain_tooltip(f"Chair {self.index + 1}: {tip}"))
        self.update()

    def set_state(self, *, current: bool | None = None, speaker: bool | None = None,
                  drop_target: bool | None = None) -> None:
        if current is not None:
            self.current = current
        if speaker is not None:
            self.speaker = speaker
        if drop_target is not None:
            self.drop_target = drop_target
        self.update()

    # ------------------------------------------------------------ drawing

    def boundingRect(self) -> QRectF:
        r = self.radius + 26
        return QRectF(-r, -r, 2 * r, 2 * r)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), self.radius, self.radius)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        r, look = self.radius, self.look
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        body = QRectF(-r, -r, 2 * r, 2 * r)
        if look.kind == "empty":
            painter.setPen(QPen(EMPTY_EDGE, 2, Qt.PenStyle.DashLine))
            painter.setBrush(DROP if self.drop_target else QColor("white"))
        elif look.kind == "clinician":
            painter.setPen(QPen(LEADER_EDGE, 4))
            painter.setBrush(DROP if self.drop_target else LEADER_FILL)
        else:
            painter.setPen(QPen(MEMBER_EDGE, 2))
            painter.setBrush(DROP if self.drop_target else MEMBER_FILL)
        painter.drawEllipse(body)
        if self.speaker:
            painter.setPen(QPen(SPEAKER, 5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(body.adjusted(-4, -4, 4, 4))
        if self.current:
            painter.setPen(QPen(FOCUS, 3, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(body.adjusted(-7, -7, 7, 7))
        self._paint_text(painter, r, look)
        self._paint_number(painter, r)
        # marks either side of the outward direction, clear of the chair number: on the
        # rim of a large chair, outside a small one (a circle of 40), whose name fills it
        moved_at, absent_at = mark_spots(r, self.outward)
        if look.moved_from is not None:
            self._paint_mark(painter, moved_at, HINT, "\u21bb")
        if look.absent:
            self._paint_mark(painter, absent_at, QColor("#b91c1c"), "!")

    def _paint_text(self, painter: QPainter, r: float, look: ChairLook) -> None:
        font = QFont(painter.font())
        font.setPixelSize(max(10, min(16, round(r * 0.34))))
        if look.kind == "empty":
            font.setItalic(True)
            painter.setFont(font)
            painter.setPen(MUTED)
            painter.drawText(QRectF(-r, -r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter, "empty")
            return
        font.setBold(look.kind == "clinician")
        lines = fit_lines(look.label, font, 2 * r * 0.8)
        metrics = QFontMetricsF(font)
        line = metrics.height()
        small = QFont(font)
        small.setBold(False)
        small.setPixelSize(max(9, round(font.pixelSize() * 0.8)))
        role = look.role
        room = 2 * r * 0.9  # what the disc holds, top to bottom, near its middle
        if role and line * len(lines) + QFontMetricsF(small).height() > room:
            # a small chair (a large circle): the name first, then the role if it fits
            # (the leader's chair is told apart by its colour and edge as well)
            if len(lines) > 1:
                lines = [metrics.elidedText(" ".join(lines), Qt.TextElideMode.ElideRight,
                                            2 * r * 0.8)]
            if line + QFontMetricsF(small).height() > room:
                role = ""
        if role and QFontMetricsF(small).horizontalAdvance(role) > 2 * r * 0.85:
            role = ""  # "co-leader" cut to "-lead" would say neither
        total = line * len(lines) + (QFontMetricsF(small).height() if role else 0)
        y = -total / 2
        painter.setFont(font)
        painter.setPen(INK)
        for text in lines:
            painter.drawText(QRectF(-r, y, 2 * r, line), Qt.AlignmentFlag.AlignCenter, text)
            y += line
        if role:
            painter.setFont(small)
            painter.setPen(LEADER_EDGE)
            painter.drawText(QRectF(-r, y, 2 * r, QFontMetricsF(small).height()),
                             Qt.AlignmentFlag.AlignCenter, role)

    def _paint_number(self, painter: QPainter, r: float) -> None:
        at = self.outward * (r + 14)
        font = QFont(painter.font())
        font.setPixelSize(12)
        font.setBold(False)
        font.setItalic(False)
        painter.setFont(font)
        painter.setPen(MUTED)
        painter.drawText(QRectF(at.x() - 12, at.y() - 8, 24, 16), Qt.AlignmentFlag.AlignCenter,
                         str(self.index + 1))

    def _paint_mark(self, painter: QPainter, at: QPointF, colour: QColor, glyph: str) -> None:
        size = mark_size(self.radius)
        painter.setPen(QPen(QColor("white"), 1.5))
        painter.setBrush(colour)
        painter.drawEllipse(at, size, size)
        font = QFont(painter.font())
        font.setPixelSize(round(size * 1.3))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(QRectF(at.x() - size, at.y() - size, 2 * size, 2 * size),
                         Qt.AlignmentFlag.AlignCenter, glyph)

    # ------------------------------------------------------------ mouse and drops

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press, self._dragged = event.screenPos().toPointF(), False
            self.owner().set_current(self.index)
            event.accept()
        else:
            event.ignore()

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        scene = self.owner()
        if (self._press is None or self._dragged or not self.look.payload
                or not scene.drag_enabled):
            return
        moved = QLineF(self._press, event.screenPos().toPointF()).length()
        if moved < QApplication.startDragDistance():
            return
        self._dragged = True
        drag = QDrag(event.widget())
        drag.setMimeData(drag_mime(f"{self.look.payload}@{self.index}"))
        font = QFont(event.widget().font() if event.widget() else QFont())
        drag.setPixmap(drag_pixmap(self.look.label, font))
        drag.exec(Qt.DropAction.MoveAction)
        scene.drag_finished()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._press is not None and not self._dragged:
            self.owner().chair_clicked.emit(self.index)
        self._press = None

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self.owner().chair_activated.emit(self.index)

    def contextMenuEvent(self, event: QGraphicsSceneContextMenuEvent) -> None:
        self.owner().set_current(self.index)
        self.owner().chair_menu.emit(self.index, event.screenPos())

    def dragEnterEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        ok = self.owner().drag_enabled and mime_payload(event.mimeData()) is not None
        event.setAccepted(ok)
        if ok:
            event.setDropAction(Qt.DropAction.MoveAction)
            self.set_state(drop_target=True)

    def dragLeaveEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        self.set_state(drop_target=False)

    def dropEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        self.set_state(drop_target=False)
        payload = mime_payload(event.mimeData())
        if payload is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        self.owner().dropped.emit(self.index, payload)


class CentreItem(QGraphicsItem):
    """The room's centre: in interaction mode, "to the whole group"."""

    def __init__(self, radius: float) -> None:
        super().__init__()
        self.radius = radius
        self.current = self.active = False
        self.setZValue(5)
        self.setToolTip(plain_tooltip(
            "The whole group. In interaction mode, click a speaker and then here when "
            "they spoke to the whole group."))

    def owner(self) -> SeatingScene:
        return self.scene()  # type: ignore[return-value]

    def boundingRect(self) -> QRectF:
        r = self.radius + 6
        return QRectF(-r, -r, 2 * r, 2 * r)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        r = self.radius
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#cbd5e1"), 1.5, Qt.PenStyle.DashLine))
        painter.setBrush(QColor("#f1f5f9") if not self.active else QColor("#fef3c7"))
        painter.drawEllipse(QPointF(0, 0), r, r)
        if self.current:
            painter.setPen(QPen(FOCUS, 3, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), r + 4, r + 4)
        font = QFont(painter.font())
        font.setPixelSize(13)
        painter.setFont(font)
        painter.setPen(MUTED)
        painter.drawText(QRectF(-r, -r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter,
                         "whole\ngroup" if self.active else "")

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.active:
            event.accept()
        else:
            event.ignore()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self.owner().centre_clicked.emit()


class ArrowItem(QGraphicsItem):
    """One directed pair (A spoke to B, or to the group), as wide as its count.

    Chair-to-chair arrows bow to their right (a quadratic curve through `ctrl`), so
    A->B and B->A run side by side and no arrow passes through the centre, which
    stands for "the whole group"."""

    def __init__(self, start: QPointF, end: QPointF, width: float, count: int,
                 tooltip: str, ctrl: QPointF | None = None) -> None:
        super().__init__()
        self.width, self.count = width, count
        self.head = 7 + width * 1.4
        self.path = QPainterPath(start)
        if ctrl is None:
            self.path.lineTo(end)
        else:
            self.path.quadTo(ctrl, end)
        self.start, self.end = start, end
        self.before_tip = ctrl if ctrl is not None else start
        # the length, and where the line stops so the head makes the tip (`curve_cut`:
        # Qt's `QPainterPath.percentAtLength` took 70 us an arrow, most of a switch's
        # drawing)
        self.length, cut = curve_cut((start.x(), start.y()),
                                     None if ctrl is None else (ctrl.x(), ctrl.y()),
                                     (end.x(), end.y()), self.head * 0.8)
        self.line = self._line_to_head(start, ctrl, end, cut)
        self.setZValue(1)
        self.setToolTip(plain_tooltip(tooltip))

    @staticmethod
    def _line_to_head(start: QPointF, ctrl: QPointF | None, end: QPointF,
                      t: float) -> QPainterPath:
        """The drawn line: the arrow's path cut at parameter `t`, where the head begins, so
        a wide line does not show round the tip (a quadratic curve cut with de Casteljau)."""
        line = QPainterPath(start)
        if ctrl is None:
            line.lineTo(start + (end - start) * t)
        else:
            near = start + (ctrl - start) * t
            far = ctrl + (end - ctrl) * t
            line.quadTo(near, near + (far - near) * t)
        return line

    def _head(self) -> QPolygonF:
        back = QLineF(self.end, self.before_tip)
        angle = math.radians(-back.angle())
        spread = math.radians(24)
        tip = self.end
        p1 = tip + QPointF(math.cos(angle + spread), math.sin(angle + spread)) * self.head
        p2 = tip + QPointF(math.cos(angle - spread), math.sin(angle - spread)) * self.head
        return QPolygonF([tip, p1, p2])

    def boundingRect(self) -> QRectF:
        pad = self.head + self.width + 12
        return self.path.boundingRect().adjusted(-pad, -pad, pad, pad)

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(self.width + 6)
        return stroker.createStroke(self.path)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.length < 1:
            return
        painter.setPen(QPen(ARROW, self.width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.line)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(ARROW))
        painter.drawPolygon(self._head())
        if self.count > 1:
            self._paint_count(painter, self.path.pointAtPercent(0.5))

    def _paint_count(self, painter: QPainter, mid: QPointF) -> None:
        font = QFont(painter.font())
        font.setPixelSize(11)
        font.setBold(True)
        painter.setFont(font)
        text = str(self.count)
        w = QFontMetricsF(font).horizontalAdvance(text) + 8
        box = QRectF(mid.x() - w / 2, mid.y() - 8, w, 16)
        painter.setPen(QPen(ARROW, 1))
        painter.setBrush(QColor("white"))
        painter.drawRoundedRect(box, 7, 7)
        painter.setPen(INK)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
