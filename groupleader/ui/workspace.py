"""The workspace: the groups sidebar beside the Roster, Seating and Sessions & Notes tabs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QTimer
from PySide6.QtWidgets import QSplitter, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from groupleader.errors import GroupLeaderError
from groupleader.ui.context import VIEW_TITLES, AppContext, GroupView
from groupleader.ui.widgets import EmptyState, ErrorBanner, _log

if TYPE_CHECKING:
    from groupleader.ui.measures.view import MeasuresView
    from groupleader.ui.roster import RosterView
    from groupleader.ui.seating import SeatingView
    from groupleader.ui.sessions import SessionsView

READ_ONLY_BANNER = (
    "Read-only: this vault's file or folder cannot be written (a read-only drive, folder "
    "or file), so you can read, find, export and back it up, but not change it. To work "
    "in it, quit, copy the vault file to a folder you can write to, and open the copy."
)


class Workspace(QWidget):
    """The groups sidebar and, for the chosen group, the three view tabs."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtCore import Qt  # not on the start path (see widgets.py)

        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.read_only_banner = ErrorBanner(self)  # stays while a read-only vault is open
        self.read_only_banner.setAccessibleName("Read-only vault")
        layout.addWidget(self.read_only_banner)
        # Messages that come while working (a backup that failed, a group change that
        # waits for a save) float across the bottom: they move no control under the
        # pointer. The read-only notice comes with the workspace and stays in the layout.
        from groupleader.ui.overlay import Floating

        self.banner = ErrorBanner(self)
        Floating(self.banner, self, self._banner_place)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        from groupleader.ui.groups import GroupsSidebar  # after unlock: not on the start path

        self.sidebar = GroupsSidebar(ctx, self.splitter)
        self.sidebar.setMinimumWidth(170)
        self.right = QStackedWidget(self.splitter)
        self.empty = EmptyState(
            "Create your first group",
            "A group holds its roster, seating and session notes.",
            "Create a group…",
            self.right,
        )
        assert self.empty.button is not None
        self.empty.button.clicked.connect(self.sidebar.new_group)
        self.right.addWidget(self.empty)
        self.tabs = QTabWidget(self.right)
        self.tabs.setAccessibleName("Group views")
        self.tabs.setDocumentMode(True)
        self.right.addWidget(self.tabs)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([170, 900])
        layout.addWidget(self.splitter, 1)
        self.views: list[GroupView] = []
        self.roster_view: RosterView | None = None
        self.seating_view: SeatingView | None = None
        self.sessions_view: SessionsView | None = None
        self.measures_view: MeasuresView | None = None
        self.sidebar.group_selected.connect(self.show_group)
        self._refused = False  # the banner says a change of group waits for a save

    def _banner_place(self, host: QWidget, banner: QWidget) -> QRect:
        """Across the bottom of the views' side (the groups' buttons stay uncovered)."""
        from groupleader.ui.overlay import MARGIN, banner_height

        left = self.splitter.x() + self.right.x() + MARGIN
        width = max(host.width() - left - MARGIN, 200)
        height = banner_height(banner, width)
        return QRect(left, max(host.height() - height - MARGIN, 0), width, height)

    def ensure_views(self) -> None:
        """Build the three views once (after the first unlock; their imports are heavy)."""
        if self.views:
            return
        from groupleader.ui.measures.view import MeasuresView
        from groupleader.ui.roster import RosterView
        from groupleader.ui.seating import SeatingView
        from groupleader.ui.sessions import SessionsView

        self.roster_view = RosterView(self.ctx, self.tabs)
        self.seating_view = SeatingView(self.ctx, self.tabs)
        self.sessions_view = SessionsView(self.ctx, self.tabs)
        self.measures_view = MeasuresView(self.ctx, self.tabs)
        views = (self.roster_view, self.seating_view, self.sessions_view, self.measures_view)
        for widget, title in zip(views, VIEW_TITLES, strict=True):
            widget.setAccessibleName(title.replace("&&", "&"))
            self.tabs.addTab(widget, title)
        self.views = list(views)
        self.sessions_view.autosave.recovered.connect(self._on_saved)

    def show_group(self, group_id: int | None) -> None:
        """Show a group's views; refused (the sidebar goes back) while text typed in the
        current group cannot be saved, so that no editor is emptied over unsaved text."""
        if group_id != self.ctx.current_group_id:
            try:
                self.save_pending()
            except GroupLeaderError as err:
                self._stay_in_group(err.message)
                return
        self.ctx.current_group_id = group_id
        for view in self.views:
            view.set_group(group_id)
        if group_id is None:
            has_groups = self.sidebar.model.rowCount() > 0
            self.empty.title.setText("Choose a group" if has_groups else "Create your first group")
            self.empty.text.setText(
                "Choose a group on the left, or create another one."
                if has_groups
                else "A group holds its roster, seating and session notes."
            )
            self.right.setCurrentWidget(self.empty)
        else:
            self.right.setCurrentWidget(self.tabs)

    def _stay_in_group(self, reason: str) -> None:
        current = self.ctx.current_group_id
        # After the list's own click handling is done: then the selection goes back.
        QTimer.singleShot(0, lambda: self.sidebar.reselect(current))
        self._refused = True
        actions = []
        if self.sessions_view is not None:
            sessions = self.sessions_view
            actions.append(("Show the text", lambda: self.tabs.setCurrentWidget(sessions)))
        actions.append(("Hide", self.banner.clear_message))
        self.banner.show_message(
            "Your latest text in Sessions & Notes could not be saved yet, so this group "
            f"stays open until it is. {reason}", actions)

    def _on_saved(self) -> None:
        if self._refused:
            self._refused = False
            self.banner.clear_message()

    def save_pending(self) -> None:
        """Ask every view to write what is still in its editors; raises GroupLeaderError
        (after trying every view) if some text could not be written."""
        failed: GroupLeaderError | None = None
        for view in self.views:
            try:
                view.save_pending()
            except GroupLeaderError as err:
                failed = failed or err
        if failed is not None:
            raise failed

    def show_read_only(self, read_only: bool) -> None:
        """The banner of a vault opened read-only: what it means and what to do."""
        if read_only:
            self.read_only_banner.show_message(READ_ONLY_BANNER, kind="info")
        else:
            self.read_only_banner.clear_message()

    def clear_clinical(self) -> None:
        for view in self.views:
            try:
                view.clear_clinical()
            except Exception as err:  # go on clearing the others
                _log().error("clear_clinical failed in %s: %s", type(view).__name__,
                          type(err).__name__)
            view.set_group(None)
        self.sidebar.clear()
        self._refused = False
        self.banner.clear_message()
        self.read_only_banner.clear_message()
        self.right.setCurrentWidget(self.empty)
