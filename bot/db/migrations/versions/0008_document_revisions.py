"""document revisions: the quoted revision in the question log, a parked rollback

`question_log.cited` holds, for each passage an answer quoted (in quote order), its
document id, revision number, content hash and section (`[[doc_id, revision, hash8,
section], ...]`), so a 👎 on an answer that quoted an earlier text (before or after a
rollback) can be traced to that text; the statistics and the 👎 report read it too. Rows
logged before this revision have NULL (nothing was recorded then).
`pending_confirmations.revision` is the revision an admin's rollback waits to confirm.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("question_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cited", sa.JSON(), nullable=True))
    with op.batch_alter_table("pending_confirmations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pending_confirmations", schema=None) as batch_op:
        batch_op.drop_column("revision")
    with op.batch_alter_table("question_log", schema=None) as batch_op:
        batch_op.drop_column("cited")
