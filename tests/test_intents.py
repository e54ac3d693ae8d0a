"""Messages that are not policy questions: greetings, thanks, a bare need for money."""

from __future__ import annotations

import pytest

from bot.answers.intents import ChatIntent, chat_intent, is_small_talk
from bot.answers.question import prepare_question


@pytest.mark.parametrize(
    ("typed", "intent"),
    [
        ("你好", ChatIntent.GREETING),
        ("您好！", ChatIntent.GREETING),
        ("你好呀~", ChatIntent.GREETING),
        ("在吗？", ChatIntent.GREETING),
        ("Hello!", ChatIntent.GREETING),
        ("good morning", ChatIntent.GREETING),
        ("谢谢啦！", ChatIntent.THANKS),
        ("好的，谢谢！", ChatIntent.THANKS),
        ("Thank you!", ChatIntent.THANKS),
        ("再见", ChatIntent.GOODBYE),
        ("好的", ChatIntent.ACKNOWLEDGEMENT),
        ("ok👍", ChatIntent.ACKNOWLEDGEMENT),
        ("哦", ChatIntent.ACKNOWLEDGEMENT),
        ("我想贷款500万", ChatIntent.FINANCING),
        ("我要融资", ChatIntent.FINANCING),
        ("我们公司急需一笔周转资金", ChatIntent.FINANCING),
        ("我们厂子缺流动资金", ChatIntent.FINANCING),
        ("贷款五百万", ChatIntent.FINANCING),
        ("需要资金200万左右", ChatIntent.FINANCING),
        ("We need a loan", ChatIntent.FINANCING),
        ("I want to borrow 5 million yuan", ChatIntent.FINANCING),
    ],
)
def test_chat_words_and_a_bare_need_for_money_are_recognised(
    typed: str, intent: ChatIntent
) -> None:
    assert chat_intent(prepare_question(typed)) is intent


@pytest.mark.parametrize(
    "typed",
    [
        "贷款",  # a topic: the "did you mean" choices
        "融资",
        "我想申请创业担保贷款",  # names a programme: its application article answers
        "我想贷款500万，有什么政策",  # asks
        "怎么贷款",
        "我要贷款买房",  # a personal loan: the scope check declines it
        "融资租赁",
        "应急转贷",
        "担保费率是多少",
        "你好，请问担保费率是多少？",  # a greeting before a question is a question
        "谢谢，那反担保呢？",
        "Can we get a loan?",
        "哈哈",
        "我想贷款" + "，用于购买设备和原材料，期限一年，请尽快联系" * 3,  # says more: searched
    ],
)
def test_questions_and_named_programmes_are_left_to_the_search(typed: str) -> None:
    assert chat_intent(prepare_question(typed)) is None


def test_small_talk_is_not_a_financing_need() -> None:
    assert is_small_talk("谢谢") and is_small_talk("hi")
    assert not is_small_talk("我要融资") and not is_small_talk("担保费率")
