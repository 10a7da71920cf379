"""language of responses and answers, staff translations

Revision ID: 65ccebbc8ef0
Revises: b7e2d4a1c9f0
Create Date: 2026-12-03 14:20:40.492837

"""
from alembic import op
import sqlalchemy as sa

import engage.schema


revision = '65ccebbc8ef0'
down_revision = 'b7e2d4a1c9f0'
branch_labels = None
depends_on = None

# Plain ALTER TABLE, never batch mode: a batch rebuild on SQLite drops and recreates the
# response table, and dropping it would cascade to every answer.
ANSWER_COLUMNS = ("language", "translation", "translated_by_id", "translated_at")


def upgrade():
    op.add_column('answer', sa.Column('language', sa.String(length=12), nullable=True))
    op.add_column('answer', sa.Column('translation', sa.Text(), nullable=True))
    op.add_column('answer', sa.Column('translated_by_id', sa.Integer(), nullable=True))
    op.add_column(
        'answer',
        sa.Column('translated_at', engage.schema.UTCDateTime(timezone=True), nullable=True),
    )
    op.add_column(
        'response',
        sa.Column('language', sa.String(length=12), server_default='en', nullable=False),
    )


def downgrade():
    op.drop_column('response', 'language')
    for column in reversed(ANSWER_COLUMNS):
        op.drop_column('answer', column)
