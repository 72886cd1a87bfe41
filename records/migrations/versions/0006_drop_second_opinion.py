"""Retire the ``second_opinion`` table of the first schema.

Second opinions and audits are the ``referral*`` tables (0005, issue 21): a request and a
signed, versioned review that travel through the archive. The old table referenced a local
report version, which a reference centre does not hold, and nothing in the app wrote to it
(only ``Store.add_second_opinion``, removed with it). An empty table is dropped; one that
somehow holds rows is kept, renamed ``second_opinion_retired``, so no record is lost.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RETIRED = "second_opinion_retired"


def upgrade() -> None:
    """Drop the table when empty, else rename it."""
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT count(*) FROM second_opinion")).scalar()
    if rows:
        op.rename_table("second_opinion", RETIRED)
        return
    with op.batch_alter_table("second_opinion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_second_opinion_report_version_pk"))
        batch_op.drop_index(batch_op.f("ix_second_opinion_first_reader"))
    op.drop_table("second_opinion")


def downgrade() -> None:
    """The table again (its rows back where they were kept)."""
    if RETIRED in sa.inspect(op.get_bind()).get_table_names():
        op.rename_table(RETIRED, "second_opinion")
        return
    op.create_table(
        "second_opinion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_version_pk", sa.Integer(), nullable=False),
        sa.Column("expert", sa.String(length=200), nullable=False),
        sa.Column("first_reader", sa.String(length=200), nullable=False),
        sa.Column("first_grade", sa.String(length=8), nullable=False),
        sa.Column("expert_grade", sa.String(length=8), nullable=False),
        sa.Column("discrepancy", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["report_version_pk"], ["report_version.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("second_opinion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_second_opinion_first_reader"), ["first_reader"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_second_opinion_report_version_pk"),
                              ["report_version_pk"], unique=False)
