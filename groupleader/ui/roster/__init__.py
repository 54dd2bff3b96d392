"""The roster view: members, memberships over time, CSV import and export."""

from groupleader.ui.roster.view import RosterView

__all__ = ["RosterView"]
