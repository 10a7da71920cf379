"""language of responses and answers, staff translations

Revision ID: 65ccebbc8ef0
Revises: f40d52345703
Create Date: 2026-12-03 14:20:40.492837

"""
from alembic import op
import sqlalchemy as sa

import engage.schema


revision = '65ccebbc8ef0'
down_revision = 'f40d52345703'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('translation', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('translated_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('translated_at', engage.schema.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_answer_translated_by_id_user'), 'user', ['translated_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=12), server_default='en', nullable=False))



def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_column('language')

    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_answer_translated_by_id_user'), type_='foreignkey')
        batch_op.drop_column('translated_at')
        batch_op.drop_column('translated_by_id')
        batch_op.drop_column('translation')
        batch_op.drop_column('language')

