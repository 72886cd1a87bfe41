"""Studies record whether their UID was derived on this station (no DICOM identity).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``study.uid_derived``; existing studies count as real (false) until opened again."""
    with op.batch_alter_table("study", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uid_derived", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    """Drop ``study.uid_derived``."""
    with op.batch_alter_table("study", schema=None) as batch_op:
        batch_op.drop_column("uid_derived")
