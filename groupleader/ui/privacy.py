"""Screen-share safe: while it is on, views show members' pseudonyms, never their names.

The flag is `Settings.screen_share_safe` (View > Screen-Share Safe, or Settings); a change
is announced with `ctx.settings_changed` and each view shows its names again.

Free text on screen (session titles, Find's snippets, the window title) goes through the
same redaction as a de-identified export (`groupleader.report.redact`, every member of
the vault, their other spellings, emergency contacts and the vault's general terms to
hide). The notes themselves are not shown while it is on: the Sessions view hides its
note pages behind a banner, after saving what was typed, so nothing typed is lost and
nothing is ever saved redacted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from groupleader.folding import initial, safe_alias
from groupleader.ui.context import AppContext

if TYPE_CHECKING:  # the redactor (and libphonenumber) load only when first needed
    from groupleader.report.redact import Redactor

_cache: dict[tuple[int, int, int | None], Redactor] = {}
_watched: set[int] = set()  # the contexts whose vault_closing drops the cache


def screen_safe(ctx: AppContext) -> bool:
    """True while the app-wide screen-share safe setting is on."""
    return bool(getattr(ctx.settings, "screen_share_safe", False))


def shown_name(name: str, pseudonym: str, safe: bool) -> str:
    """The name to show: the pseudonym (initials) while screen-share safe, if there is one."""
    if not safe:
        return name
    return safe_alias(pseudonym, [name]) if pseudonym else initials(name)


def initials(name: str) -> str:
    """"Ana María Soto" -> "A.M.S." (for someone who has no pseudonym; a Chinese,
    Japanese or Korean name has none, "王小明" -> "?")."""
    letters = [x for x in (initial(part) for part in name.split()) if x.isalpha()]
    return "".join(f"{x}." for x in letters) or "?"


def screen_redactor(ctx: AppContext) -> Redactor | None:
    """The de-identified export's redactor over the open vault (None when none is open).

    Built once and kept until the vault changes (every write records an audit event, so
    the newest event's id says whether the names or terms may have changed).
    """
    vault = ctx.vault
    if vault is None:
        return None
    from groupleader.data.operations import query
    from groupleader.data.operations.roster import last_event_id
    from groupleader.data.services import groups
    from groupleader.report.collect import load_people
    from groupleader.report.redact import Redactor

    if id(ctx) not in _watched:
        _watched.add(id(ctx))
        ctx.vault_closing.connect(_cache.clear)  # on lock: it holds every member's names
    group_id = ctx.current_group_id
    key = (id(vault), query(vault, last_event_id), group_id)
    found = _cache.get(key)
    if found is None:
        if group_id is None:
            listed = query(vault, groups.list_groups, include_archived=True)
            if not listed:
                return None
            group_id = listed[0].id
        people = load_people(vault, group_id)
        found = Redactor(people.identities, terms=people.terms, known=people.known,
                         review=False)
        _cache.clear()
        _cache[key] = found
    return found


def screen_text(ctx: AppContext, text: str) -> str:
    """`text` as the screen may show it: redacted while screen-share safe, else as it is."""
    if not text or not screen_safe(ctx):
        return text
    redactor = screen_redactor(ctx)
    return redactor.text(text) if redactor is not None else text

