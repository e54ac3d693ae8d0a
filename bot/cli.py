"""`finbot` command line: the contract that scripts, checks and operators rely on."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli_reports import iso_day
from bot.config import Settings, SettingsError, load_settings
from bot.texts import Lang
from index.lexicon import cjk_count
from knowledge.models import DocStatus

if TYPE_CHECKING:  # imported where used: `finbot ask` starts faster without them
    from bot.answers import Answer
    from bot.knowledge_base import KnowledgeBase

log = logging.getLogger("finbot")


def _build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="finbot", description="finbot: policy Q&A and financing requests"
    )
    sub = p.add_subparsers(dest="command")

    sub.add_parser(
        "run", help="Telegram bot when FINBOT_TELEGRAM_TOKEN is set, console chat otherwise"
    )
    chat = sub.add_parser("chat", help="interactive console chat")
    chat.add_argument("--lang", choices=["zh", "en"], default="zh")

    ask = sub.add_parser("ask", help="answer one question ('-' reads one per line from stdin)")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print JSON (one object per line for '-')")
    ask.add_argument("--top-k", type=int, default=5, help="hits to include (default 5)")
    ask.add_argument("--lang", choices=["zh", "en"], default=None)
    ask.add_argument(
        "--explain",
        action="store_true",
        help="also show what the engine did: band and why, scope check, top 5 entries and ranks",
    )
    ask.add_argument(
        "--as-of",
        type=iso_day,
        default=None,
        metavar="YYYY-MM-DD",
        help="answer with the documents in force on that day (default: today, or FINBOT_AS_OF)",
    )

    kb = sub.add_parser("kb", help="manage the knowledge base")
    kbs = kb.add_subparsers(dest="kb_command", required=True)
    add = kbs.add_parser("add", help="add or update files/folders (recursive)")
    add.add_argument("paths", nargs="+", type=Path)
    add.add_argument("--skip-bad", action="store_true", help="add the good files even if some fail")
    lst = kbs.add_parser("list", help="list documents")
    lst.add_argument("--json", action="store_true")
    lst.add_argument("--status", choices=[s.value for s in DocStatus])
    rm = kbs.add_parser("remove", help="remove a document by id")
    rm.add_argument("doc_id")
    kbs.add_parser("rebuild", help="re-parse and re-embed everything")
    hist = kbs.add_parser("history", help="a document's revisions, newest first")
    hist.add_argument("doc_id")
    hist.add_argument("--json", action="store_true")
    rb = kbs.add_parser("rollback", help="re-publish an earlier revision as the current text")
    rb.add_argument("doc_id")
    rb.add_argument("revision", type=int)

    faq = sub.add_parser("faq", help="manage FAQ entries")
    faqs = faq.add_subparsers(dest="faq_command", required=True)
    fl = faqs.add_parser("list")
    fl.add_argument("--json", action="store_true")
    fa = faqs.add_parser("add")
    fa.add_argument("--question", "-q", action="append", required=True)
    fa.add_argument("--answer", "-a", required=True)
    fa.add_argument("--source")
    fa.add_argument("--section")
    fa.add_argument("--id", dest="faq_id")
    fr = faqs.add_parser("remove")
    fr.add_argument("faq_id")
    fi = faqs.add_parser(
        "import", help="YAML files, or one .xlsx/.xls/.csv sheet (checked row by row)"
    )
    fi.add_argument("files", nargs="+", type=Path)
    fi.add_argument("--dry-run", action="store_true", help="check and show, import nothing")
    fe = faqs.add_parser("export", help="YAML (default) or the .xlsx import template")
    fe.add_argument("--output", "-o", type=Path)
    fe.add_argument("--xlsx", type=Path, metavar="FILE", help="write the spreadsheet template")

    canned = sub.add_parser("canned", help="officers' canned replies for handoffs")
    cans = canned.add_subparsers(dest="canned_command", required=True)
    cans.add_parser("list")
    ca = cans.add_parser("add", help="add or replace (variables: {企业名称} {编号} {联系人})")
    ca.add_argument("name")
    ca.add_argument("text", nargs="+")
    cr = cans.add_parser("remove")
    cr.add_argument("name")

    from bot.cli_reports import add_parsers

    add_parsers(sub)  # stats, export questions

    db = sub.add_parser("db", help="database schema")
    dbs = db.add_subparsers(dest="db_command", required=True)
    dbs.add_parser("upgrade", help="apply Alembic migrations up to the newest schema")
    dbs.add_parser("current", help="print the schema revision of the database")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `finbot kb list | head` ends quietly
    args = _build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"finbot: {exc}", file=sys.stderr)
        return 2
    from bot.logs import configure_logging

    # the token, the webhook secret, phone numbers and 统一社会信用代码 never reach the logs
    configure_logging(settings.log_level, settings.secrets)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    command = args.command or "run"
    try:
        if command == "run":
            return _run(settings)
        if command == "chat":
            return _chat(settings, args.lang)
        if command == "ask":
            return _ask(settings, args)
        if command == "kb":
            return _kb(settings, args)
        if command == "faq":
            return _faq(settings, args)
        if command == "db":
            return _db(settings, args)
        if command == "canned":
            return _canned(settings, args)
        if command in ("stats", "export"):
            return _report(settings, args)
    except KeyboardInterrupt:
        return 130
    except SettingsError as exc:  # e.g. a model named in the settings cannot be loaded
        print(f"finbot: {exc}", file=sys.stderr)
        return 2
    return 2


def _core(settings: Settings, *, seed: bool, prefetch: bool = False, answers: bool = True) -> Any:
    from bot.core import build_core, ensure_seeded

    core = build_core(settings, prefetch=prefetch, scope_model=answers)
    if seed and ensure_seeded(core, progress=_progress_printer("sample")):
        print(
            f"finbot: loaded the bundled sample knowledge base ({len(core.kb.list())} documents)",
            file=sys.stderr,
        )
    return core


def _warn_pairs(doc_ids: list[str], related: Callable[[str], Sequence[str]], says: str) -> None:
    """A warning for each pair of documents `related` links, said once per pair."""
    told: set[frozenset[str]] = set()
    for doc_id in doc_ids:
        for other in related(doc_id):
            pair = frozenset((doc_id, other))
            if pair not in told:
                told.add(pair)
                print(
                    f"warning: {doc_id} and {other} {says.format(doc_id=doc_id)}", file=sys.stderr
                )


def _warn_same_numbers(kb: KnowledgeBase, doc_ids: list[str]) -> None:
    """A 文号 two documents share under different titles."""
    _warn_pairs(
        doc_ids, kb.same_number,
        "have the same 文号 under different titles; please check it (repeals naming it are "
        "matched by title)",
    )  # fmt: skip


def _warn_same_text(kb: KnowledgeBase, doc_ids: list[str]) -> None:
    """Two documents of the same text: a folder often holds one notice as a .doc and a .wps,
    or under two names, and both would be quoted side by side (the bot's upload says so
    too)."""
    _warn_pairs(
        doc_ids, kb.same_text,
        "hold the same text; remove one with `finbot kb remove {doc_id}` if they are one "
        "document",
    )  # fmt: skip


def _note_statuses(kb: KnowledgeBase, doc_ids: list[str]) -> None:
    """A draft for comment is kept but never in force, a measure replacing a rule in force
    from a later day is not in force before it, and a repeal decision takes the documents it
    lists out of force: the admin should know each was read so."""
    for doc_id in doc_ids:
        repealed = kb.repealed_by(doc_id)
        if repealed:
            print(
                f"note: {doc_id} repeals {len(repealed)} document(s) of the knowledge base: "
                f"{', '.join(repealed)}; they are listed as repealed and no longer quoted as in force",
                file=sys.stderr,
            )
        info = kb.info(doc_id)
        if info is not None and info.status == DocStatus.DRAFT:
            print(
                f"warning: {doc_id} is a draft for comment (征求意见稿): it is listed as a draft "
                "and never cited as in force, and it repeals or amends nothing",
                file=sys.stderr,
            )
        elif info is not None and info.status == DocStatus.PENDING:
            print(
                f"note: {doc_id} takes effect on {info.effective}: until then it is listed as "
                "pending and the rule it replaces is quoted, under a note that it changes",
                file=sys.stderr,
            )


def _progress_printer(label: str) -> Any:
    """A bar with rate and time left on a terminal (tqdm); on a pipe or in a log, one line
    at most every 10 s with the same figures."""
    interactive = sys.stderr.isatty()
    state: dict[str, Any] = {"bar": None, "printed": 0.0}

    def progress(done: int, total: int, rate: float | None, eta: float | None) -> None:
        if not total:
            return
        if interactive:
            bar = state["bar"]
            if bar is None:
                from tqdm import tqdm

                bar = state["bar"] = tqdm(
                    total=total, desc=f"{label}: encoding", unit="chunk", file=sys.stderr
                )
            bar.update(done - bar.n)
            if done >= total:
                bar.close()
            return
        now = time.monotonic()
        if done < total and done and now - state["printed"] < 10:
            return
        state["printed"] = now
        print(f"{label}: {_progress_line(done, total, rate, eta)}", file=sys.stderr, flush=True)

    return progress


def _progress_line(done: int, total: int, rate: float | None, eta: float | None) -> str:
    line = f"encoded {done}/{total} chunks"
    if rate is not None:
        line += f", {rate:.1f} chunks/s"
    if eta is not None and done < total:
        line += f", about {_duration(eta)} left"
    return line


def _duration(seconds: float) -> str:
    s = round(seconds)
    if s < 90:
        return f"{s} s"
    if s < 5400:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


def _ensure_schema(settings: Settings, *, strict: bool) -> int:
    """A fresh data dir gets its schema; a behind one stops `run` and warns elsewhere."""
    from bot.db.migrate import SchemaOutOfDateError, ensure_schema

    try:
        if ensure_schema(settings.db_url):
            print("finbot: created the database schema", file=sys.stderr)
    except SchemaOutOfDateError as exc:
        print(f"finbot: {exc}", file=sys.stderr)
        return 2 if strict else 0
    except Exception as exc:  # e.g. a database server that is down: kb commands need none
        if strict:
            raise
        print(f"finbot: database not checked ({type(exc).__name__})", file=sys.stderr)
    return 0


def _run(settings: Settings) -> int:
    if settings.telegram_token:
        from bot.main import run_telegram

        return run_telegram(settings)
    if code := _ensure_schema(settings, strict=True):
        return code
    print("finbot: FINBOT_TELEGRAM_TOKEN is not set; starting the console chat", file=sys.stderr)
    return _chat(settings, "zh")


def _chat(settings: Settings, lang: Lang) -> int:
    from bot.console import run_console

    core = _core(settings, seed=True)
    try:
        return run_console(core.answers, lang=lang, followup_minutes=settings.followup_minutes)
    finally:
        core.close()


def answer_json(answer: Answer, top_k: int) -> dict[str, Any]:
    hits = []
    seen: set[str] = set()
    for h in list(answer.hits) + list(answer.ranked):
        key = h.chunk_id or f"faq:{h.faq_id}"
        if key in seen:
            continue
        seen.add(key)
        hits.append(
            {
                "doc_id": h.doc_id,
                "source": h.source,
                "title": h.title,
                "section": h.section,
                "status": h.status,
                "score": h.score,
                "text": h.text,
                "kind": h.kind,
                "doc_number": h.doc_number,
                "effective": h.effective.isoformat() if h.effective else None,
                "revision": h.revision,
                "content_hash": h.content_hash,
                "amended_by": [
                    {
                        "old": a.old,
                        "new": a.new,
                        "title": a.by_title,
                        "doc_number": a.by_number,
                        "source": a.by_source,
                        "stopped": a.stopped,
                    }
                    for a in h.amended
                ],
            }
        )
        if len(hits) >= top_k:
            break
    out: dict[str, Any] = {
        "question": answer.question,
        "band": str(answer.band),
        "hits": hits,
        "reply": answer.reply,
        "suggestions": [s.label for s in answer.suggestions],
        "confidence": answer.confidence,
        "latency_ms": answer.latency_ms,
    }
    if answer.notice is not None:
        out["notice"] = {
            "doc_id": answer.notice.old_doc_id,
            "status": answer.notice.status,
            "replaced_by": answer.notice.new_doc_id,
        }
    return out


def explanation_json(ex: Any) -> dict[str, Any]:
    """`finbot ask --json --explain`: the hit test as data."""
    return {
        "reason": ex.reason,
        "corrected": ex.corrected,
        "expanded": ex.expanded,
        "scope_margin": ex.margin,
        "scope_cut_off": ex.cut_off,
        "confidence": ex.confidence,
        "context": ex.context_title,
        "entries": [
            {
                "rank": e.rank,
                "kind": e.kind,
                "doc_id": e.doc_id,
                "title": e.title,
                "section": e.section,
                "status": e.status,
                "lexical_rank": e.lexical_rank,
                "dense_rank": e.dense_rank,
                "fused": e.fused,
                "confidence": e.confidence,
            }
            for e in ex.entries
        ],
    }


def _detect_lang(text: str) -> Lang:
    cjk = cjk_count(text)
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return "en" if latin > 3 * cjk and latin > 0 else "zh"


def _ask(settings: Settings, args: argparse.Namespace) -> int:
    if args.as_of is not None:
        settings = settings.model_copy(update={"as_of": args.as_of})
    core = _core(settings, seed=True, prefetch=True)
    try:
        questions = [q.rstrip("\n") for q in sys.stdin] if args.question == "-" else [args.question]
        for q in questions:
            if args.question == "-" and not q.strip():
                continue
            lang = args.lang or _detect_lang(q)
            explained = core.answers.explain(q, lang=lang)
            answer = explained.answer
            if args.json:
                out = answer_json(answer, args.top_k)
                if args.explain:
                    out["explain"] = explanation_json(explained)
                print(json.dumps(out, ensure_ascii=False), flush=True)
                continue
            if args.explain:
                from bot.answers import explanation_lines

                print("\n".join(explanation_lines(explained, lang)))
                print()
            print(answer.reply)
            print()
    finally:
        core.close()
    return 0


def _kb(settings: Settings, args: argparse.Namespace) -> int:
    if args.kb_command in ("add", "rebuild", "rollback"):
        _ensure_schema(settings, strict=False)
    # writers answer nothing: no scope encoder in memory (a 5 MB policy must fit in 600 MB)
    answering = args.kb_command not in ("add", "rebuild", "rollback", "history")
    core = _core(settings, seed=False, answers=answering)
    kb = core.kb
    if args.kb_command == "add":
        try:
            report = kb.add_paths(
                args.paths, skip_bad=args.skip_bad, progress=_progress_printer("kb add")
            )
        except FileNotFoundError as exc:
            print(f"finbot: {exc}", file=sys.stderr)
            return 2
        for err in report.errors:
            print(f"error: {err.message('en')}", file=sys.stderr)
        if report.errors and not args.skip_bad:
            print(
                "finbot: nothing was changed (use --skip-bad to add the other files)",
                file=sys.stderr,
            )
            return 1
        print(
            f"added {len(report.added)}, updated {len(report.replaced)}, unchanged "
            f"{len(report.unchanged)}, embedded {report.embedded} chunks"
        )
        _warn_same_numbers(kb, [*report.added, *report.replaced])
        _warn_same_text(kb, [*report.added, *report.replaced])
        _note_statuses(kb, [*report.added, *report.replaced])
        if report.added or report.replaced:
            # the scope check's evidence (titles, headings) and the passage vectors for
            # Latin-script questions are encoded now, after the passages (so the peak memory
            # of the two stays apart), not on the first question the bot gets about them
            from bot.core import prepare_answers

            print("finbot: preparing the answers for the new documents", file=sys.stderr)
            prepare_answers(core)
            _notify_hint(settings, kb, [*report.added, *report.replaced])
        return 1 if report.errors else 0
    if args.kb_command == "list":
        docs = kb.list(status=args.status)
        if args.json:
            print(json.dumps([_doc_json(d) for d in docs], ensure_ascii=False, indent=1))
        else:
            for d in docs:
                fields = (d.doc_id, d.status, str(d.effective or ""), d.title, f"({d.source})")
                print("\t".join(_field(f) for f in fields))
        return 0
    if args.kb_command == "remove":
        if kb.remove(args.doc_id):
            print(f"removed {args.doc_id}")
            return 0
        print(f"finbot: no document with id {args.doc_id!r}", file=sys.stderr)
        return 1
    if args.kb_command == "history":
        return _history(kb, args.doc_id, args.json)
    if args.kb_command == "rollback":
        return _rollback(core, args.doc_id, args.revision)
    if args.kb_command == "rebuild":
        snap = kb.rebuild(progress=_progress_printer("rebuild"))
        print(
            f"rebuilt: {len(snap.docs)} documents, {len(snap.chunks)} chunks, {len(snap.faqs)} FAQ entries"
        )
        return 0
    return 2


def _history(kb: Any, doc_id: str, as_json: bool) -> int:
    revisions = kb.history(doc_id)
    if revisions is None:
        print(f"finbot: no document with id {doc_id!r}", file=sys.stderr)
        return 1
    if as_json:
        print(json.dumps([_revision_json(r) for r in revisions], ensure_ascii=False, indent=1))
        return 0
    for r in revisions:
        mark = "*" if r.current else " "
        restored = f"restored from r{r.restored_from}" if r.restored_from is not None else ""
        fields = (f"{mark}r{r.number}", r.content_hash, r.title, r.doc_number or "-",
                  str(r.effective or "-"), r.added_at, restored)  # fmt: skip
        print("\t".join(_field(f) for f in fields).rstrip("\t"))
    return 0


def _revision_json(r: Any) -> dict[str, Any]:
    return {
        "revision": r.number,
        "content_hash": r.content_hash,
        "title": r.title,
        "doc_number": r.doc_number,
        "effective": r.effective.isoformat() if r.effective else None,
        "added_at": r.added_at,
        "added_by": r.added_by,
        "current": r.current,
        "replaced_at": r.replaced_at,
        "replaced_by": r.replaced_by,
        "restored_from": r.restored_from,
    }


def _rollback(core: Any, doc_id: str, number: int) -> int:
    """The same service call as the bot's rollback button, so the audit log sees it too."""
    import asyncio

    from bot.audit import AuditService
    from bot.clock import SystemClock
    from bot.db.session import make_engine, make_sessionmaker
    from bot.documents import DocumentService, Outcome

    async def roll() -> Any:
        engine = make_engine(core.settings.db_url)
        try:
            db, clock = make_sessionmaker(engine), SystemClock()
            service = DocumentService(core.kb, AuditService(db, clock), db, clock)
            return await service.rollback(doc_id, number, None, via="cli")
        finally:
            await engine.dispose()

    result = asyncio.run(roll())
    if result.outcome is Outcome.ROLLED_BACK and result.revision is not None:
        rev = result.revision
        print(
            f"rolled back {doc_id}: now r{rev.number} ({rev.content_hash}), restored from r{number}"
        )
        return 0
    if result.outcome is Outcome.NOT_FOUND:
        print(f"finbot: no document with id {doc_id!r}", file=sys.stderr)
    else:
        print(
            f"finbot: {doc_id} has no earlier revision r{number} to roll back to", file=sys.stderr
        )
    return 1


def _notify_hint(settings: Settings, kb: Any, doc_ids: list[str]) -> None:
    """Name the new current documents whose topic has subscribers, and how to notify them
    (the notice goes out from the bot, which holds the token and the send queue)."""
    import asyncio

    from sqlalchemy.exc import SQLAlchemyError

    from bot.subscriptions import notify_candidates

    try:
        found = asyncio.run(notify_candidates(settings.db_url, kb, doc_ids))
    except SQLAlchemyError:  # an older schema: no subscriptions to speak of
        return
    for doc_id, topic, count in found:
        print(
            f"finbot: {doc_id}: {count} subscribers of {topic!r} can be notified: "
            f"send /notify {doc_id} to the bot (an admin, in a private chat)",
            file=sys.stderr,
        )


def _field(value: str) -> str:
    """One tab-separated field on one line: a tab, newline or other control character in a
    file name or title is written as an escape (\\t, \\n, \\x1b)."""
    if not any(unicodedata.category(ch) in _BREAKING for ch in value):
        return value
    out = []
    for ch in value:
        if unicodedata.category(ch) not in _BREAKING:
            out.append(ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        else:
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}")
    return "".join(out)


_BREAKING = frozenset({"Cc", "Zl", "Zp"})  # controls, line and paragraph separators
_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _doc_json(d: Any) -> dict[str, Any]:
    return {
        "doc_id": d.doc_id,
        "source": d.source,
        "title": d.title,
        "doc_number": d.doc_number,
        "status": d.status,
        "replaced_by": d.replaced_by,
        "published": d.published.isoformat() if d.published else None,
        "effective": d.effective.isoformat() if d.effective else None,
        "expires": d.expires.isoformat() if d.expires else None,
        "sections": d.sections,
        "chunks": d.chunks,
        "file_type": d.file_type,
        "warnings": list(d.warnings),
        "revision": d.revision,
    }


def _report(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli_reports import export_command, stats_command

    if _ensure_schema(settings, strict=True):
        return 2
    return (
        stats_command(settings, args) if args.command == "stats" else export_command(settings, args)
    )


def _db(settings: Settings, args: argparse.Namespace) -> int:
    from bot.db.migrate import current_revision, head_revision, upgrade

    if args.db_command == "upgrade":
        upgrade(settings.db_url)
        print(f"database at {current_revision(settings.db_url)} (head {head_revision()})")
        return 0
    print(current_revision(settings.db_url) or "empty")
    return 0


def _faq(settings: Settings, args: argparse.Namespace) -> int:
    from bot.faq_sheet import is_sheet_name, write_xlsx
    from bot.knowledge_base import FaqFileError, load_faq_file
    from index.entries import FaqEntry

    core = _core(settings, seed=False)
    kb = core.kb
    if args.faq_command == "list":
        entries = kb.faqs()
        if args.json:
            print(
                json.dumps(
                    [
                        {
                            "id": f.faq_id,
                            "questions": list(f.questions),
                            "answer": f.answer,
                            "source": f.source,
                            "section": f.section,
                        }
                        for f in entries
                    ],
                    ensure_ascii=False,
                    indent=1,
                )
            )
        else:
            for f in entries:
                print(f"{f.faq_id}\t{f.questions[0]}\t{f.source or ''} {f.section or ''}")
        return 0
    if args.faq_command == "add":
        faq_id = args.faq_id or kb.next_faq_id()
        kb.put_faqs(
            [
                FaqEntry(
                    faq_id,
                    tuple(args.question),
                    args.answer,
                    args.source,
                    args.section,
                    created_by="cli",
                )
            ]
        )
        print(f"added {faq_id}")
        return 0
    if args.faq_command == "remove":
        if kb.remove_faq(args.faq_id):
            print(f"removed {args.faq_id}")
            return 0
        print(f"finbot: no FAQ entry {args.faq_id!r}", file=sys.stderr)
        return 1
    if args.faq_command == "import" and any(is_sheet_name(f.name) for f in args.files):
        return _faq_sheet(kb, args.files, dry_run=args.dry_run)
    if args.faq_command == "import":
        try:
            n = len([e for f in args.files for e in load_faq_file(f)])
            if not args.dry_run:
                kb.import_faq_files(args.files)
        except FaqFileError as exc:
            print(f"finbot: {exc}", file=sys.stderr)
            return 1
        print(f"{'would import' if args.dry_run else 'imported'} {n} FAQ entries")
        return 0
    if args.faq_command == "export" and args.xlsx is not None:
        entries = kb.faqs()
        args.xlsx.write_bytes(write_xlsx(entries))
        print(f"exported {len(entries)} FAQ entries to {args.xlsx}")
        return 0
    if args.faq_command == "export":
        text = kb.export_faq()
        if args.output:
            args.output.write_text(text, "utf-8")
        else:
            sys.stdout.write(text)
        return 0
    return 2


def _faq_sheet(kb: Any, files: Sequence[Path], *, dry_run: bool) -> int:
    """One spreadsheet: the bot's preview, then all rows or none (exit 1 with rejected rows)."""
    from bot.faq_import import apply_check, check_sheet, preview_lines

    if len(files) != 1:
        print(
            "finbot: import one spreadsheet at a time (and YAML files separately)", file=sys.stderr
        )
        return 2
    try:
        data = files[0].read_bytes()
    except OSError as exc:
        print(f"finbot: {files[0]}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    check = check_sheet(kb, data, files[0].name)
    print("\n".join(preview_lines(check, "en")))
    if not check.ok:
        return 1
    if dry_run:
        print("dry run: nothing imported")
        return 0
    ids = apply_check(kb, check, "cli")
    print(f"imported {len(ids)} FAQ entries ({check.new} new, {len(ids) - check.new} updated)")
    return 0


def _canned(settings: Settings, args: argparse.Namespace) -> int:
    if code := _ensure_schema(settings, strict=True):
        return code
    import asyncio

    return asyncio.run(_canned_async(settings, args))


async def _canned_async(settings: Settings, args: argparse.Namespace) -> int:
    from bot.canned import CannedError, CannedService
    from bot.clock import SystemClock
    from bot.db.session import make_engine, make_sessionmaker
    from bot.texts import t

    engine = make_engine(settings.db_url)
    try:
        canned = CannedService(make_sessionmaker(engine), SystemClock())
        if args.canned_command == "list":
            for reply in await canned.list():
                print(f"{_field(reply.name)}\t{_field(reply.first_line)}")
            return 0
        if args.canned_command == "add":
            try:
                created = await canned.add(args.name, " ".join(args.text), None)
            except CannedError as exc:
                print(f"finbot: {t(f'canned.{exc.code}', 'en', **exc.params)}", file=sys.stderr)
                return 1
            print(f"{'added' if created else 'updated'} {args.name}")
            return 0
        if await canned.remove(args.name, None):
            print(f"removed {args.name}")
            return 0
        print(f"finbot: no canned reply {args.name!r}", file=sys.stderr)
        return 1
    finally:
        await engine.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
