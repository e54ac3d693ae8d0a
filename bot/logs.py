"""Logging set-up: every line goes through one formatter that removes secrets and masks PII.

The Bot API puts the bot token in every request URL (`…/bot<TOKEN>/getUpdates`), and
httpx logs each request URL at INFO; exception texts and tracebacks can carry it too. A
filter on the message alone misses tracebacks, so the redaction runs on the fully
formatted line, at every level and for every logger. The webhook secret (configured or
derived from the token) is treated the same way.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from types import TracebackType
from urllib.parse import quote

from bot.pii import mask_pii

REDACTED = "[REDACTED]"
QUIET_LOGGERS = ("httpx", "httpcore", "apscheduler", "faiss.loader")  # noise at INFO


def secret_variants(secrets: Iterable[str | None]) -> tuple[str, ...]:
    """Each secret as it may appear in a log: raw and URL-encoded; longest first."""
    out: set[str] = set()
    for secret in secrets:
        if not secret or len(secret) < 6:  # too short to redact without mangling text
            continue
        out.update({secret, quote(secret, safe=""), quote(secret, safe=":")})
    return tuple(sorted(out, key=len, reverse=True))


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then removes secrets and masks PII anywhere in the line."""

    def __init__(self, fmt: str, secrets: Iterable[str | None]) -> None:
        super().__init__(fmt)
        self._secrets = secret_variants(secrets)

    def format(self, record: logging.LogRecord) -> str:
        # secrets first: masking a phone-shaped run inside the token would hide it from redact
        return mask_pii(redact(super().format(record), self._secrets))


def configure_logging(level: str, secrets: Iterable[str | None]) -> None:
    """Root handler on stderr with the redacting formatter; warnings and uncaught errors too.

    Called once per process by the CLI before anything can log.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(getattr(logging, level.upper(), logging.INFO))
    if root.level > logging.DEBUG:
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught


def _log_uncaught(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    """An uncaught exception is printed through the same formatter, never raw."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    logging.getLogger("finbot").critical("uncaught error", exc_info=(kind, value, tb))
