"""when a published update's words last changed

Revision ID: b7e2d4a1c9f0
Revises: f40d52345703
Create Date: 2026-12-03 14:35:00

"""
from alembic import op
import sqlalchemy as sa

import engage.schema


revision = 'b7e2d4a1c9f0'
down_revision = 'f40d52345703'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('update', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_at', engage.schema.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('update', schema=None) as batch_op:
        batch_op.drop_column('edited_at')
