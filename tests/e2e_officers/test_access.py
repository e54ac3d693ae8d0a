"""Privileged commands answer only in the chats they belong to (one gate, at registration).

An officer typing /unanswered in a public group once posted other entrepreneurs' questions
there; now every officer's command answers in the officers' group or in private only.
"""

from __future__ import annotations

from tests.e2e_officers.conftest import ADMIN, OFFICER_A, StartBureau
from tests.fakebot import FakeTelegram

PUBLIC_GROUP = -1009876
SECRET_QUESTION = "我们公司的续贷被拒了怎么办"
WRONG_CHAT = "请在工作群或与我的私聊中使用此功能。"


async def test_an_officer_in_a_public_group_gets_no_privileged_answer(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await bureau()
    entrepreneur = tg.user(1001, "王总")
    await entrepreneur.send(SECRET_QUESTION)  # not answered (empty test KB): "unanswered"
    await entrepreneur.wait_for()
    public = tg.group(PUBLIC_GROUP, "园区企业交流群")
    li = tg.user(OFFICER_A, "李科长").in_group(public)
    for command, refusal in (
        ("unanswered", WRONG_CHAT),
        ("faq", WRONG_CHAT),
        ("requests", "仅供金融局工作人员"),
        ("stats", "仅供金融局工作人员"),
    ):
        await li.command(command)
        (reply,) = await li.wait_for()
        assert refusal in reply.text, command
        assert SECRET_QUESTION not in reply.text
    boss = tg.user(ADMIN, "局长").in_group(public)
    await boss.command("grant officer 1001")
    assert (await boss.wait_for())[0].text == WRONG_CHAT
    assert not b.services.roles.is_officer(1001)
    assert not [text for text in public.texts() if SECRET_QUESTION in text]

    in_office = tg.user(OFFICER_A).in_group(b.group)  # the same command where it belongs
    await in_office.command("unanswered")
    (listing,) = await in_office.wait_for()
    assert SECRET_QUESTION in listing.text
    await tg.user(OFFICER_A).command("unanswered")  # and in private
    (private,) = await tg.user(OFFICER_A).wait_for()
    assert SECRET_QUESTION in private.text
