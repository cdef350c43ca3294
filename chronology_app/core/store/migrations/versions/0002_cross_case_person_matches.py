"""cross-case person matches

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "person_match",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_a_id", sa.Integer(), nullable=False),
        sa.Column("person_b_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("decided_by", sa.String(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_a_id"], ["person.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["person_b_id"], ["person.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_a_id", "person_b_id"),
    )
    with op.batch_alter_table("person_match", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_person_match_person_a_id"), ["person_a_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_person_match_person_b_id"), ["person_b_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("person_match", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_match_person_b_id"))
        batch_op.drop_index(batch_op.f("ix_person_match_person_a_id"))

    op.drop_table("person_match")
