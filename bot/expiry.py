"""Documents reaching their 有效期至: warn admins 30 days ahead, report the ones that lapsed.

Retirement itself needs no write: status is computed per day, so a document past its
有效期至 stops being cited as current the morning after. What the daily job adds is that
people hear about it, exactly once per document and date (remembered in the audit log,
so a restart or a missed day neither repeats nor loses a notice).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date

from bot.audit import AuditService
from bot.clock import Clock, local_today
from bot.knowledge_base import KnowledgeBase
from knowledge.models import DocStatus
from knowledge.status import valid_until

AHEAD_DAYS = 30
ACTION_WARNED = "doc.expiry_warned"
ACTION_EXPIRED = "doc.expired"
_AUDIT_SCAN = 10_000  # notices ever sent that we look back over; far more than documents


@dataclass(frozen=True, slots=True)
class ExpiryItem:
    doc_id: str
    title: str
    doc_number: str | None
    expires: date
    days_left: int  # negative once expired
    compiled_in: str | None = None  # a measure of a 政策清单 or 政策汇编: the file holding it


@dataclass(frozen=True, slots=True)
class ExpiryReport:
    expiring: tuple[ExpiryItem, ...]  # current, 有效期至 within the next AHEAD_DAYS days
    expired: tuple[ExpiryItem, ...]  # retired because 有效期至 has passed

    @property
    def empty(self) -> bool:
        return not self.expiring and not self.expired


def expiry_report(kb: KnowledgeBase, today: date, ahead_days: int = AHEAD_DAYS) -> ExpiryReport:
    """Everything expiring soon or already expired, as of `today` (no memory of notices).

    Each measure of a 政策清单 or 政策汇编 is read with its own 有效期 (`Snapshot.by_entries`):
    the file has none of its own, and a row ending next month is what an admin must hear of."""
    snap = kb.store.snapshot().by_entries()
    statuses = snap.statuses(today)
    expiring: list[ExpiryItem] = []
    expired: list[ExpiryItem] = []
    for doc_id, rec in sorted(snap.docs.items()):
        meta = rec.doc.meta
        info = statuses.get(doc_id)
        ends = valid_until(meta, info)  # a 延期通知 moves the end
        if ends is None or meta.long_term:
            continue
        status = info.status if info else DocStatus.CURRENT
        item = ExpiryItem(
            doc_id, meta.title, meta.doc_number, ends, (ends - today).days, meta.compiled_in
        )
        if status is DocStatus.EXPIRED:
            expired.append(item)
        elif status is DocStatus.CURRENT and 0 <= item.days_left <= ahead_days:
            expiring.append(item)
    return ExpiryReport(tuple(expiring), tuple(expired))


class ExpiryWatch:
    """The daily job's logic: what admins have not been told yet, recorded as told."""

    def __init__(
        self, kb: KnowledgeBase, audit: AuditService, clock: Clock, ahead_days: int = AHEAD_DAYS
    ) -> None:
        self._kb = kb
        self._audit = audit
        self._clock = clock
        self._ahead_days = ahead_days

    async def check(self) -> ExpiryReport:
        """New notices only; each is written to the audit log before it is returned."""
        today = local_today(self._clock)
        await asyncio.to_thread(self._kb.store.reload_if_changed)
        report = await asyncio.to_thread(expiry_report, self._kb, today, self._ahead_days)
        expiring = await self._unseen(ACTION_WARNED, report.expiring)
        expired = await self._unseen(ACTION_EXPIRED, report.expired)
        for item in expiring:
            await self._audit.record(
                None, ACTION_WARNED, item.doc_id, expires=item.expires.isoformat(),
                days_left=item.days_left,
            )  # fmt: skip
        for item in expired:
            await self._audit.record(
                None, ACTION_EXPIRED, item.doc_id, expires=item.expires.isoformat()
            )
        return ExpiryReport(tuple(expiring), tuple(expired))

    async def _unseen(self, action: str, items: tuple[ExpiryItem, ...]) -> list[ExpiryItem]:
        if not items:
            return []
        seen = {
            (row.target, str((row.detail or {}).get("expires")))
            for row in await self._audit.recent(limit=_AUDIT_SCAN, action=action)
        }
        return [i for i in items if (i.doc_id, i.expires.isoformat()) not in seen]
