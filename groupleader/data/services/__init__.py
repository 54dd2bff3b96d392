"""Services: the only code that writes the clinical record.

Each public function takes the open ``Vault`` first, runs one unit of work (one
transaction, with its audit event), validates its input (``InvalidInput`` naming the
field; nothing is half-written) and returns frozen snapshots from
``groupleader.data.snapshots`` or ids, never ORM objects. Split by subject:
``clinicians``, ``groups``, ``members``, ``meetings``, ``seating``, ``notes``, ``stats``.
"""
