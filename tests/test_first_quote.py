"""The first quote is the passage the question's telling words point at, not the one that
shares the document's subject."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.answers import Band
from bot.config import load_settings
from bot.core import build_core
from index.encoders import HashingEncoder

MEASURES = """# 某县推动企业上市和挂牌高质量发展若干措施

某政发〔2025〕9号

- 施行日期：2025年3月1日

一、适用范围
在本县注册纳税的企业可申请本措施规定的上市奖励。

二、支持企业上市辅导和申报
企业完成上市辅导备案的，奖励100万元；上市申请被受理的，奖励150万元。

三、支持企业境内外首发上市
企业在沪深主板、创业板上市的，奖励300万元；在科创板上市的，奖励400万元；在香港联合交易所主板上市的，奖励300万元。

四、差异化支持
注册在经济开发区的企业，在享受本措施县级奖励的基础上，由开发区管委会按县级奖励额的10%另行给予配套奖励。

五、附则
本措施自2025年3月1日起施行，有效期5年。
"""


def test_the_word_only_one_section_writes_picks_the_quote(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path, embedding_model="hashing")
    core = build_core(settings, encoder=HashingEncoder(), today=lambda: date(2026, 6, 1))
    core.kb.add_bytes(MEASURES.encode(), "listing-measures.md")
    # 上市 and 企业 are in every passage (the title is read into each) and in 三's heading;
    # 配套 is written by 四 alone
    answer = core.answers.answer_sync("上市企业有配套奖励吗")
    assert answer.band is Band.ANSWER
    assert answer.hits[0].section == "四、差异化支持"
    assert "另行给予配套奖励" in answer.reply.split("来源")[0]
    core.close()
