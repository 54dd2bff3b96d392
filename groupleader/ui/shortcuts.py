"""The window's keyboard: Edit > Undo/Redo over the current view's undo stack, the views'
main keys working wherever focus is in the window, and Help > Keyboard Shortcuts (a
searchable list read from the actual actions, shortcuts and mnemonics, so it cannot go
stale).

- **Undo/Redo.** A view offers its undo stack as `undo_stack` (a `QUndoStack`
  attribute, or a method returning one: see `HasUndoStack`; `undo_stack_of` accepts
  both). The Edit menu's Undo (Ctrl+Z) and Redo (Ctrl+Shift+Z, Ctrl+Y) act on the stack
  of the view in front (a `QUndoGroup` whose active stack follows the tabs), and their
  text names the step ("Undo Move to chair 3"). Those keys belong to the menu alone: a
  key bound twice is ambiguous in Qt and then does nothing, so `adopt_views` takes them
  off any action of a view (its tool buttons keep working). A text field with focus
  keeps Ctrl+Z for its own typing (Qt lets it claim the key first).
- **Keys that work wherever focus is.** A view's action with a Ctrl key (Roster's
  Ctrl+N "Add member", Ctrl+Shift+F, Seating's Ctrl+I) is made a window shortcut: it
  works from the groups list, the tab bar or any field while that view is shown (Qt
  only offers a window shortcut of a visible widget, so a hidden view's keys stay off).
  Keys without Ctrl (F2, Enter, Insert, Delete) keep their widget's context.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol, runtime_checkable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoGroup, QUndoStack
from PySide6.QtWidgets import QMenu, QWidget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow, QTabWidget

UNDO_KEYS = ("Ctrl+Z",)
REDO_KEYS = ("Ctrl+Shift+Z", "Ctrl+Y")


@runtime_checkable
class HasUndoStack(Protocol):
    """A view whose changes can be undone from the Edit menu."""

    def undo_stack(self) -> QUndoStack | None: ...


def undo_stack_of(view: object) -> QUndoStack | None:
    """The view's undo stack: its `undo_stack()` method's answer or its `undo_stack`
    attribute; None when it has none."""
    found = getattr(view, "undo_stack", None)
    if callable(found) and not isinstance(found, QUndoStack):
        found = found()
    return found if isinstance(found, QUndoStack) else None


class UndoRouter(QObject):
    """Edit > Undo / Redo: a QUndoGroup whose active stack is the front view's."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.group = QUndoGroup(self)
        self._tabs: QTabWidget | None = None
        self.undo_action = self.group.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts([QKeySequence(k) for k in UNDO_KEYS])
        self.redo_action = self.group.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence(k) for k in REDO_KEYS])

    def follow(self, tabs: QTabWidget) -> bool:
        """Follow the view tabs: the view in front owns Undo/Redo. True the first time."""
        if self._tabs is tabs:
            return False
        self._tabs = tabs
        tabs.currentChanged.connect(lambda _index: self.sync())
        self.sync()
        return True

    def current_stack(self) -> QUndoStack | None:
        tabs = self._tabs
        if tabs is None or not tabs.isVisible():
            return None
        return undo_stack_of(tabs.currentWidget())

    def sync(self) -> None:
        """Make the front view's stack the active one (a view may make a new stack)."""
        stack = self.current_stack()
        if stack is not None and stack not in self.group.stacks():
            self.group.addStack(stack)
        if self.group.activeStack() is not stack:
            self.group.setActiveStack(stack)  # type: ignore[arg-type]  # None: no stack

    def clear(self) -> None:
        """On lock: no stack is active (the menu items are disabled)."""
        self.group.setActiveStack(None)  # type: ignore[arg-type]  # None: no stack


def _is_undo_key(seq: QKeySequence) -> bool:
    return seq.toString() in UNDO_KEYS + REDO_KEYS


def _has_ctrl(seq: QKeySequence) -> bool:
    return seq.count() > 0 and "Ctrl+" in seq.toString()


def adopt_views(views: Sequence[object]) -> None:
    """Give the Edit menu the undo keys and make the views' Ctrl keys window-wide."""
    from PySide6.QtCore import Qt

    for view in views:
        if not isinstance(view, QWidget):
            continue
        actions = {a for a in view.findChildren(QAction)} | set(view.actions())
        for action in actions:
            keys = action.shortcuts()
            if any(_is_undo_key(k) for k in keys):
                action.setShortcuts([k for k in keys if not _is_undo_key(k)])
                keys = action.shortcuts()
            if (keys and all(_has_ctrl(k) for k in keys) and action in view.actions()
                    and action.shortcutContext()
                    == Qt.ShortcutContext.WidgetWithChildrenShortcut):
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        for shortcut in view.findChildren(QShortcut):  # a view's own Ctrl+Z: the menu's
            if _is_undo_key(shortcut.key()):
                shortcut.setKey(QKeySequence())


# ---------------------------------------------------------------------- the list


class Entry(NamedTuple):
    where: str
    what: str
    keys: str


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def _keys(seqs: list[QKeySequence]) -> str:
    return " or ".join(s.toString(QKeySequence.SequenceFormat.NativeText)
                     for s in seqs if not s.isEmpty())


def _mnemonic(text: str) -> str:
    seq = QKeySequence.mnemonic(text)
    return "" if seq.isEmpty() else seq.toString(QKeySequence.SequenceFormat.NativeText)


def collect(window: QMainWindow, places: list[tuple[str, QWidget]]) -> list[Entry]:
    """Every key of the window: the menus' items and mnemonics, then for each place
    (a title and its widget: the groups list, each view) its actions, shortcuts,
    buttons, tabs and labels with a mnemonic. Read from the widgets themselves."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QTabBar

    entries: list[Entry] = []
    for top in window.menuBar().actions():
        menu = top.menu()
        assert menu is None or isinstance(menu, QMenu)
        title = _plain(top.text())
        entries.append(Entry("Menus", f"{title} menu", _mnemonic(top.text())))
        if menu is None:
            continue
        for item in menu.actions():
            if item.isSeparator() or not item.shortcuts():
                continue
            entries.append(Entry(f"{title} menu", _plain(item.text()), _keys(item.shortcuts())))
    for where, root in places:
        seen: set[int] = set()
        actions = list(root.actions()) + [a for a in root.findChildren(QAction)
                                           if a not in root.actions()]
        for action in actions:
            if id(action) in seen or not action.shortcuts():
                continue
            seen.add(id(action))
            entries.append(Entry(where, _plain(action.text()), _keys(action.shortcuts())))
        for shortcut in root.findChildren(QShortcut):
            owner = shortcut.parent()
            what = shortcut.whatsThis() or (
                owner.accessibleName() if isinstance(owner, QWidget) else "")
            entries.append(Entry(where, what or "Shortcut", _keys([shortcut.key()])))
        for widget in root.findChildren(QWidget):
            if isinstance(widget, QAbstractButton) and _mnemonic(widget.text()):
                entries.append(Entry(where, _plain(widget.text()), _mnemonic(widget.text())))
            elif isinstance(widget, QLabel) and widget.buddy() is not None \
                    and _mnemonic(widget.text()):
                entries.append(Entry(where, _plain(widget.text()).rstrip(":"),
                                     _mnemonic(widget.text())))
            elif isinstance(widget, QTabBar):
                for i in range(widget.count()):
                    if _mnemonic(widget.tabText(i)):
                        entries.append(Entry(where, _plain(widget.tabText(i)),
                                             _mnemonic(widget.tabText(i))))
    unique: list[Entry] = []
    for entry in entries:
        if entry.keys and entry not in unique:
            unique.append(entry)
    return unique


def __getattr__(name: str) -> object:
    """`ShortcutsDialog` lives in `shortcuts_dialog` (its table widgets are costly to load
    at start-up); it is still found here."""
    if name == "ShortcutsDialog":
        from groupleader.ui.shortcuts_dialog import ShortcutsDialog

        return ShortcutsDialog
    raise AttributeError(name)
