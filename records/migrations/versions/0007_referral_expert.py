"""A request may name one expert of the reference centre (``referral.addressed_expert``,
a login of the user directory, records.directory); "" asks any expert of the centre.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the column, "" for the requests already stored."""
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(sa.Column("addressed_expert", sa.String(length=200),
                                      nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_column("addressed_expert")
