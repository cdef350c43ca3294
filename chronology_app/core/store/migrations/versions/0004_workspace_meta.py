"""workspace meta: the workspace's own id and the authority's settings

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    meta = op.create_table(
        "workspace_meta",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    # Every workspace, new or migrated, gets its id here, once.
    op.bulk_insert(meta, [{"key": "workspace_id", "value": uuid.uuid4().hex}])


def downgrade() -> None:
    op.drop_table("workspace_meta")
