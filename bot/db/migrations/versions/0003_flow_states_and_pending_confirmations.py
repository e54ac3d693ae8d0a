"""flow states written through, pending document confirmations

The financing form, the handoff intake and FAQ drafts keep their step in `flow_states`,
written before the bot replies (PTB's persistence flushed every two seconds, so a crash
lost the form). An admin's upload waiting for 替换 / 作为新文档 moves from memory into
`pending_confirmations`. Forms and intakes in progress are carried over from the old
`conversation_state` table, which nothing reads any more.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 09:00:00
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

FORM, INTAKE, USER_DATA = "financing_form", "handoff_intake", "__user_data__"


def upgrade() -> None:
    flows = op.create_table(
        "flow_states",
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "user_id"),
    )
    op.create_table(
        "pending_confirmations",
        sa.Column("token", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("doc_id", sa.String(length=200), nullable=True),
        sa.Column("conflicts", sa.JSON(), nullable=False),
        sa.Column("duplicate", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token"),
    )
    with op.batch_alter_table("pending_confirmations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pending_confirmations_created_at"), ["created_at"], unique=False
        )
    old = sa.table(
        "conversation_state",
        sa.column("name", sa.String),
        sa.column("key", sa.String),
        sa.column("state", sa.String),
        sa.column("data", sa.JSON),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    rows = op.get_bind().execute(sa.select(old)).mappings().all()
    carried = _carried_over([dict(r) for r in rows])
    if carried:
        op.bulk_insert(flows, carried)
    op.drop_table("conversation_state")


def _carried_over(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Forms and intakes of the old ConversationHandler persistence, as flow rows."""
    forms = {
        str(r["key"]): (r["data"] or {}).get("form")
        for r in rows
        if r["name"] == USER_DATA and isinstance(r["data"], dict)
    }
    out = []
    for r in rows:
        if r["name"] not in (FORM, INTAKE) or r["state"] is None:
            continue
        chat_id, user_id = (int(x) for x in json.loads(r["key"]))
        step = json.loads(r["state"])
        form = forms.get(str(user_id)) if r["name"] == FORM else None
        if r["name"] == FORM and not isinstance(form, dict):
            continue  # the step without its answers: nothing worth resuming
        out.append(
            {
                "kind": r["name"],
                "user_id": user_id,
                "chat_id": chat_id,
                "step": str(step if r["name"] == FORM else "note"),
                "data": form or {},
                "version": 1,
                "updated_at": r["updated_at"] or datetime.now(UTC),
            }
        )
    return out


def downgrade() -> None:
    op.create_table(
        "conversation_state",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("state", sa.String(length=64), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", "key"),
    )
    with op.batch_alter_table("pending_confirmations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_confirmations_created_at"))
    op.drop_table("pending_confirmations")
    op.drop_table("flow_states")  # flows in progress are not carried back
