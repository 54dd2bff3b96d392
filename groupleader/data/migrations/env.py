"""Alembic environment: always runs on the vault's own keyed connection."""

from alembic import context

from groupleader.data import models

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=models.Base.metadata,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
