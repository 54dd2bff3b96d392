"""Screen-share safe: while it is on, views show members' pseudonyms, never their names.

The flag is `Settings.screen_share_safe` (View > Screen-Share Safe, or Settings); a change
is announced with `ctx.settings_changed` and each view shows its names again.
"""

from __future__ import annotations

from groupleader.ui.context import AppContext


def screen_safe(ctx: AppContext) -> bool:
    """True while the app-wide screen-share safe setting is on."""
    return bool(getattr(ctx.settings, "screen_share_safe", False))


def shown_name(name: str, pseudonym: str, safe: bool) -> str:
    """The name to show: the pseudonym (initials) while screen-share safe, if there is one."""
    if not safe:
        return name
    return pseudonym or initials(name)


def initials(name: str) -> str:
    """"Ana María Soto" -> "A.M.S." (for someone who has no pseudonym)."""
    return "".join(f"{part[0]}." for part in name.split() if part[:1].isalpha()) or "?"
