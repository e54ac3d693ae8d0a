"""Shared fixtures for the retrieval primitives: a tiny lexicon in the production format."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.lexicon import Lexicon

LEXICON_YAML = """\
terms: [专精特新, 小巨人, 应急转贷, 科创板]
synonyms:
  - [北京证券交易所, 北交所, BSE, Beijing Stock Exchange]
  - [应急转贷, 过桥, 过桥资金, 转贷, bridge loan]
  - [融资担保, 政府性融资担保, 担保贷款]
misspellings:
  北交鼠: 北交所
  Beijng: Beijing
"""


@pytest.fixture
def lexicon_file(tmp_path: Path) -> Path:
    path = tmp_path / "finance.yaml"
    path.write_text(LEXICON_YAML, encoding="utf-8")
    return path


@pytest.fixture
def lexicon(lexicon_file: Path) -> Lexicon:
    return Lexicon.load(lexicon_file)
