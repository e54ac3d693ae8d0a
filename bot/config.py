"""Settings from the environment / `.env` (prefix FINBOT_), built by a function, never at import.

A wrong value must stop the program at start with one line that names the setting, so
`load_settings` turns pydantic's multi-line report into `SettingsError`.
"""

from __future__ import annotations

import hashlib
import os
from datetime import date
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class SettingsError(Exception):
    """One line naming the bad setting and why."""

    @classmethod
    def invalid(cls, field: str, reason: object) -> SettingsError:
        return cls(f"invalid setting FINBOT_{field.upper()}: {reason}")


def _parse_id_list(value: object) -> list[int]:
    if value is None or value == "":
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, (list, tuple)):
        return [int(v) for v in value]
    if isinstance(value, str):
        parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
        return [int(p) for p in parts]
    raise ValueError("expected a comma-separated list of numeric Telegram ids")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="FINBOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Path("./var")
    database_url: str | None = None
    embedding_model: str = "e5-small"
    encoder_threads: int = Field(default=2, ge=1, le=64)
    lexicon_path: Path | None = None
    # Machine-wide cache of parsed model files (the scope encoder's tokenizer and weights);
    # default $XDG_CACHE_HOME/finbot or ~/.cache/finbot. Holds nothing of a knowledge base.
    cache_dir: Path | None = None
    kb_seed_dir: Path | None = None

    telegram_token: str | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_file_url: str = "https://api.telegram.org/file/bot"
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: str | None = None

    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    officer_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    officers_chat_id: int | None = None

    max_upload_mb: int = Field(default=20, ge=1, le=20)
    # What one document may cost (issue 14): passages after chunking, characters of text.
    max_doc_chunks: int = Field(default=25_000, ge=1)
    max_doc_chars: int = Field(default=5_500_000, ge=1)
    questions_per_minute: int = Field(default=20, ge=1, le=10_000)
    log_level: str = "INFO"
    # Learned scope check (bot/scope_model.py); off for the model-free hashing encoder.
    scope_model: bool = True
    # Its second encoder beside the search encoder; "none" for the search encoder alone.
    scope_encoder: str = "use-multilingual"

    # Financing requests and handoffs (ISSUE 5): working time, SLA and form expiry.
    work_hours: str = "09:00-12:00,13:30-18:00"
    work_days: str = "1-5"  # ISO weekdays, Monday = 1
    holidays: str = ""  # comma-separated YYYY-MM-DD (法定节假日)
    extra_workdays: str = ""  # comma-separated YYYY-MM-DD (调休 weekends that are working days)
    sla_unclaimed_hours: float = Field(default=2.0, gt=0)
    sla_stale_days: float = Field(default=2.0, gt=0)
    sla_check_seconds: int = Field(default=300, ge=1)
    form_timeout_minutes: float = Field(default=30, gt=0)
    # How long a chat's last answered question stays the context of a follow-up ("那反担保呢？").
    followup_minutes: float = Field(default=10, ge=0)
    # Policy notices to subscribers: messages per second over all broadcasts. Telegram allows
    # about 30 a second per bot; the default leaves room for the answers sent meanwhile.
    broadcast_rate: float = Field(default=25, gt=0, le=30)
    # The deployment's own place, e.g. "海澄省望川市松岭区" or "临江市青禾区 | Qinghe District":
    # questions naming it are never declined as "another place's policy"; the last part is
    # the name shown to users. Empty: read from the documents' titles and issuers.
    jurisdiction: str = ""
    # Answer with the documents in force on this day instead of today (test deployments,
    # benchmarks whose question sets were written on a given day).
    as_of: date | None = None

    @field_validator("admin_ids", "officer_ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> list[int]:
        return _parse_id_list(value)

    @field_validator("telegram_api_url", "telegram_file_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("embedding_model")
    @classmethod
    def _model(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must name a model (e5-small, minilm, hashing, a model name or path)")
        return value.strip()

    @field_validator("scope_encoder")
    @classmethod
    def _scope_encoder(cls, value: str) -> str:
        return value.strip()

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @property
    def db_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'finbot.db').resolve()}"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def model_cache_dir(self) -> Path:
        if self.cache_dir is not None:
            return self.cache_dir
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        return (Path(xdg) if xdg else Path.home() / ".cache") / "finbot"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def effective_webhook_secret(self) -> str:
        """The configured webhook secret, or one derived from the token (stable across starts)."""
        if self.webhook_secret:
            return self.webhook_secret
        digest = hashlib.sha256(f"finbot-webhook:{self.telegram_token or ''}".encode())
        return digest.hexdigest()[:48]

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values that must never reach a log line."""
        values = (self.telegram_token, self.webhook_secret)
        derived = (self.effective_webhook_secret,) if self.telegram_token else ()
        return tuple(v for v in (*values, *derived) if v)


def load_settings(**overrides: object) -> Settings:
    """Build settings; raise SettingsError with one line naming the first bad setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "?"
        message = str(err["msg"]).removeprefix("Value error, ")
        raise SettingsError.invalid(field, message) from None
