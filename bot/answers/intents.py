"""Messages that are not questions about a policy: a greeting, thanks, a goodbye, or a bare
"we need money".

Searched as questions they were answered badly: "你好" and "谢谢" were declined with "这个问题
涉及个人事务或其他领域" (and listed for the officers as unanswered), and "我想贷款500万" or
"我要融资", the very need the bureau is there for, got the same refusal. Each is recognised
here from a small closed class of chat words, not from the knowledge base, so it holds on any
bureau's documents; the service replies to it without a search.

A financing need is recognised only when nothing is left of the message once its subject (我/
公司…), a wish (想/要/急需…), a measure word (一笔…), a generic object (贷款/融资/资金…) and
an amount are taken out: "我想申请创业担保贷款" names a programme and is searched (its
application article answers it), and so is anything that asks (吗/怎么/多少/？…).
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Final


class ChatIntent(StrEnum):
    GREETING = "greeting"
    THANKS = "thanks"
    GOODBYE = "goodbye"
    ACKNOWLEDGEMENT = "ack"
    FINANCING = "financing"

    @property
    def closes_the_turn(self) -> bool:
        """Thanks, goodbye or "ok": nothing to offer after it (no officer, no form)."""
        return self in (ChatIntent.THANKS, ChatIntent.GOODBYE, ChatIntent.ACKNOWLEDGEMENT)


_GREETINGS: Final = frozenset(
    [
        "你好",
        "您好",
        "你们好",
        "大家好",
        "哈喽",
        "嗨",
        "在吗",
        "在不在",
        "有人吗",
        "有人在吗",
        "早",
        "早上好",
        "上午好",
        "中午好",
        "下午好",
        "晚上好",
        "hi",
        "hello",
        "hey",
        "hiya",
        "goodmorning",
        "goodafternoon",
        "goodevening",
    ]
)
_THANKS: Final = frozenset(
    [
        "谢谢",
        "谢谢你",
        "谢谢您",
        "谢谢啦",
        "谢啦",
        "谢了",
        "多谢",
        "感谢",
        "非常感谢",
        "十分感谢",
        "太感谢了",
        "辛苦了",
        "好的谢谢",
        "好谢谢",
        "thanks",
        "thankyou",
        "thanksalot",
        "thx",
        "ty",
        "manythanks",
    ]
)
_GOODBYES: Final = frozenset(["再见", "拜拜", "回见", "bye", "goodbye", "byebye", "seeyou"])
_ACKNOWLEDGEMENTS: Final = frozenset(
    [
        "好",
        "好的",
        "好吧",
        "行",
        "可以",
        "收到",
        "明白",
        "明白了",
        "知道了",
        "懂了",
        "了解",
        "了解了",
        "嗯",
        "嗯嗯",
        "哦",
        "哦哦",
        "ok",
        "okay",
        "yes",
        "no",
        "fine",
        "gotit",
    ]
)
_CLOSED: Final = (
    (_GREETINGS, ChatIntent.GREETING),
    (_THANKS, ChatIntent.THANKS),
    (_GOODBYES, ChatIntent.GOODBYE),
    (_ACKNOWLEDGEMENTS, ChatIntent.ACKNOWLEDGEMENT),
)
# what is stripped before the closed classes are looked up: spaces, punctuation and emoji
# (ok👍 / thank you!), then the particles that soften a chat word (你好呀~ / 谢谢啦！)
_NOISE: Final = re.compile(r"[\s\W_]+")
_SOFTENERS: Final = re.compile(r"(?<=.)[啊呀呢吧哈嘛啦喔]+$")

# a bare financing need: its pieces, taken out in turn; what remains must be nothing
_ASKS: Final = re.compile(
    r"[？?]|吗|么|呢|怎|咋|如何|哪|什么|啥|多少|多久|多长|几|能否|可否|是否|能不能|可不可以|有没有|有无|"
    r"\b(?:how|what|which|when|where|why|can|could|do|does|is|are)\b",
    re.IGNORECASE,
)
_SUBJECT: Final = re.compile(r"我们公司|我们企业|本公司|我公司|我们|我司|公司|企业|厂里|厂子|我")
_WISH: Final = re.compile(
    r"非常|特别|现在|目前|最近|马上|急需|急着|想要|需要|打算|准备|希望|申请|急|想|要|求|找|缺"
)
_MEASURE: Final = re.compile(r"一笔|一些|一点|点儿|点|些|个")
_OBJECT: Final = re.compile(
    r"(?:银行)?(?:贷款|贷点款|借款|借钱|借点钱|融资|融点资|周转资金|流动资金|资金|周转|用钱|钱|贷)"
)
_STATE: Final = re.compile(r"需求|紧张|困难|不足|不够|周转不过来")
_AMOUNT: Final = re.compile(
    r"(?:大约|大概)?(?:[0-9０-９][0-9０-９.,，]*|[一二两三四五六七八九十百千]+)\s*"
    r"(?:亿元|万元|元|亿|万|w|W)(?:左右)?|(?:大约|大概)?[0-9０-９][0-9０-９.,，]*(?:左右)?"
)
_EN_FINANCING: Final = re.compile(
    r"^(?:hi|hello)?\W*(?:we|i|our company)\s+(?:urgently\s+)?(?:need|want|would like|are looking for|am looking for|"
    r"'d like)\s+(?:to\s+(?:borrow|get|raise)\s+)?(?:a\s+|some\s+)?(?:bank\s+)?(?:loan|financing|funding|money|"
    r"credit|capital)?\s*(?:of\s+)?(?:rmb|cny|¥)?\s*[0-9.,]*\s*(?:million|m|k|yuan|rmb)?\s*(?:yuan|rmb)?[.!]*$",
    re.IGNORECASE,
)
_EN_OBJECT: Final = re.compile(r"\b(?:loan|financing|funding|money|credit|capital|borrow)\b", re.I)
MAX_FINANCING_CHARS: Final = 40  # a longer message says more than "we need money": search it


def chat_intent(text: str) -> ChatIntent | None:
    """What a prepared message (`prepare_question`) says when it is not a policy question."""
    small_talk = _small_talk(text)
    if small_talk is not None:
        return small_talk
    return ChatIntent.FINANCING if is_financing_need(text) else None


def is_small_talk(text: str) -> bool:
    """A greeting, thanks, goodbye or "ok": it asks nothing and leans on nothing."""
    return _small_talk(text) is not None


def _small_talk(text: str) -> ChatIntent | None:
    """The closed class the whole message is, its punctuation and softening particles aside."""
    word = _NOISE.sub("", text.casefold())
    softened = _SOFTENERS.sub("", word)
    for words, intent in _CLOSED:
        if word in words or softened in words:
            return intent
    return None


def is_financing_need(text: str) -> bool:
    """ "我想贷款500万", "公司急需一笔周转资金", "We need a loan of 5 million": a wish for money
    that names no programme and asks nothing."""
    if len(text) > MAX_FINANCING_CHARS or _ASKS.search(text):
        return False
    if _EN_FINANCING.match(text.strip()):
        return bool(_EN_OBJECT.search(text))
    rest = _NOISE.sub("", text)
    if not _OBJECT.search(rest):
        return False
    wants = any(p.search(rest) for p in (_WISH, _STATE, _AMOUNT))  # "贷款" alone is a topic
    for piece in (_AMOUNT, _SUBJECT, _WISH, _MEASURE, _OBJECT, _STATE):
        rest = piece.sub("", rest)
    return wants and rest == ""
