"""Admin end-to-end fixtures: reuse the ISSUE-4 harness (fake server + real PTB app + services)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.e2e.conftest import e5_encoder, e5_sample_dir, start_bot, tg  # noqa: F401

ADMIN = 9001
ADMIN2 = 9002
OFFICER = 9101
ENTREPRENEUR = 2101

POLICY_V1 = """# 青禾区数字人民币试点企业补贴办法

- 发文单位：青禾区地方金融监督管理局
- 文号：青金发〔2025〕31号
- 发布日期：2025年3月1日
- 施行日期：2025年4月1日
- 有效期至：2028年3月31日

## 第一条 适用范围

本办法适用于在本区开立数字人民币对公钱包并开展受理业务的试点企业。

## 第二条 补贴标准

对完成数字人民币受理改造的试点企业，给予一次性补贴每户八万元。
"""

POLICY_V2 = POLICY_V1.replace("八万元", "十二万元").replace("〔2025〕31号", "〔2026〕2号")

# a decision that repeals POLICY_V1 in its table; the measure itself never says so
REPEAL_DECISION = """# 青禾区人民政府关于废止部分规范性文件的决定

- 文号：青政规〔2026〕4号
- 施行日期：2026年1月1日

经清理，决定对以下规范性文件予以废止：

序号 | 文件名称 | 文号
1 | 青禾区数字人民币试点企业补贴办法 | 青金发〔2025〕31号
"""


def index_fingerprint(index_dir: Path) -> dict[str, str]:
    """Every file under the index dir with its sha256: 'unchanged' means byte-for-byte."""
    return {
        str(p.relative_to(index_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(index_dir.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def admin_settings() -> dict[str, object]:
    return {"admin_ids": [ADMIN, ADMIN2], "officer_ids": [OFFICER]}
