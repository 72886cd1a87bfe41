# ruff: noqa: E501  (generated table definitions)
"""Initial schema: studies, reports and versions, second opinions, AI, dictation, audit, outbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The audit log is append-only: the database itself refuses to change or remove an event.
_AUDIT_TRIGGERS = (
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END""",
    # A saved report version is immutable too; a change is a new version.
    """CREATE TRIGGER report_version_no_update BEFORE UPDATE ON report_version
       BEGIN SELECT RAISE(ABORT, 'report_version is immutable'); END""",
    """CREATE TRIGGER report_version_no_delete BEFORE DELETE ON report_version
       BEGIN SELECT RAISE(ABORT, 'report_version is immutable'); END""",
)


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('study_instance_uid', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_study_instance_uid'), ['study_instance_uid'], unique=False)

    op.create_table('outbox_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('object_pk', sa.Integer(), nullable=False),
    sa.Column('study_instance_uid', sa.String(length=64), nullable=False),
    sa.Column('state', sa.Enum('pending', 'in_progress', 'done', 'conflict', 'failed', name='jobstate', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('lease_until', sa.DateTime(), nullable=True),
    sa.Column('lease_holder', sa.String(length=100), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'object_pk')
    )
    with op.batch_alter_table('outbox_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_job_next_attempt_at'), ['next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_job_state'), ['state'], unique=False)

    op.create_table('patient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.String(length=64), nullable=False),
    sa.Column('issuer', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('birth_date', sa.String(length=8), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('patient_id', 'issuer')
    )
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_patient_patient_id'), ['patient_id'], unique=False)

    op.create_table('study',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_instance_uid', sa.String(length=64), nullable=False),
    sa.Column('patient_pk', sa.Integer(), nullable=True),
    sa.Column('study_date', sa.String(length=8), nullable=False),
    sa.Column('study_time', sa.String(length=16), nullable=False),
    sa.Column('accession_number', sa.String(length=16), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('modalities', sa.String(length=64), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('local_path', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['patient_pk'], ['patient.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('study_instance_uid')
    )
    with op.batch_alter_table('study', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_study_patient_pk'), ['patient_pk'], unique=False)

    op.create_table('ai_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('study_pk', sa.Integer(), nullable=False),
    sa.Column('series_instance_uid', sa.String(length=64), nullable=False),
    sa.Column('model_name', sa.String(length=100), nullable=False),
    sa.Column('model_version', sa.String(length=50), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('mask_files', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['study_pk'], ['study.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uid')
    )
    with op.batch_alter_table('ai_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ai_result_study_pk'), ['study_pk'], unique=False)

    op.create_table('report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('study_pk', sa.Integer(), nullable=False),
    sa.Column('protocol', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('draft', 'preliminary', 'final', 'amended', name='reportstatus', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('current_version', sa.Integer(), nullable=False),
    sa.Column('base_remote_sop_uid', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['study_pk'], ['study.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uid')
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_study_pk'), ['study_pk'], unique=False)

    op.create_table('series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_instance_uid', sa.String(length=64), nullable=False),
    sa.Column('study_pk', sa.Integer(), nullable=False),
    sa.Column('modality', sa.String(length=16), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('number_of_instances', sa.Integer(), nullable=False),
    sa.Column('local_path', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['study_pk'], ['study.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('series_instance_uid')
    )
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_series_study_pk'), ['study_pk'], unique=False)

    op.create_table('ai_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ai_result_pk', sa.Integer(), nullable=False),
    sa.Column('reader', sa.String(length=200), nullable=False),
    sa.Column('verdict', sa.Enum('agree', 'partly', 'disagree', name='verdict', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('corrected_grade', sa.String(length=8), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['ai_result_pk'], ['ai_result.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ai_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ai_feedback_ai_result_pk'), ['ai_result_pk'], unique=False)

    op.create_table('dictation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_pk', sa.Integer(), nullable=False),
    sa.Column('report_pk', sa.Integer(), nullable=True),
    sa.Column('audio_path', sa.Text(), nullable=False),
    sa.Column('transcript', sa.Text(), nullable=False),
    sa.Column('timings', sa.JSON(), nullable=False),
    sa.Column('engine', sa.String(length=50), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['report_pk'], ['report.id'], ),
    sa.ForeignKeyConstraint(['study_pk'], ['study.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dictation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dictation_study_pk'), ['study_pk'], unique=False)

    op.create_table('report_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_pk', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'preliminary', 'final', 'amended', name='reportstatus', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sop_instance_uid', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['report_pk'], ['report.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('report_pk', 'version'),
    sa.UniqueConstraint('sop_instance_uid')
    )
    with op.batch_alter_table('report_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_version_report_pk'), ['report_pk'], unique=False)

    op.create_table('sync_conflict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_pk', sa.Integer(), nullable=False),
    sa.Column('report_pk', sa.Integer(), nullable=False),
    sa.Column('remote_sop_instance_uid', sa.String(length=64), nullable=False),
    sa.Column('remote_author', sa.String(length=200), nullable=False),
    sa.Column('detected_at', sa.DateTime(), nullable=False),
    sa.Column('resolution', sa.String(length=16), nullable=True),
    sa.Column('resolved_by', sa.String(length=200), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['job_pk'], ['outbox_job.id'], ),
    sa.ForeignKeyConstraint(['report_pk'], ['report.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('report_pk', 'remote_sop_instance_uid')
    )
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_conflict_job_pk'), ['job_pk'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_conflict_report_pk'), ['report_pk'], unique=False)

    op.create_table('second_opinion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_version_pk', sa.Integer(), nullable=False),
    sa.Column('expert', sa.String(length=200), nullable=False),
    sa.Column('first_reader', sa.String(length=200), nullable=False),
    sa.Column('first_grade', sa.String(length=8), nullable=False),
    sa.Column('expert_grade', sa.String(length=8), nullable=False),
    sa.Column('discrepancy', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['report_version_pk'], ['report_version.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('second_opinion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_second_opinion_first_reader'), ['first_reader'], unique=False)
        batch_op.create_index(batch_op.f('ix_second_opinion_report_version_pk'), ['report_version_pk'], unique=False)
    for statement in _AUDIT_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    """Downgrade schema."""
    for name in ("audit_event_no_update", "audit_event_no_delete",
                 "report_version_no_update", "report_version_no_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table('second_opinion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_second_opinion_report_version_pk'))
        batch_op.drop_index(batch_op.f('ix_second_opinion_first_reader'))

    op.drop_table('second_opinion')
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_conflict_report_pk'))
        batch_op.drop_index(batch_op.f('ix_sync_conflict_job_pk'))

    op.drop_table('sync_conflict')
    with op.batch_alter_table('report_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_version_report_pk'))

    op.drop_table('report_version')
    with op.batch_alter_table('dictation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dictation_study_pk'))

    op.drop_table('dictation')
    with op.batch_alter_table('ai_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ai_feedback_ai_result_pk'))

    op.drop_table('ai_feedback')
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_series_study_pk'))

    op.drop_table('series')
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_study_pk'))

    op.drop_table('report')
    with op.batch_alter_table('ai_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ai_result_study_pk'))

    op.drop_table('ai_result')
    with op.batch_alter_table('study', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_study_patient_pk'))

    op.drop_table('study')
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patient_patient_id'))

    op.drop_table('patient')
    with op.batch_alter_table('outbox_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_job_state'))
        batch_op.drop_index(batch_op.f('ix_outbox_job_next_attempt_at'))

    op.drop_table('outbox_job')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_study_instance_uid'))
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    op.drop_table('audit_event')
