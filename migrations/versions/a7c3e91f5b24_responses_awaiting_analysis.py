"""responses awaiting analysis by the worker

Revision ID: a7c3e91f5b24
Revises: 65ccebbc8ef0
Create Date: 2026-12-03 17:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'a7c3e91f5b24'
down_revision = '65ccebbc8ef0'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, never batch mode: a batch rebuild on SQLite drops and recreates the
# response table, and dropping it would cascade to every answer.
def upgrade():
    op.add_column(
        'response',
        sa.Column('analysis_pending', sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_index(
        'ix_response_analysis_pending',
        'response',
        ['id'],
        sqlite_where=sa.text('analysis_pending'),
        postgresql_where=sa.text('analysis_pending'),
    )


def downgrade():
    op.drop_index('ix_response_analysis_pending', table_name='response')
    op.drop_column('response', 'analysis_pending')
