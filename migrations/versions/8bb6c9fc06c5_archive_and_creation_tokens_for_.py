"""archive and creation tokens for engagements and surveys

Revision ID: 8bb6c9fc06c5
Revises: 3f1d2c9a7b10
Create Date: 2026-12-03 09:26:38.391493

"""
from alembic import op
import sqlalchemy as sa

import engage.schema


# revision identifiers, used by Alembic.
revision = '8bb6c9fc06c5'
down_revision = '3f1d2c9a7b10'
branch_labels = None
depends_on = None

TABLES = ("engagement", "survey")


def upgrade():
    # Plain ADD COLUMN and a unique index, not a batch table copy: on SQLite, with foreign
    # keys on, copying a table that questions and responses point at cannot be done.
    for table in TABLES:
        op.add_column(table, sa.Column('archived_at', engage.schema.UTCDateTime(timezone=True), nullable=True))
        op.add_column(table, sa.Column('creation_token', sa.String(length=64), nullable=True))
        op.create_index(op.f(f'ix_{table}_creation_token'), table, ['creation_token'], unique=True)


def downgrade():
    for table in reversed(TABLES):
        op.drop_index(op.f(f'ix_{table}_creation_token'), table_name=table)
        op.drop_column(table, 'creation_token')
        op.drop_column(table, 'archived_at')
