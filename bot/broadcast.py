"""Policy notices to a topic's subscribers, sent at a bounded rate and resumable after a crash.

An admin's new or replacing document gives a *draft* (the notice frozen as it will be shown,
and how many subscribers its topic has); the admin confirms and the subscribers of that
moment become one `broadcast_recipients` row each, `pending`. The sender then works through
the pending rows and writes each one's outcome the moment Telegram answers:

- `sent`: delivered; `blocked`: 403, the user blocked the bot (unsubscribed from everything
  in the same transaction, so the next broadcast does not try again); `failed`: any other
  error that outlived a bounded retry (a 400 is not retried at all).
- 429 Too Many Requests pauses the whole broadcast for the `retry_after` Telegram asks for
  (it is not a failure of that recipient, up to `MAX_FLOOD_WAITS` times).
- A send whose answer never came (a time-out, a dropped connection) is tried again, as is
  usual with Telegram: it may have arrived, so this is the at-least-once side of the same
  choice `run` makes at the kill point.

Rate: one bucket shared by every broadcast of the process, holding one token and refilled
`rate` times a second, so at most `rate` notices leave in any one-second window (a bigger
bucket would allow a burst of its size on top of the rate).

The service knows no Telegram: the caller passes a `Sender` that sends one notice and says
how it went. The process may die at any instruction; see `BroadcastService.run` for what a
restart does.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.db.models import Broadcast, BroadcastRecipient, Subscription, User
from bot.knowledge_base import KnowledgeBase
from bot.subscriptions import SubscriptionService
from bot.texts import Lang
from bot.views import as_utc

log = logging.getLogger("finbot.broadcast")

MAX_ATTEMPTS = 3  # a recipient whose sends fail this often (5xx, network) is `failed`
MAX_FLOOD_WAITS = 20  # 429s one recipient may meet before it is `failed`
RETRY_BASE_S = 0.5
MAX_RETRY_AFTER_S = 120.0
WORKERS = 4  # sends in flight at once (Telegram's round trip is ~0.1 s; the bucket paces)
DRAFT_TTL = timedelta(days=2)  # an admin's unanswered question to send a notice lapses


class Delivery(StrEnum):
    SENT = "sent"
    BLOCKED = "blocked"  # 403: the user blocked the bot or deleted the account
    RETRY = "retry"  # transient (5xx, network, 429 with `retry_after`)
    FAILED = "failed"  # permanent (400: chat not found …)


@dataclass(frozen=True)
class SendResult:
    delivery: Delivery
    retry_after: float | None = None  # set for a 429


@dataclass(frozen=True)
class Notice:
    """What a subscriber is shown; stored as JSON with the broadcast."""

    doc_id: str
    topic: str
    title: str
    doc_number: str | None = None
    effective: str | None = None  # ISO date
    replaces_title: str | None = None
    replaces_number: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Notice:
        fields: dict[str, Any] = {k: data.get(k) for k in cls.__dataclass_fields__}
        return cls(**fields)


@dataclass(frozen=True)
class Draft:
    """The admin's question: send `notice` to `recipients` subscribers of its topic?
    `broadcast_id` is None when the topic has no subscribers (nothing to confirm)."""

    broadcast_id: int | None
    notice: Notice
    recipients: int


@dataclass(frozen=True)
class Report:
    broadcast_id: int
    admin_id: int
    notice: Notice
    state: str
    total: int
    sent: int
    blocked: int
    failed: int

    @property
    def pending(self) -> int:
        return self.total - self.sent - self.blocked - self.failed


Sender = Callable[[int, Lang, Notice], Awaitable[SendResult]]
Reporter = Callable[[Report], Awaitable[None]]
STOP_GRACE_S = 5.0  # at shutdown, sends in flight may finish and be recorded this long


class TokenBucket:
    """One token, `rate` refills a second: sends are spaced 1/rate apart (never two in one
    slot), and `pause` holds every sender back for a 429's retry_after."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def take(self) -> None:
        async with self._lock:
            while (wait := self._next - time.monotonic()) > 0:
                await asyncio.sleep(wait)
            self._next = time.monotonic() + self.interval

    def pause(self, seconds: float) -> None:
        self._next = max(self._next, time.monotonic() + seconds)


class BroadcastService:
    def __init__(
        self,
        db: async_sessionmaker[AsyncSession],
        clock: Clock,
        kb: KnowledgeBase,
        subscriptions: SubscriptionService,
        *,
        rate: float,
        workers: int = WORKERS,
        retry_base_s: float = RETRY_BASE_S,
    ) -> None:
        self._db = db
        self._clock = clock
        self._kb = kb
        self._subscriptions = subscriptions
        self.bucket = TokenBucket(rate)
        self._workers = workers
        self._retry_base_s = retry_base_s
        self._running: set[int] = set()
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._stopping = asyncio.Event()

    # ------------------------------------------------------------------ the admin's side
    async def prepare(
        self, doc_id: str, admin_id: int, replaced: str | None = None
    ) -> Draft | None:
        """A draft for a document just added or replaced; None unless it is current."""
        info = self._kb.info(doc_id)
        rec = self._kb.store.snapshot().docs.get(doc_id)
        topic = self._subscriptions.document_topic(doc_id)
        if info is None or rec is None or topic is None or info.status != "current":
            return None
        old = self._kb.info(replaced) if replaced else None
        meta = rec.doc.meta
        notice = Notice(
            doc_id=doc_id, topic=topic, title=info.title, doc_number=info.doc_number,
            effective=info.effective.isoformat() if info.effective else None,
            replaces_title=old.title if old else meta.replaces,
            replaces_number=old.doc_number if old else meta.replaces_number,
        )  # fmt: skip
        recipients = await self._subscriptions.count(topic)
        if recipients == 0:
            return Draft(None, notice, 0)
        async with self._db() as session, session.begin():
            row = Broadcast(
                doc_id=doc_id, topic=topic, notice=asdict(notice), state="draft",
                admin_id=admin_id, created_at=self._clock.now(),
            )  # fmt: skip
            session.add(row)
            await session.flush()
            return Draft(row.id, notice, recipients)

    async def confirm(self, broadcast_id: int) -> int | None:
        """Fix the recipients (the topic's subscribers now) and mark it sending; the number
        of recipients, or None when it was confirmed or cancelled already (a second tap) or
        the draft is older than DRAFT_TTL (a notice nobody sent for days is news no more:
        the admin can send it again with /notify)."""
        now = self._clock.now()
        async with self._db() as session, session.begin():
            row = await session.get(Broadcast, broadcast_id, with_for_update=True)
            if row is None or row.state != "draft":
                return None
            if now - as_utc(row.created_at) > DRAFT_TTL:
                row.state = "cancelled"
                return None
            stmt = select(Subscription.user_id).where(Subscription.topic == row.topic)
            users = sorted(set((await session.scalars(stmt)).all()))
            session.add_all(
                BroadcastRecipient(
                    broadcast_id=broadcast_id,
                    user_id=u,
                    state="pending",
                    attempts=0,
                    updated_at=now,
                )
                for u in users
            )
            row.state, row.started_at = "sending", now
        return len(users)

    async def cancel(self, broadcast_id: int) -> bool:
        async with self._db() as session, session.begin():
            row = await session.get(Broadcast, broadcast_id)
            if row is None or row.state != "draft":
                return False
            row.state = "cancelled"
        return True

    async def unfinished(self) -> list[int]:
        """Broadcasts confirmed and not yet reported (a restart resumes them)."""
        async with self._db() as session:
            stmt = select(Broadcast.id).where(Broadcast.state == "sending").order_by(Broadcast.id)
            return list((await session.scalars(stmt)).all())

    async def report(self, broadcast_id: int) -> Report | None:
        async with self._db() as session:
            row = await session.get(Broadcast, broadcast_id)
            if row is None:
                return None
            stmt = (
                select(BroadcastRecipient.state, func.count())
                .where(BroadcastRecipient.broadcast_id == broadcast_id)
                .group_by(BroadcastRecipient.state)
            )
            counts: dict[str, int] = {s: int(n) for s, n in (await session.execute(stmt)).all()}
        return Report(
            broadcast_id, row.admin_id, Notice.from_json(row.notice), row.state,
            sum(counts.values()), counts.get("sent", 0), counts.get("blocked", 0),
            counts.get("failed", 0),
        )  # fmt: skip

    async def finish(self, broadcast_id: int) -> None:
        """After the admin got the report: nothing left to resume."""
        async with self._db() as session, session.begin():
            row = await session.get(Broadcast, broadcast_id)
            if row is not None and row.state == "sending":
                row.state, row.finished_at = "done", self._clock.now()

    # ------------------------------------------------------------------ in the background
    def start(self, broadcast_id: int, sender: Sender, reporter: Reporter) -> bool:
        """Send in a background task, then hand the report to `reporter` and `finish`.

        A task of its own, not PTB's `create_task`: the application's stop waits for those,
        and a broadcast to thousands would hold a SIGTERM for minutes. `stop` ends it
        between two sends instead; the next start resumes it. False: already running.
        """
        if broadcast_id in self._tasks or self._stopping.is_set():
            return False
        task = asyncio.create_task(self._run_and_report(broadcast_id, sender, reporter))
        self._tasks[broadcast_id] = task
        task.add_done_callback(lambda _t: self._tasks.pop(broadcast_id, None))
        return True

    async def _run_and_report(self, broadcast_id: int, sender: Sender, reporter: Reporter) -> None:
        try:
            report = await self.run(broadcast_id, sender)
            if report is None or report.state != "sending" or report.pending:
                return  # stopped midway (resumed at the next start) or not ours to report
            await reporter(report)
            await self.finish(broadcast_id)
        except Exception:
            log.exception(
                "broadcast %s stopped by an error; the next start resumes it", broadcast_id
            )

    async def stop(self) -> None:
        """Shutdown: no new send starts; those in flight get `STOP_GRACE_S` to be recorded."""
        self._stopping.set()
        tasks = list(self._tasks.values())
        if not tasks:
            return
        _done, late = await asyncio.wait(tasks, timeout=STOP_GRACE_S)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)

    async def wait_idle(self) -> None:
        """Until every background broadcast has ended (tests, the benchmark)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    # ------------------------------------------------------------------ sending
    async def run(self, broadcast_id: int, sender: Sender) -> Report | None:
        """Send to every pending recipient; the report once none is pending.

        None when this broadcast is being sent already (a resume racing a confirm) or does
        not exist. Safe to call again after a crash: only `pending` rows are sent to.

        At the kill point this is *at-least-once*, in a window of one commit: a recipient's
        row is written `sent` in the step right after Telegram accepted the message, so a
        process killed between Telegram's answer and that commit (a few milliseconds) sends
        that one notice again on restart. A send that was still in flight when the process
        died was never answered, and Telegram drops a request whose client is gone before it
        is handled, so such a recipient is sent to once, on restart. Nobody is skipped: a
        row leaves `pending` only with an outcome. The alternative (write `sent` first, then
        send) would lose a notice in the same window, and a missed policy change is worse
        than a rare duplicate. The final report is at-least-once too (sent, then `finish`).
        """
        if broadcast_id in self._running:
            return None
        self._running.add(broadcast_id)
        try:
            report = await self.report(broadcast_id)
            if report is None or report.state != "sending":
                return report
            queue = await self._pending(broadcast_id)
            notice = report.notice
            async with asyncio.TaskGroup() as group:  # one failing sender stops them all
                for _ in range(self._workers):
                    group.create_task(self._work(broadcast_id, queue, notice, sender))
            return await self.report(broadcast_id)
        finally:
            self._running.discard(broadcast_id)

    async def _pending(self, broadcast_id: int) -> asyncio.Queue[tuple[int, Lang]]:
        stmt = (
            select(BroadcastRecipient.user_id, User.language)
            .outerjoin(User, User.id == BroadcastRecipient.user_id)
            .where(
                BroadcastRecipient.broadcast_id == broadcast_id,
                BroadcastRecipient.state == "pending",
            )
            .order_by(BroadcastRecipient.user_id)
        )
        async with self._db() as session:
            rows = (await session.execute(stmt)).all()
        queue: asyncio.Queue[tuple[int, Lang]] = asyncio.Queue()
        for user_id, language in rows:
            queue.put_nowait((int(user_id), "en" if language == "en" else "zh"))
        return queue

    async def _work(
        self,
        broadcast_id: int,
        queue: asyncio.Queue[tuple[int, Lang]],
        notice: Notice,
        sender: Sender,
    ) -> None:
        while not queue.empty() and not self._stopping.is_set():
            user_id, lang = queue.get_nowait()
            delivered = await self._deliver(user_id, lang, notice, sender)
            if delivered is not None:
                await self._record(broadcast_id, user_id, *delivered)

    async def _deliver(
        self, user_id: int, lang: Lang, notice: Notice, sender: Sender
    ) -> tuple[Delivery, int] | None:
        """Send until an outcome: (sent|blocked|failed, sends tried); None when the bot
        stops before there is one (the recipient stays pending)."""
        tries = floods = 0
        while True:
            await self.bucket.take()
            if self._stopping.is_set():
                return None
            tries += 1
            try:
                result = await sender(user_id, lang, notice)
            except Exception:  # a bug in rendering must not stop the other recipients
                log.exception("sending a notice failed")
                result = SendResult(Delivery.RETRY)
            if result.delivery in (Delivery.SENT, Delivery.BLOCKED, Delivery.FAILED):
                return result.delivery, tries
            if result.retry_after is not None:
                floods += 1
                self.bucket.pause(min(result.retry_after, MAX_RETRY_AFTER_S))
                if floods <= MAX_FLOOD_WAITS:
                    continue
                return Delivery.FAILED, tries
            if tries - floods >= MAX_ATTEMPTS:
                return Delivery.FAILED, tries
            await asyncio.sleep(self._retry_base_s * 2 ** (tries - floods - 1))

    async def _record(
        self, broadcast_id: int, user_id: int, outcome: Delivery, attempts: int
    ) -> None:
        """The recipient's outcome, committed at once (see `run` on the kill point)."""
        async with self._db() as session, session.begin():
            await session.execute(
                update(BroadcastRecipient)
                .where(
                    BroadcastRecipient.broadcast_id == broadcast_id,
                    BroadcastRecipient.user_id == user_id,
                )
                .values(state=outcome.value, attempts=attempts, updated_at=self._clock.now())
            )
            if outcome is Delivery.BLOCKED:
                await session.execute(delete(Subscription).where(Subscription.user_id == user_id))
