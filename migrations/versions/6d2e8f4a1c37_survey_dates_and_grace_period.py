"""survey opening and closing dates, the moment it closed, and the grace period for drafts

Revision ID: 6d2e8f4a1c37
Revises: 8bb6c9fc06c5
Create Date: 2026-12-03 10:00:00

"""

from alembic import op

import engage.schema
import sqlalchemy as sa

revision = "6d2e8f4a1c37"
down_revision = "8bb6c9fc06c5"
branch_labels = None
depends_on = None

# Plain ALTER TABLE, never batch mode: on SQLite a batch rebuild drops the survey table, and
# its questions' foreign keys (ON DELETE CASCADE) would go with it.


def upgrade():
    op.add_column("survey", sa.Column("opens_on", sa.Date(), nullable=True))
    op.add_column("survey", sa.Column("closes_on", sa.Date(), nullable=True))
    op.add_column(
        "survey", sa.Column("closed_at", engage.schema.UTCDateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "survey", sa.Column("grace_hours", sa.Integer(), server_default="24", nullable=False)
    )


def downgrade():
    for name in ("grace_hours", "closed_at", "closes_on", "opens_on"):
        op.execute(f"ALTER TABLE survey DROP COLUMN {name}")
