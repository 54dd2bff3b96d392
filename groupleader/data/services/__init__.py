"""Services: the rules of the clinical record, on an open SQLAlchemy ``Session``.

Each public function takes the caller's session first and never commits: the
operation for the user's action (``groupleader.data.operations``) opens the unit of
work, calls one or more services, writes the audit events and commits. Services
validate their input (``InvalidInput`` naming the field; the operation's transaction
rolls back, so nothing is half-written) and return frozen snapshots from
``groupleader.data.snapshots`` or ids, never ORM objects. Split by subject:
``clinicians``, ``groups``, ``members``, ``meetings``, ``seating``, ``notes``, ``stats``.
"""
