"""easy-read title of updates

Revision ID: 7c2e5a1d9f40
Revises: 6d2e8f4a1c37
Create Date: 2026-12-03 10:05:00

"""

from alembic import op

revision = "7c2e5a1d9f40"
down_revision = "6d2e8f4a1c37"
branch_labels = None
depends_on = None

# Plain ALTER TABLE, never batch mode: a batch rebuild on SQLite drops and recreates the table.


def upgrade():
    op.execute("ALTER TABLE \"update\" ADD COLUMN easy_read_title VARCHAR(200) DEFAULT '' NOT NULL")


def downgrade():
    op.execute("ALTER TABLE \"update\" DROP COLUMN easy_read_title")
