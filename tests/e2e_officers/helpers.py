"""Person-level steps shared by the officers' end-to-end tests."""

from __future__ import annotations

import re

from tests.fakebot.person import Person
from tests.fakebot.records import BotMessage

VALID_USCC = "91350100M000100Y43"
ANSWERS = {
    "company": "青禾科技有限公司",
    "uscc": VALID_USCC,
    "contact": "王小明",
    "phone": "13812345678",
    "amount": "500万",
    "term": "12",
    "purpose": "采购原材料，扩大生产",
}


def is_prompt(message: BotMessage) -> bool:
    """A form question ("5/9 ...") or the summary: what the bot says after an answer."""
    return bool(re.match(r"^(\d/9|请核对|Please check)", message.text))


async def say(person: Person, text: str) -> BotMessage:
    """Send text and return the next prompt (the same question again after an error)."""
    await person.send(text)
    return (await person.wait_for(is_prompt))[-1]


async def fill_form(person: Person, *, fin_type: str = "政府性融资担保贷款") -> BotMessage:
    """From /financing to the summary with valid answers; returns the summary message."""
    await person.command("financing")
    await person.wait_for(lambda m: m.text.startswith("1/9"))
    for key in ("company", "uscc", "contact", "phone", "amount"):
        await say(person, ANSWERS[key])
    await person.tap(fin_type)
    await person.wait_for(lambda m: m.text.startswith("7/9"))
    await say(person, ANSWERS["term"])
    await say(person, ANSWERS["purpose"])
    await person.tap("同意并继续")
    (summary,) = await person.wait_for(lambda m: m.text.startswith("请核对"))
    return summary


async def submit(person: Person) -> str:
    """Fill and confirm; returns the reference number."""
    await fill_form(person)
    await person.tap("确认提交")
    (saved,) = await person.wait_for(lambda m: "已提交" in m.text)
    return saved.text.split("编号 ")[1].split("。")[0]
