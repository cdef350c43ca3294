"""person name keys: cross-case suggestions by an indexed join

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

import json

import sqlalchemy as sa
from alembic import op

from chronology_app.core.name_matching import name_keys

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    keys = op.create_table(
        "person_name_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("person_name_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_name_key_key"), ["key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_person_name_key_person_id"), ["person_id"], unique=False
        )
    # The persons already in the workspace get their keys now.
    rows = []
    for person_id, doc in op.get_bind().execute(sa.text("SELECT id, doc FROM person")):
        document = json.loads(doc) if isinstance(doc, str) else doc
        names = [document["name"], *(document.get("aliases") or [])]
        rows += [{"person_id": person_id, "key": key} for key in sorted(name_keys(names))]
    if rows:
        op.bulk_insert(keys, rows)


def downgrade() -> None:
    with op.batch_alter_table("person_name_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_name_key_person_id"))
        batch_op.drop_index(batch_op.f("ix_person_name_key_key"))
    op.drop_table("person_name_key")
