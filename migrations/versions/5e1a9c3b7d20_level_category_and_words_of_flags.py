"""level, category and matched words of safeguarding flags; the false-flag status

Revision ID: 5e1a9c3b7d20
Revises: a76f4633deb6
Create Date: 2026-12-03 13:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5e1a9c3b7d20"
down_revision = "a76f4633deb6"
branch_labels = None
depends_on = None

OLD_STATUSES = ("new", "reviewed", "referred", "no_action")
NEW_STATUSES = OLD_STATUSES + ("false_flag",)
# The status columns' CHECK constraints, named by engage.extensions.NAMING.
STATUS_CHECKS = (
    ("safeguarding_flag", "ck_safeguarding_flag_flag_status"),
    ("flag_event", "ck_flag_event_flag_event_status"),
)


def _statuses(values):
    return "status IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def _replace_status_checks(values):
    for table, name in STATUS_CHECKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(name), type_="check")
            batch_op.create_check_constraint(op.f(name), _statuses(values))


def upgrade():
    with op.batch_alter_table("safeguarding_flag", schema=None) as batch_op:
        # Flags raised before levels existed were all e-mailed at once: urgent.
        batch_op.add_column(
            sa.Column(
                "level",
                sa.Enum(
                    "urgent",
                    "concern",
                    name="flag_level",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                server_default="urgent",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column("category", sa.String(length=300), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("matched_words", sa.JSON(), nullable=True))
    _replace_status_checks(NEW_STATUSES)


def downgrade():
    # A false flag becomes "no action" (its note, in the flag's trail, says why).
    op.execute("UPDATE safeguarding_flag SET status = 'no_action' WHERE status = 'false_flag'")
    op.execute("UPDATE flag_event SET status = 'no_action' WHERE status = 'false_flag'")
    _replace_status_checks(OLD_STATUSES)
    with op.batch_alter_table("safeguarding_flag", schema=None) as batch_op:
        batch_op.drop_column("matched_words")
        batch_op.drop_column("category")
        batch_op.drop_constraint(op.f("ck_safeguarding_flag_flag_level"), type_="check")
        batch_op.drop_column("level")
