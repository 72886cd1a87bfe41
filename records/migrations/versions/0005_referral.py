"""Second-opinion and audit requests, their expert reviews and the first readers' answers
(``referral``, ``referral_review``, ``referral_review_version``, ``referral_response``).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _status() -> sa.Enum:
    return sa.Enum("draft", "preliminary", "final", "amended", name="reportstatus",
                   native_enum=False, create_constraint=True)


def upgrade() -> None:
    """Create the four tables."""
    op.create_table(
        "referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=64), nullable=False),
        sa.Column("study_pk", sa.Integer(), nullable=False),
        sa.Column("report_sop_uid", sa.String(length=64), nullable=False),
        sa.Column("report_series_uid", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("urgency", sa.String(length=16), nullable=False),
        sa.Column("requester", sa.String(length=200), nullable=False),
        sa.Column("first_reader", sa.String(length=200), nullable=False),
        sa.Column("centre", sa.String(length=200), nullable=False),
        sa.Column("addressed_to", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("images", sa.JSON(), nullable=False),
        sa.Column("first_report", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["study_pk"], ["study.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uid"),
    )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        for column in ("study_pk", "report_sop_uid", "first_reader", "centre"):
            batch_op.create_index(batch_op.f(f"ix_referral_{column}"), [column], unique=False)
    op.create_table(
        "referral_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=64), nullable=False),
        sa.Column("referral_pk", sa.Integer(), nullable=False),
        sa.Column("expert", sa.String(length=200), nullable=False),
        sa.Column("status", _status(), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["referral_pk"], ["referral.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uid"),
        sa.UniqueConstraint("referral_pk", "expert"),
    )
    with op.batch_alter_table("referral_review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_review_referral_pk"), ["referral_pk"],
                              unique=False)
    op.create_table(
        "referral_review_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_pk", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", _status(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sop_instance_uid", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["review_pk"], ["referral_review.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("review_pk", "version"),
        sa.UniqueConstraint("sop_instance_uid"),
    )
    with op.batch_alter_table("referral_review_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_review_version_review_pk"),
                              ["review_pk"], unique=False)


    op.create_table(
        "referral_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=64), nullable=False),
        sa.Column("referral_pk", sa.Integer(), nullable=False),
        sa.Column("review_uid", sa.String(length=64), nullable=False),
        sa.Column("review_sop_uid", sa.String(length=64), nullable=False),
        sa.Column("reader", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("responded_at", sa.DateTime(), nullable=False),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(["referral_pk"], ["referral.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uid"),
    )
    with op.batch_alter_table("referral_response", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_response_referral_pk"), ["referral_pk"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_referral_response_review_sop_uid"),
                              ["review_sop_uid"], unique=False)


def downgrade() -> None:
    """Drop the four tables."""
    op.drop_table("referral_response")
    op.drop_table("referral_review_version")
    op.drop_table("referral_review")
    op.drop_table("referral")
