"""Alembic environment: runs on the connection handed over by :func:`records.db.upgrade`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from records.models import Base

target_metadata = Base.metadata
config = context.config


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # the alembic command line, e.g. ``alembic revision --autogenerate``
        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=True, compare_type=True)
    context.run_migrations()


run_migrations()
