"""The list beside the circle: who has no chair yet, and who is absent today.

A drag source (onto a chair) and a drop target (a chair's occupant dropped here leaves
the chair).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QDrag, QDragEnterEvent, QDragMoveEvent, QDropEvent, QFont, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from groupleader.data.snapshots import Party
from groupleader.ui.seating import presenter
from groupleader.ui.seating.items import drag_mime, drag_pixmap, mime_payload, plain_tooltip
from groupleader.ui.seating.model import SeatingModel

PAYLOAD = Qt.ItemDataRole.UserRole + 1


class SideList(QListWidget):
    unseat_requested = Signal(int)  # a chair's occupant was dropped here
    seat_requested = Signal(str)  # Enter on a person: the first empty chair
    menu_requested = Signal(str, QPoint)  # payload, screen position

    def __init__(self, model: SeatingModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.seating = model
        self.setAccessibleName("People without a chair")
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWordWrap(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        for signal in (model.reset, model.circle_changed, model.display_changed):
            signal.connect(self.refresh)

    def refresh(self) -> None:
        self.clear()
        if self.seating.data is None:
            return
        side = self.seating.side_list()
        self._section(f"Not in a chair ({len(side.unseated)})")
        for party in side.unseated:
            self._person(party, draggable=not self.seating.read_only)
        if not side.unseated:
            self._note("everyone present has a chair")
        self._section(f"Absent today ({len(side.absent)})")
        for party in side.absent:
            self._person(party, draggable=False, extra="recorded as absent in attendance")
        if not side.absent:
            self._note("no absence recorded")

    def _section(self, text: str) -> None:
        item = QListWidgetItem(text, self)
        font = QFont(self.font())
        font.setBold(True)
        item.setFont(font)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)

    def _note(self, text: str) -> None:
        item = QListWidgetItem(f"  {text}", self)
        item.setFlags(Qt.ItemFlag.NoItemFlags)

    def _person(self, party: Party, draggable: bool, extra: str = "") -> None:
        person = self.seating.person(party)
        label = self.seating.label(party)
        if person is not None and person.is_clinician:
            label += f"  ({presenter.role_text(person.clinician_role)})"
        item = QListWidgetItem(label, self)
        tip = self.seating.tooltip(party) + (f"\n{extra}" if extra else "")
        item.setToolTip(plain_tooltip(tip))
        item.setData(PAYLOAD, presenter.encode_drag(party))
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if draggable:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        item.setFlags(flags)

    def payloads(self) -> list[str]:
        """The drag payloads listed, in order (for tests and keyboard use)."""
        return [p for i in range(self.count()) if (p := self.item(i).data(PAYLOAD))]

    # ------------------------------------------------------------ drag and drop

    def startDrag(self, supported: Qt.DropAction) -> None:
        item = self.currentItem()
        payload = item.data(PAYLOAD) if item else None
        if not payload or not item.flags() & Qt.ItemFlag.ItemIsDragEnabled:
            return
        drag = QDrag(self)
        drag.setMimeData(drag_mime(payload))
        drag.setPixmap(drag_pixmap(item.text(), self.font()))
        drag.exec(Qt.DropAction.MoveAction)

    def _from_chair(self, event: QDropEvent | QDragMoveEvent | QDragEnterEvent) -> int | None:
        payload = mime_payload(event.mimeData())
        decoded = presenter.decode_drag(payload) if payload else None
        return decoded[1] if decoded else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        event.setAccepted(self._from_chair(event) is not None)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._from_chair(event) is not None:
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        chair = self._from_chair(event)
        if chair is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        self.unseat_requested.emit(chair)

    # ------------------------------------------------------------ keyboard and menu

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        payload = item.data(PAYLOAD) if item else None
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and payload
                and item.flags() & Qt.ItemFlag.ItemIsDragEnabled):
            self.seat_requested.emit(payload)
            return
        if event.key() == Qt.Key.Key_Menu and payload:
            rect = self.visualItemRect(item)
            self.menu_requested.emit(payload, self.viewport().mapToGlobal(rect.center()))
            return
        super().keyPressEvent(event)

    def _context_menu(self, pos: QPoint) -> None:
        item = self.itemAt(pos)
        payload = item.data(PAYLOAD) if item else None
        if payload:
            self.menu_requested.emit(payload, self.viewport().mapToGlobal(pos))
