"""feedback reasons on the question log, and the chats' last answered turn

A 👎 now asks why (答非所问 / 内容过时 / 没有找到我要的 / 其他): the reason and the
masked free text of "其他" are kept on the question's log row; /unanswered counts them
per article the answer quoted first (`question_log.cited`, added by 0008). A follow-up
question leans on the last answered turn of its chat, kept in `chat_turns` so a restart
does not forget it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("feedback_reason", sa.String(length=16)),
    ("feedback_note", sa.Text()),
)


def upgrade() -> None:
    with op.batch_alter_table("question_log", schema=None) as batch_op:
        for name, kind in _COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))
    op.create_table(
        "chat_turns",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("turn", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", "user_id"),
    )
    with op.batch_alter_table("chat_turns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chat_turns_updated_at"), ["updated_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("chat_turns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chat_turns_updated_at"))
    op.drop_table("chat_turns")
    with op.batch_alter_table("question_log", schema=None) as batch_op:
        for name, _kind in reversed(_COLUMNS):
            batch_op.drop_column(name)
