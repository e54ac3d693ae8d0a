"""Person-level steps shared by the officers' end-to-end tests."""

from __future__ import annotations

import re

from tests.fakebot.person import Chatter, Person
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


def case_id(card: BotMessage) -> int:
    """The handoff number shown on a card ("🙋 联系工作人员 #12 ...")."""
    return int(card.text.split("#")[1].split()[0])


def is_card(message: BotMessage) -> bool:
    return "联系工作人员 #" in message.text


async def open_case(entrepreneur: Person, officer: Chatter, note: str) -> BotMessage:
    """/human with a sentence; returns the card the officers' group received."""
    await entrepreneur.command(f"human {note}")
    await entrepreneur.wait_for()
    (card,) = await officer.wait_for(lambda m: is_card(m) and note in m.text)
    return card


async def claimed_case(entrepreneur: Person, officer: Chatter, note: str) -> BotMessage:
    """A case the officer has claimed (the entrepreneur was told who is helping)."""
    card = await open_case(entrepreneur, officer, note)
    await officer.tap("认领", message=card)
    await entrepreneur.wait_for()
    return card


async def relay_to_group(entrepreneur: Person, officer: Chatter, text: str) -> BotMessage:
    """The entrepreneur writes during a case; returns the copy relayed into the group.

    The bot stores the relayed copy's id just after sending it, so wait until it is done
    before an officer replies to it (a person cannot answer within those milliseconds).
    """
    await entrepreneur.send(text)
    (relayed,) = await officer.wait_for(lambda m: text in m.text)
    await officer.tg.wait_idle()
    return relayed
