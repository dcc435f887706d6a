"""Alembic's environment: run with the connection `service.store.migrate` hands over
(no alembic.ini; the URL comes from the service's settings)."""

from alembic import context

from service.store.tables import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
