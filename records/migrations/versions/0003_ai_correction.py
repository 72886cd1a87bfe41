"""Readers' corrected label maps of AI results (``ai_correction``).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``ai_correction``."""
    op.create_table(
        "ai_correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("ai_result_pk", sa.Integer(), nullable=False),
        sa.Column("reader", sa.String(length=200), nullable=False),
        sa.Column("labels_file", sa.Text(), nullable=False),
        sa.Column("source_path", sa.Text(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["ai_result_pk"], ["ai_result.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uid"),
    )
    with op.batch_alter_table("ai_correction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ai_correction_ai_result_pk"), ["ai_result_pk"],
                              unique=False)


def downgrade() -> None:
    """Drop ``ai_correction``."""
    with op.batch_alter_table("ai_correction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ai_correction_ai_result_pk"))
    op.drop_table("ai_correction")
