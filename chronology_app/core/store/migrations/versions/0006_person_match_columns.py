"""person match columns: what the cross-case join blocks on, beside each name key

Each `person_name_key` row gets the person's case, the year, month and day of their date of
birth (when it is a plain year, month or day) and whether they are a professional; each
`person` row gets its date of birth as written. Cross-case suggestions then join one table
and decode no document (core/store/filing.py, core/store/server_matching.py). The persons
already stored are filed again here by the same code the store uses.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

import json

import sqlalchemy as sa
from alembic import op

from chronology_app.core.store.filing import date_of_birth, key_rows

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_KEYS = sa.table(
    "person_name_key",
    sa.column("person_id", sa.Integer()),
    sa.column("key", sa.String()),
    sa.column("case_id", sa.Integer()),
    sa.column("birth_year", sa.Integer()),
    sa.column("birth_month", sa.Integer()),
    sa.column("birth_day", sa.Integer()),
    sa.column("professional", sa.Boolean()),
)


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("date_of_birth", sa.String(), nullable=True))
    with op.batch_alter_table("person_name_key", schema=None) as batch_op:
        batch_op.add_column(sa.Column("case_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("birth_year", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("birth_month", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("birth_day", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("professional", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # Every stored person filed again, by the store's own code (the keys come out the same).
    bind = op.get_bind()
    births: list[dict[str, object]] = []
    keys: list[dict[str, object]] = []
    for person_id, case_id, doc in bind.execute(sa.text("SELECT id, case_id, doc FROM person")):
        document = json.loads(doc) if isinstance(doc, str) else doc
        born = date_of_birth(document)
        if born is not None:
            births.append({"person": person_id, "born": born})
        keys += key_rows(person_id, case_id, document)
    if births:
        bind.execute(sa.text("UPDATE person SET date_of_birth = :born WHERE id = :person"), births)
    op.execute(_KEYS.delete())
    if keys:
        op.bulk_insert(_KEYS, keys)
    with op.batch_alter_table("person_name_key", schema=None) as batch_op:
        batch_op.alter_column("case_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("professional", existing_type=sa.Boolean(), server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("person_name_key", schema=None) as batch_op:
        batch_op.drop_column("professional")
        batch_op.drop_column("birth_day")
        batch_op.drop_column("birth_month")
        batch_op.drop_column("birth_year")
        batch_op.drop_column("case_id")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("date_of_birth")
