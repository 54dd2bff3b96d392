"""The room: chairs on a circle around the centre, and the interaction arrows.

The scene follows the model (`reset`, `circle_changed`, `interactions_changed`,
`display_changed`) and reports what the user did through its signals; the view turns
those into undo commands.
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QObject, QPoint, QPointF, QRectF, Signal
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsScene

from groupleader.data.snapshots import Party
from groupleader.seating import arrow_control, chair_positions, chair_radius_for
from groupleader.ui.seating import presenter
from groupleader.ui.seating.items import ArrowItem, CentreItem, ChairItem, ChairLook
from groupleader.ui.seating.model import SeatingModel

ROOM_RADIUS = 250.0
CHAIR_FRACTION = 0.2  # the largest chair, as a fraction of the room's radius
CENTRE_RADIUS = 46.0
MARGIN = 40.0


class SeatingScene(QGraphicsScene):
    chair_clicked = Signal(int)
    chair_activated = Signal(int)  # double-click: choose an occupant
    chair_menu = Signal(int, QPoint)  # right-click, at a screen position
    centre_clicked = Signal()
    dropped = Signal(int, str)  # chair index, drag payload

    def __init__(self, model: SeatingModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        extent = ROOM_RADIUS * (1 + CHAIR_FRACTION) + MARGIN
        self.setSceneRect(QRectF(-extent, -extent, 2 * extent, 2 * extent))
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)  # few, moving items
        self.floor = QGraphicsEllipseItem(-ROOM_RADIUS, -ROOM_RADIUS, 2 * ROOM_RADIUS,
                                          2 * ROOM_RADIUS)
        self.floor.setPen(QPen(QColor("#e2e8f0"), 2))
        self.floor.setZValue(0)
        self.addItem(self.floor)
        self.centre = CentreItem(CENTRE_RADIUS)
        self.addItem(self.centre)
        self.chairs: list[ChairItem] = []
        self.arrows: list[ArrowItem] = []
        self.current: int | None = None  # keyboard focus: a chair index
        self.centre_current = False
        self.speaker: int | None = None
        self.interaction_mode = False
        model.reset.connect(self.rebuild)
        model.circle_changed.connect(self._sync_chairs)
        model.circle_changed.connect(self._sync_arrows)
        model.interactions_changed.connect(self._sync_arrows)
        model.display_changed.connect(self.rebuild)

    @property
    def drag_enabled(self) -> bool:
        return not self.interaction_mode and not self.model.read_only

    # ------------------------------------------------------------ building

    def rebuild(self) -> None:
        self.speaker = None
        self._sync_chairs()
        self._sync_arrows()

    def chair_radius(self) -> float:
        return chair_radius_for(len(self.model.circle), ROOM_RADIUS, CHAIR_FRACTION)

    def _sync_chairs(self) -> None:
        circle = self.model.circle
        if len(circle) != len(self.chairs):
            for item in self.chairs:
                self.removeItem(item)
            radius = self.chair_radius()
            self.chairs = []
            for pos in chair_positions(len(circle), ROOM_RADIUS):
                item = ChairItem(pos.index, radius)
                item.setPos(pos.x, pos.y)
                item.outward = QPointF(pos.x, pos.y) / ROOM_RADIUS
                self.addItem(item)
                self.chairs.append(item)
        for item, party in zip(self.chairs, circle, strict=True):
            item.set_look(self.look_for(party))
        if self.current is not None and self.current >= len(self.chairs):
            self.current = len(self.chairs) - 1 if self.chairs else None
        if self.speaker is not None and (self.speaker >= len(circle)
                                         or circle[self.speaker] is None):
            self.speaker = None
        self._paint_states()

    def look_for(self, party: Party | None) -> ChairLook:
        model = self.model
        person = model.person(party)
        if party is None or person is None:
            return ChairLook()
        moved = model.changes.get(party)
        return ChairLook(
            label=model.label(party),
            tooltip=model.tooltip(party),
            kind="clinician" if person.is_clinician else "member",
            role=presenter.role_text(person.clinician_role) if person.is_clinician else "",
            moved_from=None if moved is None else moved + 1,
            absent=party in model.absent,
            payload=presenter.encode_drag(party),
        )

    def _sync_arrows(self) -> None:
        for item in self.arrows:
            self.removeItem(item)
        self.arrows = []
        model = self.model
        where = {p: i for i, p in enumerate(model.circle) if p is not None}
        counts = presenter.pair_counts(model.interactions)
        r = self.chair_radius()
        spots = [(c.pos().x(), c.pos().y()) for c in self.chairs]  # empty chairs too
        for (speaker, to), n in counts.items():
            if speaker not in where or (to is not None and to not in where):
                continue  # someone without a chair: counted in the table, not drawn
            a = self.chairs[where[speaker]].pos()
            width = presenter.arrow_width(n)
            ctrl = None
            if to is None:
                start, end = _trim(a, QPointF(0, 0), QPointF(0, 0), r + 3, CENTRE_RADIUS + 3)
                tip = f"{model.label(speaker)} to the whole group: {_times(n)}"
            else:
                b = self.chairs[where[to]].pos()
                ctrl = _bow(a, b, CENTRE_RADIUS + 4 + width / 2, spots, r + 3 + width / 2)
                start, end = _trim(a, b, ctrl, r + 3, r + 5)
                tip = f"{model.label(speaker)} to {model.label(to)}: {_times(n)}"
            item = ArrowItem(start, end, width, n, tip, ctrl)
            self.addItem(item)
            self.arrows.append(item)

    # ------------------------------------------------------------ focus and modes

    def set_current(self, index: int | None, centre: bool = False) -> None:
        self.current = index
        self.centre_current = centre
        self._paint_states()

    def set_speaker(self, index: int | None) -> None:
        self.speaker = index
        self._paint_states()

    def set_interaction_mode(self, on: bool) -> None:
        self.interaction_mode = on
        self.speaker = None
        self.centre.active = on
        if not on:
            self.centre_current = False
        self._paint_states()

    def _paint_states(self) -> None:
        for i, item in enumerate(self.chairs):
            item.set_state(current=(i == self.current and not self.centre_current),
                           speaker=(i == self.speaker))
        self.centre.current = self.centre_current
        self.centre.update()

    def drag_finished(self) -> None:
        for item in self.chairs:
            item.set_state(drop_target=False)


def _bow(a: QPointF, b: QPointF, clearance: float, chairs: list[tuple[float, float]],
         chair_clearance: float) -> QPointF:
    """The control point of the curve from a to b: bowing to its right, never under the
    centre circle nor over another chair (the shared geometry, as on paper:
    `seating.arrow_control`)."""
    x, y = arrow_control((a.x(), a.y()), (b.x(), b.y()), (0.0, 0.0), clearance,
                         chairs=chairs, chair_clearance=chair_clearance)
    return QPointF(x, y)


def _trim(a: QPointF, b: QPointF, ctrl: QPointF, from_a: float,
          from_b: float) -> tuple[QPointF, QPointF]:
    """Where a curve a->b through `ctrl` leaves chair a's edge and meets chair b's edge
    (`from_a` and `from_b` along the curve's end tangents); ctrl == b: a straight line."""
    def towards(p: QPointF, q: QPointF, dist: float) -> QPointF:
        length = QLineF(p, q).length()
        return p if length < 1 else p + (q - p) * (dist / length)

    if ctrl in (a, b) or QLineF(a, b).length() < 1:
        return towards(a, b, from_a), towards(b, a, from_b)
    return towards(a, ctrl, from_a), towards(b, ctrl, from_b)


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"
