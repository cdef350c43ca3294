"""supervisor case reviews

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "case_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("reviewed_by", sa.String(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comments", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_record.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "key"),
    )
    with op.batch_alter_table("case_review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_review_case_id"), ["case_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("case_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_review_case_id"))

    op.drop_table("case_review")
