"""The Sessions view: session list, attendance, group, member and process notes."""

from groupleader.ui.sessions.view import SessionsView

__all__ = ["SessionsView"]
