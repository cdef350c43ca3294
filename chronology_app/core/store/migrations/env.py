"""Alembic environment: migrations always run on a connection the workspace hands over."""

from alembic import context

from chronology_app.core.model import tables

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=tables.SQLModel.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
)
with context.begin_transaction():
    context.run_migrations()
