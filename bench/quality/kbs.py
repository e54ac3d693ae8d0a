"""The knowledge bases the quality bench measures, each with its question files and day.

A knowledge base is scored on the day its question set was written (documents in force
then), so scores do not drift as sample policies expire on the calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = Path(__file__).resolve().parent


@dataclass(frozen=True)
class BenchKb:
    name: str
    docs: Path | None  # None: the bundled sample (documents + FAQ, as first start seeds it)
    questions: tuple[Path, ...]
    dialogues: Path | None
    day: date
    role: str  # "tuned" / "development" / "held out"
    # documents not in force on `day`, as their writers stated (MANIFEST.md): quoting one as
    # current counts as stale even when the engine failed to notice (statuses it never read)
    not_in_force: frozenset[str] = frozenset()
    # another entry whose documents (and index) this one shares: a second question set
    # written later for the same knowledge base
    shares_index_of: str | None = None
    # the place the bureau serves, as its deployment states it (FINBOT_JURISDICTION): from
    # the brief the writers were given, or the documents' own 落款
    jurisdiction: str = ""

    @property
    def question_files(self) -> list[Path]:
        return [p for p in self.questions if p.exists()]


def _sample_questions() -> tuple[Path, ...]:
    return tuple(sorted((QUESTIONS / "questions").glob("*.jsonl")))


def _written(name: str, day: date, role: str, not_in_force: set[str], jurisdiction: str) -> BenchKb:
    """A knowledge base written for the bench: its documents in knowledge/samples/<name>/docs,
    its questions and dialogues in bench/quality/kbs/<name>/."""
    return BenchKb(
        name, ROOT / "knowledge" / "samples" / name / "docs",
        (QUESTIONS / "kbs" / name / "questions.jsonl",),
        QUESTIONS / "kbs" / name / "dialogues.jsonl", day, role, frozenset(not_in_force),
        jurisdiction=jurisdiction,
    )  # fmt: skip


KBS: dict[str, BenchKb] = {
    "sample": BenchKb(
        "sample", None, _sample_questions(), QUESTIONS / "kbs" / "sample" / "dialogues.jsonl",
        date(2025, 10, 1), "tuned", jurisdiction="临江市青禾区",
    ),
    "songling": _written(
        "songling", date(2026, 6, 1), "development",
        {"funds/guidance-fund-measures-2021.pdf", "credit/startup-loan-2022.pdf",
         "credit/guarantee-fee-subsidy-apply-2024.pdf"},
        "海澄省望川市松岭区",
    ),
    "lanting": _written(
        "lanting", date(2026, 6, 1), "seen (was held out)",
        {"listing/listing-reward-2021.pdf", "credit/bridge-loan-fund-2022.docx",
         "credit/guarantee-fee-subsidy-application-2024.pdf"},
        "鹤州市兰亭区",
    ),
    "yunxi": _written(
        "yunxi", date(2026, 9, 1), "development",
        {"listing/listing-support-measures-2022.pdf",
         "listing/listing-reward-application-notice-2023.pdf",
         "credit/bridge-loan-fund-measures-2023.docx"},
        "东岚省临川市云溪区",
    ),
    "qixia": _written(
        "qixia", date(2026, 11, 15), "development",
        {"listing/listing-reward-measures-2022.pdf",
         "listing/regional-equity-board-notice-2025.pdf",
         "funds/equity-investment-settlement-measures-2023.pdf",
         "funds/return-investment-adjustment-notice-2024.docx",
         "credit/guarantee-measures-2022.pdf",
         "credit/first-loan-subsidy-2025.pdf",
         "credit/risk-compensation-pool-2023.pdf"},
        "南屏省澄州市栖霞湾新区",
    ),
    "yuanzhou": _written(
        "yuanzhou", date(2026, 12, 1), "seen (was held out)",
        {"listing/listing-support-measures-2022.pdf",
         "listing/neeq-reward-temporary-notice-2024.docx",
         "credit/guarantee-interim-measures-2021.pdf",
         "credit/sci-tech-loan-rules-2023.pdf",
         "credit/loan-interest-subsidy-notice-2023.pdf"},
        "临沅省沅州市",
    ),
    "tangxi": _written(
        "tangxi", date(2026, 12, 3), "held out (written in session 25, measured once)",
        {"listing/listing-reward-measures-2022.pdf",
         "listing/listing-reward-application-notice-2025.pdf",
         "credit/guarantee-fee-subsidy-interim-2021.pdf",
         "other/b-2024-relief-loan-action-notice.txt"},
        "南屿省观澜市棠溪区",
    ),
    "hexi": _written(
        "hexi", date(2026, 12, 3), "held out (written in session 27, measured at its start and its end)",
        {"listing/listing-support-measures-2021.pdf",
         "funds/fund-manager-settlement-2023.pdf",
         "listing/shareholding-reform-campaign-2024.pdf",
         "credit/guarantee-fee-subsidy-interim-measures-2021.pdf",
         "credit/guarantee-fee-temporary-cut-notice-2025.pdf"},
        "桐江省宁远市鹤溪县",
    ),
    "zechuan": _written(
        "zechuan", date(2026, 12, 3), "held out (a city, written in session 29, measured at its start and its end)",
        {"listing/listing-reward-measures-2022.pdf",
         "listing/listing-green-channel-notice-2025.txt",
         "credit/guarantee-fee-temporary-cut-notice-2025.txt",
         "credit/emergency-bridge-loan-measures-2021.pdf",
         "credit/tech-talent-loan-draft-revision-2026.docx"},
        "汉屏省泽川市",
    ),
    "lanchuan": _written(
        "lanchuan", date(2026, 12, 4), "held out (a province, written in session 30, measured at its start and its end)",
        {"listing/listing-reward-measures-2021.pdf",
         "listing/neeq-listing-reward-notice-2023.md",
         "credit/financing-guarantee-fee-reduction-2021.pdf",
         "credit/industrial-chain-loan-subsidy-2024.pdf"},
        "澜川省",
    ),
    "qifeng": _written(
        "qifeng", date(2026, 12, 4), "held out (a high-tech zone, written in session 31, measured at its start and its end)",
        {"listing/listing-support-measures-2022.pdf",
         "listing/listing-reserve-2025-notice.txt",
         "credit/tech-credit-measures-2024.pdf",
         "credit/interest-subsidy-call-2025.pdf"},
        "云江省岚州市栖凤高新区",
    ),
    "weitang": _written(
        "weitang", date(2026, 12, 4), "held out (a county, written in session 32, measured at its start and its end)",
        {"capital/listing-measures-2021.pdf",
         "insurance/agri-insurance-2025.pdf",
         "credit/guarantee-fee-subsidy-2023.pdf",
         "credit/first-loan-campaign-2025.txt"},
        "东澄省临渠市苇塘县",
    ),
    "qingang": _written(
        "qingang", date(2026, 12, 4), "held out (a county-level city, written in session 33, measured at its start and its end)",
        {"capital/listing-support-2023.docx",
         "funds/industry-fund-interim-2021.pdf",
         "trade/fx-first-hedge-award-2024.txt",
         "credit/guarantee-fee-2023.pdf",
         "credit/bridge-fee-cut-2025.pdf"},
        "越川省嘉岭市溱港市",
    ),
    "lanyu": _written(
        "lanyu", date(2026, 12, 4), "held out (an autonomous county, written in session 34, measured at its start and its end)",
        {"capital/bse-roadshow-subsidy-2024.docx",
         "credit/guarantee-interim-measures-2023.pdf",
         "supervision/illegal-fundraising-awareness-month-2025.txt"},
        "湘澧省沅溪土家族苗族自治州岚峪土家族自治县",
    ),
    "luting": _written(
        "luting", date(2026, 12, 4), "held out (an area of a pilot free trade zone, written in session 35, measured at its start and its end)",
        {"capital/listing-support-2022.pdf",
         "funds/qdlp-pilot-2023.pdf",
         "supervision/leasing-factoring-rating-2023.pdf",
         "credit/bridge-loan-fund-draft-2026.docx"},
        "溟海省鹭汀市中国（溟海）自由贸易试验区鹭汀片区",
    ),
    "danjiang": _written(
        "danjiang", date(2026, 12, 4), "held out (a national-level new area and green-finance pilot, written in session 36, measured at its start and its end)",
        {"green/green-loan-subsidy-2021.pdf",
         "capital/listing-support-2022.pdf",
         "credit/guarantee-fee-cut-notice-2023.txt",
         "credit/ip-pledge-financing-2022.pdf",
         "credit/bridge-loan-fund-2027.docx"},
        "岷陵省澹江新区",
    ),
    "jinsha": _written(
        "jinsha", date(2026, 12, 5), "held out (a city's central business district, written in session 37, measured at its start and its end)",
        {"other/a-fintech-action-plan-2021.pdf",
         "credit/bridge-loan-fund-2023.docx",
         "crossborder/cross-border-rmb-reward-2023.docx",
         "credit/finance-lease-subsidy-2022.pdf"},
        "汀淮省钧城市金沙湾区",
    ),
    "zheyuan": _written(
        "zheyuan", date(2026, 12, 6), "held out (a prefecture-level city of farms and forests, written in session 38, measured at its start and its end)",
        {"capital/listing-reward-2023.docx",
         "funds/fund-attraction-2022.docx",
         "rural/service-station-2021.pdf"},
        "渭宁省柘原市",
    ),
    "lanwan": _written(
        "lanwan", date(2026, 12, 7), "held out (a port city's coastal district with islands, written in session 38, measured at its start and its end)",
        {"capital/listing-reward-2021.pdf",
         "other/a-tourism-relief-2022.pdf",
         "credit/first-loan-interest-subsidy-2023.docx"},
        "沧澜省汐州市蓝湾区",
    ),
    "chaping": _written(
        "chaping", date(2026, 12, 8), "held out (a mountain county of tea farms and returning migrant workers, written in session 39, measured at its start and its end)",
        {"capital/listing-reward-2021.pdf",
         "other/a-spring-tea-credit-2025.txt",
         "other/b-stabilize-economy-finance-measures-2022.pdf"},
        "沅岭省枫川市茶坪县",
    ),
    "yeshan": _written(
        "yeshan", date(2026, 12, 9), "held out (an old industrial district in transformation, written in session 40, measured at its start and its end)",
        {"capital/listing-reward-2021.pdf",
         "tech/equipment-loan-subsidy-2022.pdf",
         "credit/guarantee-fee-subsidy-2021.pdf",
         "restructure/stable-jobs-loan-2023.pdf"},
        "朔岭省铁川市冶山区",
    ),
    "hongjiang": _written(
        "hongjiang", date(2026, 12, 10), "held out (a provincial capital's financial-centre district, written in session 41, measured at its start and its end)",
        {"institutions/financial-institutions-settlement-2021.pdf",
         "credit/guarantee-fee-subsidy-2022.pdf",
         "consumer/auto-consumer-loan-subsidy-2025.pdf",
         "other/b-ip-pledge-financing-draft-2026.docx"},
        "岱宁省嵘城市泓江区",
    ),
    "yankou": _written(
        "yankou", date(2026, 12, 15), "held out (a border port city of herders and traders, written in session 42, measured at its start and its end)",
        {"crossborder/export-credit-insurance-2022.pdf",
         "capital/listing-reward-2021.pdf",
         "agri/agri-insurance-2027-2029.docx",
         "agri/family-ranch-coop-loan-2022.pdf",
         "service/border-tourism-relief-2023.txt"},
        "澄原自治区达岭市雁口市",
    ),
    "qiyuan": _written(
        "qiyuan", date(2027, 1, 12), "held out (a national economic-development zone of factories, labs and a bonded zone, written in session 43, measured at its start and its end)",
        {"tech/tech-insurance-subsidy-2021.pdf",
         "capital/listing-reward-2022.docx",
         "manufacturing/equipment-loan-interest-2024.pdf",
         "credit/guarantee-fee-subsidy-2027.pdf",
         "startup/individual-business-loan-pilot-2024.pdf"},
        "岚州省宁湾市启元经济技术开发区",
    ),
    "tongyue": _written(
        "tongyue", date(2027, 3, 18), "held out (a province's local financial administration serving five cities, written in session 44, measured at its start and its end)",
        {"capital/listing-reward-2021.pdf",
         "credit/agri-operator-loan-interest-subsidy-2024.docx"},
        "桐岳省",
    ),
    "cangyu": _written(
        "cangyu", date(2027, 4, 20), "held out (a municipality directly under the central government, its districts and counties, written in session 45, measured at its start and its end)",
        {"capital/listing-reward-2021.pdf",
         "trade/fx-hedging-subsidy-2023.docx",
         "credit/emergency-bridge-fund-2027.pdf"},
        "沧渝市",
    ),
    "cenjiang": _written(
        "cenjiang", date(2027, 5, 25), "held out (an autonomous region at a province's level, its cities and border counties, written in session 45, measured at its start and its end)",
        {"capital/listing-reward-2021.pdf",
         "green/green-insurance-2024.pdf",
         "green/forest-carbon-2027.docx",
         "guarantee/fee-subsidy-rules-2022.pdf",
         "guarantee/compensation-fund-2023.docx",
         "startup/startup-loan-2026-raise-notice.txt"},
        "岑江壮族自治区",
    ),
    "meixi": _written(
        "meixi", date(2027, 7, 15), "held out (an autonomous prefecture inside a province, its counties' own schemes, written in session 46, measured at its start and its end)",
        {"capital/listing-reward-2021.pdf",
         "credit/agri-insurance-premium-draft-2027.docx",
         "other/b-guarantee-fee-2021-repealed.docx"},
        "黔岭省湄溪苗族侗族自治州",
    ),
    "daizhou": _written(
        "daizhou", date(2027, 9, 1), "held out (a coastal prefecture-level city, its districts' and counties' own schemes, written in session 46, measured at its start and its end)",
        {"capital/listing-reward-2021.pdf",
         "other/a-share-reform-subsidy-adjust-2027.txt",
         "credit/bridge-fund-2023.docx",
         "other/b-loan-interest-relief-2022.txt"},
        "东溟省岱州市",
    ),
    "panxi": _written(
        "panxi", date(2027, 11, 1), "held out (a border county-level city inside an autonomous prefecture, with the prefecture's, the province's and national measures beside its own, written in session 47, measured at its start and its end)",
        {"capital/listing-reward-2021.pdf",
         "funds/city-industry-fund-amend-2027.pdf",
         "trade/landing-processing-loan-subsidy-2025.pdf"},
        "云岫省瑶澜哈尼族彝族自治州磐溪市",
    ),
    "jihu": _written(
        "jihu", date(2028, 3, 1), "held out (a district of a province-level municipality, with the city's and national measures and a zone run jointly with a neighbouring district, written in session 48, measured at its start and its end)",
        {"capital/listing-reward-2022.pdf",
         "credit/bridge-fund-2022.docx",
         "trade/fx-hedging-subsidy-2025.pdf"},
        "沣都市霁湖区",
    ),
    "luanxi": _written(
        "luanxi", date(2028, 5, 15), "held out (a county whose national 经开区 the city runs, with the province's and the city's measures and many 解读/问答/指南 pages, written in session 49, measured at its start and its end)",
        {"credit/bridge-loan-fund-2024.pdf",
         "credit/first-loan-subsidy-2025.pdf"},
        "宛澄省皋宁市鸾溪县",
    ),
    "lishan": _written(
        "lishan", date(2028, 3, 10), "held out (a district that was a county until 2026-07-01, whose county documents stay in force beside the district's, with the city's and the province's measures, a 惠企政策清单, a 政策汇编 and a 明白纸, written in session 50, measured at its start and its end)",
        {"capital/listing-reward-county-2024.pdf",
         "guarantee/county-guarantee-fee-subsidy-2024.pdf",
         "credit/self-employed-relief-2025.pdf"},
        "衡蕲省琅州市栎山区",
    ),
    "yuwan": _written(
        "yuwan", date(2028, 6, 20), "held out (an outer district of a 直辖市 with no province above it, carrying the city's measures with their 中心城区 / 远郊区 numbers, a 临空经济示范区 that spans two districts, national documents, an English translation of a measure, a 修订对照表 and a 政策兑现事项清单, written in session 51, measured at its start and its end)",
        {"credit/bridge-fund-2025.docx", "credit/ip-pledge-2025.pdf"},
        "津澜市榆湾区",
    ),
    "heshan": _written(
        "heshan", date(2028, 9, 15), "held out (a hill district the province treats as one of its 山区26县, with the province's and the city's measures, published mostly as 问答, 解读, 指南 and web articles, written in session 51, measured at its start, at the session's last commit before it was read, and at its end)",
        {"guarantee/b-guarantee-fee-subsidy-2025.docx", "credit/b-stable-enterprise-loan-subsidy-2025.docx"},
        "瓯浔省栝州市鹤山区",
    ),
    "aoqin": _written(
        "aoqin", date(2029, 1, 15), "held out (a banner (旗) of a league (盟) in an autonomous region, both 牧区旗 and 边境旗, with the league's and the region's measures, a border crossing's 边民互市 trade finance, published also as 新闻发布会实录, 建议答复, 会议纪要 and 政策明白卡, written in session 52, measured at its start and its end)",
        {"guarantee/fee-subsidy-measures-2026.pdf", "border/export-credit-insurance-subsidy-2029.pdf"},
        "北原自治区乌岚盟敖沁旗",
    ),
    "meiyu": _written(
        "meiyu", date(2029, 4, 10), "held out (a district of a 计划单列市 whose policies are published as a two-volume 政策汇编: entries of the district, the city, the province and the state, reproduced in full, as 政策要点 cards or as 问答, with files issued after the volumes that change an entry; questions carry gold text; written in session 53, measured at its start and its end)",
        {"updates/tech-insurance-pilot-2026-expired.docx", "updates/batch-guarantee-measures-2029.txt"},
        "东瓯省鹭湾市湄屿区",
    ),
    "fengzhu": _written(
        "fengzhu", date(2029, 8, 20), "held out (an inland industrial district whose bureau publishes its policies mainly as Excel workbooks: a 政策清单 with one row per measure of the district, the city and the province, some rows ended, a notice changing a row's number; rate tables with percentages and units in headers, bank product and fund lists; a few full texts beside them; questions carry gold text; written in session 54, measured at its start and its end)",
        {"credit/future/microcredit-company-rules-2029.docx"},
        "楚澜省澧川市枫渚区",
    ),
    "zheling": _written(
        "zheling", date(2030, 3, 16), "held out (a lakeside district whose bureau writes for the service window: a Word 政策汇编 whose measures of the district, the city and the province carry bold titles and no numbers, one ended, one changed by a later notice; 办事指南 that are one two-column table each; a 政策解读 in 问答 form; questions carry gold text; written in session 55, measured at its start and its end)",
        {"credit/fulltext/microloan-pawn-supervision-rules-2030.docx"},
        "云岚省临沣市柘岭区",
    ),
    "tingbu": _written(
        "tingbu", date(2031, 5, 20), "held out (an old industrial and river-trade district whose bureau answers people rather than publishing rules: a 百问百答 of the district's, the city's and the province's measures, one answer changed by a later notice; 公众号 articles and a government page saved from the browser as .html, two about measures that ended; PDFs that are ruled tables over two pages; questions carry gold text; written in session 56, measured at its start and its end)",
        {"capital/articles/laomatou-fushi-loan-2029.html", "credit/measures/supply-chain-finance-measures-2031.pdf",
         "credit/articles/flood-recovery-relief-2030.html"},
        "沅川省泾屏市汀埠区",
    ),
    "xipu": _written(
        "xipu", date(2032, 3, 10), "held out (a coastal district formed in 2030 by merging two former districts, whose measures stay in force for their former areas until the new district's replace them; the district's measures published as government-website pages saved from the browser as .html, with a metadata table, chapters and 30+ articles, titles that do not start with the district's name; 政策解读 pages, attachments as .docx forms and .xlsx tables, a PDF 政策汇编 chapter of the district's, the city's and the province's measures, one number changed by a 2032 notice; questions carry gold text; written in session 59, measured at its start and its end)",
        {"capital/policies/xipu-fishery-insurance-subsidy-2028.html",
         "credit/policies/trade-finance-promotion-measures-2032.html"},
        "临溟省蓠州市汐浦区",
    ),
    "zhewan": _written(
        "zhewan", date(2033, 5, 20), "held out (a county-level city under a prefecture, so that 市里 is the own level and the prefecture is 澹州 or 大市; its bureau publishes through a WeChat account: articles saved as .md and .txt with emoji headings and Q&A blocks, some numbers stated only there; measures as .docx with 30+ articles and a standards table, a revised listing measure beside the repealed one, a 2033 notice changing one number, a measure not yet in force; a PDF 办事指南, workbooks of three levels' standards and of bank products, two 政策问答 .txt; questions carry gold text; written in session 60, measured at its start and its end)",
        {"capital/measures/listing-opinions-2029-repealed.docx",
         "credit/measures/local-finance-supervision-measures-2033.docx"},
        "涟屿省澹州市柘湾市",
    ),
    "tongwu": _written(
        "tongwu", date(2034, 3, 15), "held out (a county whose bureau publishes through the county's 政务公开 section: three yearly 申报通知 of one 专项资金 (2032, 2033, 2034; only the last in force today), a 30-article measure beside its 实施细则, a measure whose 有效期 a 延期通知 extended, an expired measure with no successor, old-format .xls workbooks of the three levels' standards and of bank products, a 政策问答 in .md; questions carry gold text; written in session 61, measured at its start and its end)",
        {"capital/notices/finance-fund-application-notice-2032.pdf",
         "capital/notices/finance-fund-application-notice-2033.pdf",
         "credit/measures/microloan-pawn-measures-2029.docx",
         "credit/notices/inclusive-finance-fund-notice-2032.pdf",
         "credit/notices/inclusive-finance-fund-notice-2033.pdf"},
        "泷江省篁州市桐坞县",
    ),
    "heting": _written(
        "heting", date(2035, 6, 18), "held out (a district whose bureau changes old documents rather than writing new ones: two measures amended article by article by a 修改决定 with no consolidated text, two measures revised with the old version in the KB and repealed by the new one, a 废止决定 in .txt that repeals a measure in the KB though its own text runs to 2036, a 新闻发布会实录 saved as .html, .xlsx tables of a 上市后备 list and of guarantee and 转贷 fees, short notices in .md and .pdf; questions carry gold text; written in session 62, measured at its start and its end)",
        {"capital/measures/agri-finance-measures-2029.pdf",
         "credit/measures/bridge-loan-fund-measures-2029.pdf",
         "credit/measures/microcredit-company-supervision-measures-2031.docx"},
        "岷澜省栖梧市鹤汀区",
    ),
}  # fmt: skip


def _fresh(of: str, day: date, session: int = 23) -> BenchKb:
    """A second, smaller set written blind (in sessions 23, 24, 26, 28, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 59, 60, 61 and 62) for an existing knowledge base
    by a writer who saw only that KB's documents: new questions on documents already seen."""
    base = KBS[of]
    return BenchKb(
        f"{of}-fresh", base.docs, (QUESTIONS / "kbs" / of / "fresh.jsonl",), None, day,
        f"held out (questions written in session {session})", base.not_in_force,
        shares_index_of=of, jurisdiction=base.jurisdiction,
    )  # fmt: skip


KBS["lanting-fresh"] = _fresh("lanting", date(2026, 6, 1))
KBS["yuanzhou-fresh"] = _fresh("yuanzhou", date(2026, 12, 1))
KBS["songling-fresh"] = _fresh("songling", date(2026, 6, 1), session=24)
KBS["yunxi-fresh"] = _fresh("yunxi", date(2026, 9, 1), session=24)
KBS["qixia-fresh"] = _fresh("qixia", date(2026, 11, 15), session=24)
KBS["tangxi-fresh"] = _fresh("tangxi", date(2026, 12, 3), session=26)
KBS["hexi-fresh"] = _fresh("hexi", date(2026, 12, 3), session=28)
KBS["qingang-fresh"] = _fresh("qingang", date(2026, 12, 4), session=33)
KBS["lanyu-fresh"] = _fresh("lanyu", date(2026, 12, 4), session=34)
KBS["luting-fresh"] = _fresh("luting", date(2026, 12, 4), session=35)
KBS["danjiang-fresh"] = _fresh("danjiang", date(2026, 12, 4), session=36)
KBS["jinsha-fresh"] = _fresh("jinsha", date(2026, 12, 5), session=37)
KBS["zheyuan-fresh"] = _fresh("zheyuan", date(2026, 12, 6), session=38)
KBS["lanwan-fresh"] = _fresh("lanwan", date(2026, 12, 7), session=38)
KBS["chaping-fresh"] = _fresh("chaping", date(2026, 12, 8), session=39)
KBS["yeshan-fresh"] = _fresh("yeshan", date(2026, 12, 9), session=40)
KBS["hongjiang-fresh"] = _fresh("hongjiang", date(2026, 12, 10), session=41)
KBS["yankou-fresh"] = _fresh("yankou", date(2026, 12, 15), session=42)
KBS["qiyuan-fresh"] = _fresh("qiyuan", date(2027, 1, 12), session=43)
KBS["tongyue-fresh"] = _fresh("tongyue", date(2027, 3, 18), session=44)
KBS["cangyu-fresh"] = _fresh("cangyu", date(2027, 4, 20), session=45)
KBS["cenjiang-fresh"] = _fresh("cenjiang", date(2027, 5, 25), session=45)
KBS["meixi-fresh"] = _fresh("meixi", date(2027, 7, 15), session=46)
KBS["daizhou-fresh"] = _fresh("daizhou", date(2027, 9, 1), session=46)
KBS["panxi-fresh"] = _fresh("panxi", date(2027, 11, 1), session=47)
KBS["jihu-fresh"] = _fresh("jihu", date(2028, 3, 1), session=48)
KBS["luanxi-fresh"] = _fresh("luanxi", date(2028, 5, 15), session=49)
KBS["lishan-fresh"] = _fresh("lishan", date(2028, 3, 10), session=50)
KBS["yuwan-fresh"] = _fresh("yuwan", date(2028, 6, 20), session=51)
KBS["heshan-fresh"] = _fresh("heshan", date(2028, 9, 15), session=51)
KBS["aoqin-fresh"] = _fresh("aoqin", date(2029, 1, 15), session=52)
KBS["meiyu-fresh"] = _fresh("meiyu", date(2029, 4, 10), session=53)
KBS["fengzhu-fresh"] = _fresh("fengzhu", date(2029, 8, 20), session=54)
KBS["zheling-fresh"] = _fresh("zheling", date(2030, 3, 16), session=55)
KBS["tingbu-fresh"] = _fresh("tingbu", date(2031, 5, 20), session=56)
KBS["xipu-fresh"] = _fresh("xipu", date(2032, 3, 10), session=59)
KBS["zhewan-fresh"] = _fresh("zhewan", date(2033, 5, 20), session=60)
KBS["tongwu-fresh"] = _fresh("tongwu", date(2034, 3, 15), session=61)
KBS["heting-fresh"] = _fresh("heting", date(2035, 6, 18), session=62)
