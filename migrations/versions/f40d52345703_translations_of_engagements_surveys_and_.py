"""translations of engagements, surveys and updates

Revision ID: f40d52345703
Revises: 5e1a9c3b7d20
Create Date: 2026-12-03 13:20:02.178285

"""
from alembic import op
import sqlalchemy as sa

import engage.schema


revision = 'f40d52345703'
down_revision = '5e1a9c3b7d20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('content_language',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('object_type', sa.Enum('engagement', 'survey', 'update', name='content_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('completed_by_id', sa.Integer(), nullable=True),
    sa.Column('completed_at', engage.schema.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['completed_by_id'], ['user.id'], name=op.f('fk_content_language_completed_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_language')),
    sa.UniqueConstraint('object_type', 'object_id', 'language', name=op.f('uq_content_language_object_type_object_id_language'))
    )
    op.create_table('content_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('object_type', sa.Enum('engagement', 'survey', 'update', name='content_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source_hash', sa.String(length=64), nullable=False),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.Column('translated_by_id', sa.Integer(), nullable=True),
    sa.Column('translated_at', engage.schema.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['translated_by_id'], ['user.id'], name=op.f('fk_content_translation_translated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_translation')),
    sa.UniqueConstraint('object_type', 'object_id', 'field', 'language', name=op.f('uq_content_translation_object_type_object_id_field_language'))
    )


def downgrade():
    op.drop_table('content_translation')
    op.drop_table('content_language')
