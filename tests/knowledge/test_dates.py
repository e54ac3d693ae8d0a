from __future__ import annotations

from datetime import date

import pytest

from knowledge.dates import cn_small_number, find_date, find_dates


@pytest.mark.parametrize(
    "text",
    [
        "2021年3月1日",
        "2021 年 3 月 1 日",
        "2021-03-01",
        "2021.3.1",
        "2021/3/1",
        "二〇二一年三月一日",
        "二○二一年三月一日",
        "２０２１年３月１日",
        "自2021年3月1日起施行",
    ],
)
def test_every_date_form(text: str) -> None:
    assert find_date(text) == date(2021, 3, 1)


def test_chinese_numeral_tens() -> None:
    assert find_date("二〇二三年十二月三十一日") == date(2023, 12, 31)
    assert find_date("二〇二三年十月二十日") == date(2023, 10, 20)
    assert [cn_small_number(t) for t in ("十", "十一", "二十", "三十一", "九")] == [
        10,
        11,
        20,
        31,
        9,
    ]


def test_range_yields_both_dates_in_order() -> None:
    assert find_dates("2024年1月1日至2026年12月31日") == [date(2024, 1, 1), date(2026, 12, 31)]


@pytest.mark.parametrize("text", ["长期有效", "2021-13-01", "2021年2月30日", "编号20210301"])
def test_non_dates(text: str) -> None:
    assert find_date(text) is None
