"""A correction lists the DICOM files made from it (the corrected SEG) for the archive.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``ai_correction.files`` (empty for corrections saved before)."""
    with op.batch_alter_table("ai_correction", schema=None) as batch_op:
        batch_op.add_column(sa.Column("files", sa.JSON(), nullable=False,
                                      server_default="[]"))


def downgrade() -> None:
    """Drop ``ai_correction.files``."""
    with op.batch_alter_table("ai_correction", schema=None) as batch_op:
        batch_op.drop_column("files")
