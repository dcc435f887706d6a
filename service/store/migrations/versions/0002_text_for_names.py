"""text for names the store does not bound

A scenario's name and a custom ruleset's id have no length limit in the model, and a job's owner
is `hostname:pid:tag` (a host name alone may be 64 characters): PostgreSQL refused longer values
of the first widths (300, 100, 64), SQLite never checked them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

WIDENED = (('scenarios', 'name', 300), ('jobs', 'ruleset', 100), ('jobs', 'owner', 64))


def upgrade() -> None:
    for table, column, width in WIDENED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=sa.String(length=width), type_=sa.Text())


def downgrade() -> None:
    for table, column, width in WIDENED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=sa.Text(), type_=sa.String(length=width))
