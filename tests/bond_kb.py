"""A one-measure knowledge base (a bond reward) on the hashing encoder, as of 2026-06-01,
and a scope model whose verdicts a test chooses: for the answer-service rules that turn on
the scope model's margin (follow-ups, two-part questions)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np

from bot.answers import AnswerService
from bot.answers.absent import AbsentTerms, Glossary
from bot.config import load_settings
from bot.core import build_core
from bot.scope_model import NearestExamples, ScopeVerdict
from index.encoders import HashingEncoder

DAY = date(2026, 6, 1)
BONDS = (
    "# 示范区企业债券融资奖励办法\n\n- 施行日期：2025年1月1日\n\n"
    "## 第三条 奖励标准\n\n企业发行公司债券的，按发行规模的0.3%给予奖励，最高100万元。\n\n"
    "## 第六条 申报时限\n\n企业应当在债券发行完成后6个月内提出申请，逾期不予受理。\n"
)


class FixedScope:
    """A scope model whose margin for a message is `margin(text)`, against a cut-off of 0
    (a typical in-scope margin of 0.04)."""

    def __init__(self, margin: Callable[[str], float]) -> None:
        self._margin = margin

    def verdict(self, _snap: object, _vec: object, text: str, *_rest: object) -> ScopeVerdict:
        return ScopeVerdict(self._margin(text), 0.0, 0.04)

    def nearest_for(self, _snap: object) -> NearestExamples:
        return NearestExamples(np.zeros((1, 1)), np.zeros((1, 1)), threshold=0.0)

    def latin_centre(self) -> None:
        return None


def bond_service(
    tmp_path: Path, margin: Callable[[str], float], **more_files: str
) -> AnswerService:
    """The answer service over the bond reward (and `more_files`, name → Markdown text),
    with the glossary term 典当行 and the scope model `FixedScope(margin)`."""
    settings = load_settings(data_dir=tmp_path / "kb", embedding_model="hashing")
    core = build_core(settings, encoder=HashingEncoder(), today=lambda: DAY)
    core.kb.add_bytes(BONDS.encode(), "bonds.md")
    for name, text in more_files.items():
        core.kb.add_bytes(text.encode(), name)
    service = AnswerService(
        core.store, core.lexicon, today=lambda: DAY,
        absent=AbsentTerms(Glossary(["典当行"]), core.lexicon),
    )  # fmt: skip
    service.scope_model = FixedScope(margin)  # type: ignore[assignment]
    return service
