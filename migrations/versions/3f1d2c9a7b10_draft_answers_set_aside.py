"""draft answers set aside when a change hides their questions

Revision ID: 3f1d2c9a7b10
Revises: 050c67ad0093
Create Date: 2026-12-03 09:40:00

"""

from alembic import op

revision = "3f1d2c9a7b10"
down_revision = "050c67ad0093"
branch_labels = None
depends_on = None


# Plain ALTER TABLE, never batch mode: on SQLite a batch rebuild drops the response table,
# and its foreign keys would delete every answer with it.


def upgrade():
    op.execute("ALTER TABLE response ADD COLUMN set_aside_answers JSON")


def downgrade():
    op.execute("ALTER TABLE response DROP COLUMN set_aside_answers")
