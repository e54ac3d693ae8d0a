"""Subscription end-to-end fixtures: the ISSUE-4 harness (fake server + real PTB app + services)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import start_bot, tg  # noqa: F401

ADMIN = 9001
ALICE, BOB, CAROL, DAVE = 2101, 2102, 2103, 2104

POLICY_V1 = """# 青禾区小微企业融资担保降费办法

- 发文单位：青禾区地方金融监督管理局
- 文号：青金发〔2026〕7号
- 发布日期：2026年1月5日
- 施行日期：2026年2月1日
- 有效期至：2029年1月31日

## 第一条 适用范围

本办法适用于在本区登记注册、申请政府性融资担保的小微企业。

## 第二条 担保费率

对符合条件的小微企业，年化担保费率降至0.5%。
"""

POLICY_V2 = POLICY_V1.replace("0.5%", "0.4%").replace("〔2026〕7号", "〔2026〕19号")


@pytest.fixture
def admin_settings() -> dict[str, object]:
    return {"admin_ids": [ADMIN]}
