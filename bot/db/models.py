"""Tables. Every schema change comes with an Alembic revision in `bot/db/migrations`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    """A Telegram user the bot has talked to; language is remembered (/lang)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    username: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8), default="zh")
    blocked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class QuestionLog(Base):
    """Every question asked, for the officers' reports and the learning loop."""

    __tablename__ = "question_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(8), default="zh")
    band: Mapped[str] = mapped_column(String(16), index=True)
    top: Mapped[list[list[object]]] = mapped_column(
        JSON, default=list
    )  # [[doc_or_faq_id, score], ...]: the ranking, for diagnostics
    # what the answer quoted, in quote order: [[doc_id, revision, content hash (8 hex),
    # section], ...]; NULL before 0008. Statistics, the 👎 report and the history read it.
    cited: Mapped[list[list[object]] | None] = mapped_column(JSON)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    latency_ms: Mapped[float] = mapped_column(Float, default=0.0)
    feedback: Mapped[int | None] = mapped_column(Integer)  # +1 / -1
    source: Mapped[str] = mapped_column(
        String(16), default="telegram"
    )  # telegram | console | suggestion
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    # Why a 👎: off_topic | outdated | not_found | other (+ a short masked note for "other").
    feedback_reason: Mapped[str | None] = mapped_column(String(16))
    feedback_note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_question_log_user_message", "user_id", "chat_id", "message_id", unique=True),
    )


class Role(Base):
    """Roles granted in the chat (/grant); the environment's ids are roles too, not stored."""

    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    role: Mapped[str] = mapped_column(String(16))  # officer | admin
    granted_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditLog(Base):
    """Who did what, when: every privileged action."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class FlowState(Base):
    """Where a user is in a multi-step flow (the financing form, the handoff intake, an FAQ
    draft), written before the bot replies so a crash or a restart resumes at the same step."""

    __tablename__ = "flow_states"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    step: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ChatTurn(Base):
    """The last answered question of a person in a chat, which a follow-up ("那反担保呢？")
    may lean on; kept in the database so a restart does not forget the conversation."""

    __tablename__ = "chat_turns"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    turn: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)  # a `Turn`'s fields
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class PendingConfirmation(Base):
    """An admin's upload, removal or rollback waiting for 替换 / 作为新文档 / 确认 / 取消."""

    __tablename__ = "pending_confirmations"

    token: Mapped[str] = mapped_column(String(16), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # upload | remove | rollback
    user_id: Mapped[int] = mapped_column(BigInteger)
    filename: Mapped[str] = mapped_column(String(255), default="")
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    doc_id: Mapped[str | None] = mapped_column(String(200))
    conflicts: Mapped[list[str]] = mapped_column(JSON, default=list)
    duplicate: Mapped[str | None] = mapped_column(String(200))
    revision: Mapped[int | None] = mapped_column(Integer)  # kind "rollback": to which revision
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class FinancingRequest(Base):
    """A financing need (融资需求登记) and where it stands in the officers' workflow."""

    __tablename__ = "financing_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(20), unique=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    lang: Mapped[str] = mapped_column(String(8), default="zh")
    company: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18))
    contact_name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(32))
    amount_yuan: Mapped[int] = mapped_column(BigInteger)
    fin_type: Mapped[str] = mapped_column(String(32), index=True)
    term_months: Mapped[int] = mapped_column(Integer)
    purpose: Mapped[str] = mapped_column(Text)
    question_id: Mapped[int | None] = mapped_column(Integer)
    handoff_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(24), index=True)
    owner_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    owner_name: Mapped[str | None] = mapped_column(String(200))
    card_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    card_message_id: Mapped[int | None] = mapped_column(BigInteger)
    consent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RequestEvent(Base):
    """History of a request: created, claimed, status changes, notes, assignments."""

    __tablename__ = "request_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("financing_requests.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    actor_name: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RequestCounter(Base):
    """Per-day sequence behind the RZ-YYYYMMDD-NNNN reference numbers."""

    __tablename__ = "request_counters"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Handoff(Base):
    """A live conversation between an entrepreneur and an officer (联系工作人员)."""

    __tablename__ = "handoffs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    user_name: Mapped[str] = mapped_column(String(200), default="")
    lang: Mapped[str] = mapped_column(String(8), default="zh")
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), index=True)  # open | active | closed
    owner_id: Mapped[int | None] = mapped_column(BigInteger)
    owner_name: Mapped[str | None] = mapped_column(String(200))
    card_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    card_message_id: Mapped[int | None] = mapped_column(BigInteger)
    request_id: Mapped[int | None] = mapped_column(Integer)
    rating: Mapped[int | None] = mapped_column(Integer)
    closed_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HandoffMessage(Base):
    """One relayed message; the group copy's id lets an officer's reply find its case."""

    __tablename__ = "handoff_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handoff_id: Mapped[int] = mapped_column(ForeignKey("handoffs.id"), index=True)
    direction: Mapped[str] = mapped_column(String(8))  # user | officer
    sender_id: Mapped[int] = mapped_column(BigInteger)
    sender_name: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(16), default="text")  # text | photo | document
    text: Mapped[str] = mapped_column(Text, default="")
    file_id: Mapped[str | None] = mapped_column(String(256))
    group_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    group_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_handoff_messages_group", "group_chat_id", "group_message_id"),)


class CannedReply(Base):
    """An officers' ready-made reply (/c NAME in a handoff), with {企业名称}-style variables."""

    __tablename__ = "canned_replies"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Subscription(Base):
    """An entrepreneur's policy topic (上市 / 担保与贷款 / 基金 / 其他 or a KB category)."""

    __tablename__ = "subscriptions"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    topic: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Broadcast(Base):
    """A policy notice to a topic's subscribers: draft → sending → done (or cancelled).

    `notice` holds what every recipient is shown (title, 文号, 施行日期, what it replaces),
    frozen when the admin was asked, so a resumed broadcast sends the very same notice.
    """

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(64))
    notice: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), index=True)  # draft|sending|done|cancelled
    admin_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class BroadcastRecipient(Base):
    """One subscriber of one broadcast: pending → sent | blocked | failed (each final)."""

    __tablename__ = "broadcast_recipients"

    broadcast_id: Mapped[int] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    state: Mapped[str] = mapped_column(String(16))  # pending | sent | blocked | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_broadcast_recipients_state", "broadcast_id", "state"),)
