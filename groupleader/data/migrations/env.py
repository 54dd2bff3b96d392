"""Alembic environment: always runs on the vault's own keyed connection.

The caller (`groupleader.data.migrate.upgrade`) has already begun the one transaction all
revisions run in, so `begin_transaction` below adds none. The FTS5 tables are left out of
autogenerate: the models do not describe them.
"""

from alembic import context

from groupleader.data import migrate, models

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=models.Base.metadata,
    render_as_batch=True,
    include_name=migrate.include_name,
)
with context.begin_transaction():
    context.run_migrations()
