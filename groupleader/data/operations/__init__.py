"""Operations: one function per user action, the only code that commits.

An operation opens one unit of work on the vault, calls the services (which hold the
rules and never commit), writes the action's audit events in the same transaction and
returns ``Done(value, changes)``: frozen snapshots plus a typed ``Changes`` set naming
what changed, so each view refreshes only what it shows. Reads go through ``query``.
Nothing here imports Qt: the window's runner, the command line and the tests all call
the same functions. Split by subject like the services.
"""

from groupleader.data.operations.base import Changes, Done, query

__all__ = ["Changes", "Done", "query"]
