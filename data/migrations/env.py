"""Alembic environment: runs against the connection or URL that data.migrate hands in."""

from alembic import context
from sqlalchemy import create_engine

from data.models import metadata

config = context.config


def run() -> None:
    """Run migrations online, on a passed-in connection when there is one."""
    conn = config.attributes.get("connection")
    if conn is not None:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
