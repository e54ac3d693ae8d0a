"""Places a question names that the documents never write (`bot.unwritten_places`)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from bot.kb_scope import Jurisdiction, KbFacts, WrittenText, kb_facts
from bot.scope import Places
from bot.unwritten_places import named_places, sibling_place, unwritten_place
from knowledge.models import DocumentMeta

# what a new area's documents write: its own name, its province, its parts, the schemes it
# funds, and a county whose firms its fund invests in
_WRITTEN = (
    "澹江新区绿色信贷贴息办法 岷陵省 科学城 临空区 北岸园 第五条 对新区内企业的绿色贷款给予贴息。"
    "上市公司 银行间市场 保险 融资担保 投资丰原县企业按1.5倍计入返投 沅州 北岸经济开发区"
)


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("梧溪市对企业上市的奖励标准是怎样的？", "梧溪市"),
        ("岷东新区的首贷贴息比例是多少？", "岷东新区"),
        ("隔壁柳溪县的绿色信贷贴息比例是多少？", "柳溪县"),
        ("What is Wuxi City's guarantee fee subsidy rate for small businesses?", "Wuxi City"),
        ("What re-investment ratio does Linzhan city's guidance fund require?", "Linzhan city"),
        # the asker's own level, or an everyday word before a level's character
        ("银行承兑汇票贴现的利息县里能补贴吗？", None),
        ("农业保险的保费市里补贴多少？", None),
        ("首台套保险县财政补贴多少？", None),
        ("上市公司做市值管理有奖励吗？", None),
        ("第一次在银行间市场发中期票据有奖励吗？", None),
        ("银行和保险公司归区金融局管吗？", None),
        ("我们公司在科学城，能拿绿色信贷贴息吗？", None),
        # a "name" that begins inside a word (贷款走区: the 款 of 贷款)
        ("我是打鱼的渔民，贷款走区担保公司，担保费一年要几个点？", None),
        # where the asker comes from is not whose policy is asked
        ("我们公司从梧溪市搬到新区，能拿贴息吗？", None),
        ("We are moving from Wuxi City; can we get the green loan subsidy?", None),
        # a homophone of a written place is a typo of it; a written place inside a longer run
        ("子基金投丰源县企业的返投怎么算？", None),
        ("今天沅州天气怎么样？", None),
        ("How long do city departments take to issue the certificate?", None),
        ("Does Danjiang New Area subsidise green loans?", None),
        # a count of places after a written one ("丰原两县"), or a count alone
        ("投向沅州、丰原两县企业的资金有没有最低比例？", None),
        ("三县的企业都能申请吗？", None),
        # a place by the short name of one the documents write in full (panxi, written blind)
        ("我们厂在经开区，能拿绿色信贷贴息吗？", None),
    ],
)
def test_the_place_a_question_names_that_no_document_writes(
    question: str, place: str | None
) -> None:
    written = WrittenText(lambda: [_WRITTEN, "澹江"])
    assert unwritten_place(question, written) == place


def test_a_place_the_documents_write_is_not_another_place() -> None:
    written = WrittenText(lambda: [_WRITTEN, "与梧溪市的政策就高不重复"])
    assert unwritten_place("梧溪市对企业上市的奖励标准是怎样的？", written) is None
    assert "wuxi" in written.place_names()


def test_a_place_whose_tail_is_two_levels_is_not_written_by_another_city() -> None:
    """霞州市's last part 州市 is written inside 栝州市, but it is two levels, no name (heshan,
    written blind: "霞州市的创业担保贷款个人最高能贷多少？" was answered); a tail that is a name
    and a level still counts (今天沅州天气 names the written 沅州)."""
    written = WrittenText(lambda: ["栝州市人民政府办公室关于印发…的通知", "沅州市"])
    assert unwritten_place("霞州市的创业担保贷款个人最高能贷多少？", written) == "霞州市"
    assert unwritten_place("今天沅州天气怎么样？", written) is None


def test_the_documents_are_read_once_per_fragment() -> None:
    """The text is read when a question names an unknown place, and each answer is kept."""
    reads: list[int] = []

    def texts() -> list[str]:
        reads.append(1)
        return [_WRITTEN]

    written = WrittenText(texts)
    assert reads == []
    for _ in range(3):
        assert unwritten_place("梧溪市对企业上市的奖励标准是怎样的？", written) == "梧溪市"
    assert len(reads) == 4  # 梧溪, 溪市, an abbreviation of 梧溪市 and the place names, once each


def _facts_of(setting: str, title: str, day: date, *texts: str) -> KbFacts:
    """The facts of a one-document knowledge base (`title`, its passages `texts`)."""
    chunks = tuple(SimpleNamespace(section="", text=text) for text in texts)
    doc = SimpleNamespace(doc_id="d0", meta=DocumentMeta(title=title), chunks=chunks)
    snap = SimpleNamespace(docs={"d0": SimpleNamespace(doc=doc)}, statuses=lambda today: {})
    return kb_facts(snap, day, Places(), Jurisdiction.parse(setting))  # type: ignore[arg-type]


# a one-document knowledge base: its setting, its document's title, the day, the passages
_JIHU = (
    "沣都市霁湖区", "霁湖区知识产权质押融资贴息办法", date(2028, 3, 1),
    "示范区澄沙片企业的奖励由澄沙区财政承担，经澄沙区人民政府同意。",
    "霁湖经济技术开发区（以下简称经开区）企业按本办法执行。", "临港区管委会负责组织实施。",
)  # fmt: skip
_YUWAN = (
    "津澜市榆湾区", "津澜市进一步支持企业利用多层次资本市场高质量发展的若干措施", date(2028, 6, 20),
    "中心城区指清源区、望海区；远郊区（新城）指榆湾区、桐泽区、北岭区、南塘区、清城区。",
    "榆湾综合保税区（以下简称综保区）、榆湾区、综保区企业按本措施执行。", "县（市）为龙潭县、桐溪县、泷水县。",
)  # fmt: skip


def _sibling(kb: tuple[str, str, date, str, str, str], question: str) -> str | None:
    setting, title, day, *texts = kb
    return sibling_place(question, _facts_of(setting, title, day, *texts))


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("澄沙区的知识产权质押贷款贴息标准是多少？", "澄沙区"),
        ("澄沙区（不在示范区范围内）的企业找担保，担保费补贴比例是多少？", "澄沙区"),
        ("澄沙区自己的区级上市奖励标准是多少？", "澄沙区"),
        # the zone the two run together, its 澄沙 part, the district's own names
        ("示范区澄沙片企业的贴息比例是多少？", None),
        ("霁湖区的贴息比例是多少？", None),
        ("我们在经开区，贴息比例是多少？", None),
        # how the neighbour's money stacks with the district's own
        ("澄沙区的贴息和区里的能叠加吗？", None),
        # a place the documents write as no government (a zone run by a 管委会)
        ("临港区的贴息比例是多少？", None),
    ],
)
def test_a_neighbour_the_documents_write_as_a_government_is_another_place(
    question: str, place: str | None
) -> None:
    """A district's documents name the neighbour it runs a zone with ("示范区澄沙片企业的奖励
    由澄沙区财政承担") and hold none of its measures: a question on the neighbour's own policy
    is another place's (jihu, written blind: three answered from the district's measures)."""
    assert _sibling(_JIHU, question) == place


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("桐泽区有没有应急转贷资金？怎么申请？", "桐泽区"),
        # a district whose name ends as an everyday word does (城区), listed as a district
        ("清城区的企业上市奖励是多少？", "清城区"),
        # a county the city lists among its counties, in a clause without the district
        ("泷水县的林权收储担保费率是多少？", "泷水县"),
        ("泷水县的贴息和我们区的能叠加吗？", None),
        ("北岭区对企业上市有奖励吗？", "北岭区"),
        # listed beside another district of the city: a district of its own too
        ("望海区对企业上市有奖励吗？", "望海区"),
        # a zone the documents enumerate with the district is no district of its own level
        ("我们在综保区，出口信保补多少？", None),
        ("桐泽区的企业上市奖励和我们区的能叠加吗？", None),
    ],
)
def test_a_district_the_documents_list_beside_the_own_is_another_place(
    question: str, place: str | None
) -> None:
    """The city's measure lists its outer districts, the deployment's among them ("远郊区（新
    城）指榆湾区、桐泽区、北岭区、南塘区"): a question on 桐泽区's own policy is another place's
    (yuwan, written blind: "桐泽区有没有应急转贷资金？" was answered from 榆湾区's measure)."""
    assert _sibling(_YUWAN, question) == place


_AOQIN = (
    "北原自治区乌岚盟敖沁旗", "北原自治区政策性肉牛奶牛养殖保险保费补贴实施办法", date(2029, 1, 15),
    "牧区旗县：……乌岚盟敖沁旗、乌岚盟查干旗、乌岚盟宝音旗……", "边境旗县的保费补贴比例提高5个百分点。",
    "各旗县财政承担10%，由旗县财政局拨付。",
)  # fmt: skip


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("查干旗的创业担保贷款个人最高能贷多少？", "查干旗"),
        # a name that is a word of the dictionary (宝音, a noun of Mongolian) listed as a place
        ("宝音旗对上市企业奖励多少？", "宝音旗"),
        # the kinds of banner the region rules for, and the banner's own
        ("边境旗的肉牛保险保费补贴比例是多少？", None),
        ("敖沁旗的肉牛保险保费补贴比例是多少？", None),
        ("查干旗的保费补贴和我们旗的能叠加吗？", None),
    ],
)
def test_a_banner_the_region_lists_beside_the_own_is_another_place(
    question: str, place: str | None
) -> None:
    """The region's measure lists its pastoral banners, each under its league ("乌岚盟敖沁旗、
    乌岚盟查干旗、乌岚盟宝音旗"): a question on 查干旗's own policy is another banner's (aoqin,
    written blind: answered from 敖沁旗's measures, since a 旗 was read as no place at all)."""
    assert _sibling(_AOQIN, question) == place


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("白音盟的再担保费率是多少？", []),  # 白音: a word of the dictionary, listed nowhere
        ("巴林盟的再担保费率是多少？", ["巴林盟"]),
        ("我想加盟一个奶茶品牌，能贷款吗？", []),
        ("集团旗下的子公司能申请吗？", []),
        ("天猫旗舰店能贷款吗？", []),
        ("盟里对龙头企业贴息多少？", []),
    ],
)
def test_a_banner_or_a_league_is_a_place_and_their_words_are_not(
    question: str, names: list[str]
) -> None:
    written = WrittenText(lambda: ["敖沁旗金融服务中心"])
    assert [name for name, _ in named_places(question, written)] == names


def test_a_city_s_counties_with_a_government_are_inside_it() -> None:
    """A prefecture-level city's documents name its counties' governments: their firms are
    the city's own (daizhou, written blind)."""
    facts = _facts_of(
        "东溟省岱州市",
        "岱州市绿色贷款贴息办法",
        date(2027, 9, 1),
        "松澳县项目的贴息由松澳县财政承担。",
    )
    assert sibling_place("松澳县的绿色贷款贴息能贴几个点？", facts) is None


def test_a_zone_whose_own_measures_are_held_is_no_other_place() -> None:
    """A city-run 经开区 on a county's land issues its own measures, which the county's
    knowledge base holds under the zone's full name ("皋宁经济技术开发区管理委员会关于印发…"); its
    firms call it 皋宁经开区 or 经开区, and its documents write it as a government (由经开区财政
    兑现). Questions of its firms were declined as another place's (luanxi, written blind: five
    in scope); now the zone issues documents of the knowledge base, its own firms are answered
    by them, and a firm of another part of the county is not."""
    facts = _facts_of(
        "宛澄省皋宁市鸾溪县",
        "皋宁经济技术开发区管理委员会关于印发《皋宁经开区支持企业利用多层次资本市场发展办法》的通知",
        date(2028, 5, 15),
        "注册在经开区的企业发行公司债券的，按发行额1%给予奖励，由经开区财政兑现。",
        "鸾溪县工业园区的企业按县里的办法执行。",
    )
    assert facts.schemes == {"d0": "皋宁经济技术开发区"}
    assert "皋宁经开区" in facts.home and "皋宁" not in facts.local
    for question in (
        "注册在皋宁经开区的企业在北交所上市，辅导备案奖励多少？",
        "经开区企业发行公司债的奖励标准是什么？",
    ):
        assert facts.neighbour_asked(question) is None
        assert sibling_place(question, facts) is None
        assert facts.schemes_elsewhere(question)[1] == set()
    assert facts.schemes_elsewhere("我们是工业园区的企业，发债奖多少？")[1] == {"d0"}


def test_the_zone_s_measure_is_a_level_of_its_own() -> None:
    """In a county's knowledge base holding its province's measures, the city-run 经开区's
    measure is the zone's level: "县里…" asks for the county's, "经开区…" for the zone's, and a
    firm that says it is in the zone and asks what the county gives asks for the county's
    (luanxi, written blind: "公司整体变更为股份有限公司，县里有什么资金上的支持？" quoted the
    zone's measure first)."""
    chunks = (SimpleNamespace(section="", text="由经开区财政兑现。"),)
    docs = {
        doc_id: SimpleNamespace(
            doc=SimpleNamespace(doc_id=doc_id, meta=DocumentMeta(title=title), chunks=chunks)
        )
        for doc_id, title in (
            ("zone", "皋宁经济技术开发区管理委员会关于印发《皋宁经开区资本市场发展办法》的通知"),
            ("county", "鸾溪县人民政府关于印发《鸾溪县推进企业上市挂牌若干措施》的通知"),
            ("province", "宛澄省人民政府办公厅关于印发《宛澄省区域性股权市场若干措施》的通知"),
        )
    }
    snap = SimpleNamespace(docs=docs, statuses=lambda today: {})
    facts = kb_facts(snap, date(2028, 5, 15), Places(), Jurisdiction.parse("宛澄省皋宁市鸾溪县"))  # type: ignore[arg-type]
    assert facts.levels == {"zone": "皋宁经济技术开发区", "county": "", "province": "宛澄省"}
    assert facts.level_asked("公司股改，县里有什么资金上的支持？") == ""
    assert facts.level_asked("经开区企业股改补助多少？") == "皋宁经济技术开发区"
    assert facts.level_asked("我们在经开区，去股交中心挂牌，县里给奖励不？") == ""
    assert facts.level_asked("省里对股交中心挂牌奖多少？") == "宛澄省"
    assert facts.level_asked("股改补助多少？") is None
