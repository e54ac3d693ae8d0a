"""Generate the non-Markdown sample policies (GBK .txt, .docx, text-layer .pdf).

The sample knowledge base must exercise every loader, and government offices really do
publish GBK text files, Word documents and PDFs. Binary files cannot be reviewed in a
diff, so their source text lives here and the files are regenerated from it:

    python -m knowledge.sample.make_binary_samples          # writes into docs/other/
    python knowledge/sample/make_binary_samples.py --out DIR

Output is byte-for-byte reproducible (fixed timestamps), so regenerating does not create
spurious changes. After writing, each file is read back with the same libraries the
loaders use, and generation fails loudly if the Chinese text does not survive.
"""

from __future__ import annotations

import argparse
import io
import zipfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parent / "docs" / "other"

# Fixed timestamp for docx core properties and zip members: reproducible output.
_FIXED_TIME = datetime(2026, 1, 5, 9, 0, 0)

# ---------------------------------------------------------------------------------------
# 1. Contacts and office hours: plain text, GBK, inline article lines "第一条　…".
# ---------------------------------------------------------------------------------------

CONTACTS_FILE = "bureau-contacts.txt"

CONTACTS_TEXT = """青禾区地方金融监督管理局办公时间、地址和联系方式

发文单位：青禾区地方金融监督管理局
文号：青金办〔2026〕3号
发布日期：2026年1月5日
施行日期：2026年1月5日
有效期：长期有效

第一条　本局办公地址为临江市青禾区临江大道188号区政务服务中心三楼，邮政编码999100。可乘坐地铁2号线至“青禾区政府站”B出口，步行约300米；来访车辆可停放在政务服务中心东侧访客停车场。

第二条　本局机关办公时间为法定工作日上午9:00—12:00，下午13:30—17:30。周六、周日和法定节假日机关不对外办公。

第三条　区政务服务中心设有两处金融服务窗口：三楼金融服务窗口受理上市挂牌奖励、上市合规证明等资本市场事项，办公时间与本局机关相同；二楼金融服务专区集中设置首贷服务中心和政府性融资担保、应急转贷、知识产权融资等窗口，受理时间为工作日上午9:00—12:00，下午13:30—17:00。

第四条　二楼金融服务专区1号窗口为本局综合受理窗口，受理融资需求登记、金融政策咨询和奖励补贴申请材料的收转，电话0999-86120120。

第五条　综合科负责来信来访、政务公开和政府信息公开申请，电话0999-86120101，传真0999-86120100。

第六条　资本市场科（区上市办）负责企业上市挂牌、上市后备企业培育、上市合规证明协调和上市奖励审核，电话0999-86012301。

第七条　金融发展科负责政府投资基金、基金招商落户和保险资金对接咨询，电话0999-86120102；险资对接项目储备库的申报材料也由该科受理。

第八条　金融服务科负责融资需求登记、银企对接、金融大集、政府性融资担保和应急转贷政策咨询，电话0999-86120103。

第九条　地方金融监管科负责小额贷款公司、融资担保公司、典当行、融资租赁公司、商业保理公司等地方金融组织的设立咨询和日常监管，电话0999-86120104。

第十条　风险防范处置科负责企业债务风险化解和防范处置非法集资，电话0999-86120105。非法集资举报电话0999-86120110，工作日9:00—17:30专人接听，其他时间可留言，工作人员在下一个工作日内回电。

第十一条　本局对外电子邮箱为jrj@qinghe.example.gov.cn；信函请寄临江市青禾区临江大道188号区政务服务中心三楼综合科收。电子邮件和信函在收到后5个工作日内答复或转办。青禾区金融服务智能助手（本局对外服务机器人）24小时提供政策问答和融资需求登记服务，非工作时间提交的融资需求自下一个工作日起计算响应时限。

第十二条　对本局工作作风和办事效率的投诉建议，可拨打临江市政务服务便民热线12345，或拨打本局监督电话0999-86120199。
"""

# ---------------------------------------------------------------------------------------
# 2. Illegal fund-raising reporting rewards: .docx, Heading 1 title, Heading 3 articles.
# ---------------------------------------------------------------------------------------

FUNDRAISING_FILE = "illegal-fundraising-reward-2024.docx"

FUNDRAISING_TITLE = "青禾区防范和处置非法集资举报奖励办法"

FUNDRAISING_META = (
    "发文单位：青禾区防范和处置非法集资工作领导小组办公室",
    "文号：青处非办〔2024〕2号",
    "发布日期：2024年4月15日",
    "施行日期：2024年5月1日",
    "有效期至：2029年4月30日",
    "依据：《防范和处置非法集资条例》（国务院令第737号）",
)

FUNDRAISING_ARTICLES: tuple[tuple[str, str], ...] = (
    (
        "第一条 目的依据",
        "为鼓励社会公众举报非法集资线索，及早发现和处置非法集资，保护人民群众财产安全，"
        "根据《防范和处置非法集资条例》（国务院令第737号），制定本办法。"
        "青禾区防范和处置非法集资工作领导小组办公室设在青禾区地方金融监督管理局。",
    ),
    (
        "第二条 非法集资含义",
        "本办法所称非法集资，是指未经国务院金融管理部门依法许可或者违反国家金融管理规定，"
        "以许诺还本付息或者给予其他投资回报等方式，向不特定对象吸收资金的行为。",
    ),
    (
        "第三条 常见特征",
        "识别非法集资可注意以下特征：（一）承诺高额回报，宣称“保本保息、稳赚不赔”，"
        "年化收益明显高于同期银行理财产品；（二）以“拉人头”发展下线，按层级返利；"
        "（三）虚构或夸大项目，以养老服务、私募基金、虚拟货币、消费返利、农业合作社等名义募集资金；"
        "（四）通过推介会、免费旅游、赠送礼品等方式向老年人等群体公开宣传。",
    ),
    (
        "第四条 举报渠道",
        "举报非法集资线索可通过以下渠道：（一）拨打举报电话0999-86120110，"
        "工作日9:00—17:30专人接听，其他时间可留言；（二）发送电子邮件至jubao@qinghe.example.gov.cn；"
        "（三）来信寄临江市青禾区临江大道188号区政务服务中心三楼风险防范处置科；（四）到本局当面举报。",
    ),
    (
        "第五条 奖励条件",
        "举报同时符合下列条件的，给予奖励：（一）实名举报，提供真实姓名和有效联系方式；"
        "（二）举报的线索此前未被有关部门掌握；（三）线索具体，经查证属实并已立案侦查或作出行政处置；"
        "（四）举报人不是负有防范处置职责的工作人员，也不是涉案人员。"
        "多人先后举报同一线索的，奖励第一个举报人。",
    ),
    (
        "第六条 奖励标准",
        "按查证的非法集资金额分档奖励：100万元以下的，奖励2000元；"
        "100万元（含）至1000万元的，奖励5000元；1000万元（含）以上的，奖励1万元。"
        "对防止群众重大财产损失有特别贡献的线索，经领导小组办公室集体研究，单条线索奖励最高5万元。",
    ),
    (
        "第七条 领奖程序",
        "线索查证属实后30个工作日内，领导小组办公室通知举报人领取奖励。"
        "举报人应在接到通知之日起90日内凭本人身份证件领取，逾期未领取的视为放弃。",
    ),
    (
        "第八条 举报人保护",
        "受理举报的部门对举报人的姓名、联系方式和举报内容严格保密，不得泄露给被举报人。"
        "对打击报复举报人的，依法追究责任。",
    ),
    (
        "第九条 虚假举报",
        "捏造事实诬告陷害他人，或者借举报谋取不正当利益的，不予奖励；已发放的奖励予以追回；"
        "构成违法的，依法移送有关部门处理。",
    ),
    (
        "第十条 资金来源",
        "举报奖励资金由区财政在防范和处置非法集资工作经费中列支，专款专用，接受审计监督；"
        "奖励以银行转账方式发放，不以现金发放。",
    ),
    (
        "第十一条 附则",
        "本办法由青禾区防范和处置非法集资工作领导小组办公室负责解释，"
        "自2024年5月1日起施行，有效期至2029年4月30日。",
    ),
)

# ---------------------------------------------------------------------------------------
# 3. "金融大集" matching events: text-layer PDF, 通知 style with 一、… headings.
# ---------------------------------------------------------------------------------------

FAIR_FILE = "finance-fair-2026.pdf"

FAIR_TITLE = "关于举办2026—2027年度青禾区“金融大集”政银企对接活动的通知"

FAIR_META = (
    "发文单位：青禾区地方金融监督管理局、青禾区工商业联合会",
    "文号：青金函〔2026〕18号",
    "发布日期：2026年7月6日",
    "施行日期：2026年7月6日",
    "有效期至：2027年6月30日",
    "依据：《国务院关于推进普惠金融高质量发展的实施意见》（国发〔2023〕15号）",
)

FAIR_SECTIONS: tuple[tuple[str, str], ...] = (
    (
        "一、活动目的",
        "“金融大集”是本局组织的政银企对接活动，把银行、融资担保、保险、融资租赁等机构"
        "和区级政策部门集中到同一现场，为企业提供“一站式”融资对接和政策咨询，"
        "帮助企业找到合适的融资产品。",
    ),
    (
        "二、活动安排",
        "2026年7月至2027年6月共举办4场，每场时间为9:00—16:30。"
        "（一）第一场：2026年9月17日，青禾科创园会展中心，制造业企业专场；"
        "（二）第二场：2026年12月10日，青禾区政务服务中心一楼大厅，专精特新和科技型企业专场；"
        "（三）第三场：2027年3月18日，青禾区商贸城会议中心，商贸流通和个体工商户专场；"
        "（四）第四场：2027年6月17日，青禾科创园会展中心，首贷和知识产权融资专场。",
    ),
    (
        "三、参加对象",
        "在本区注册登记的中小微企业和个体工商户均可参加，每场限200家，按报名先后确定。"
        "参展机构包括不少于12家银行，以及青禾区融资担保有限公司、保险公司和融资租赁公司。",
    ),
    (
        "四、报名方式",
        "每场活动前10个工作日开放报名，活动前3个工作日截止。企业可通过青禾区金融服务智能助手"
        "“金融大集报名”功能或“青禾金服”平台报名，也可拨打金融服务科电话0999-86120103报名。"
        "报名和参加活动均免费。",
    ),
    (
        "五、现场服务",
        "（一）一对一洽谈：企业按预约时段与银行、担保机构面对面洽谈，每次约20分钟；"
        "（二）政策宣讲：每场上午10:00安排上市、担保、基金等政策解读；"
        "（三）现场登记：企业可现场登记融资需求，登记后按《青禾区企业融资需求登记与对接服务指南》跟进办理。",
    ),
    (
        "六、后续跟踪",
        "参展机构应在活动结束后15个工作日内向本局反馈对接结果，"
        "本局对现场达成融资意向的企业逐户跟踪至放款或办结。",
    ),
    (
        "七、联系方式",
        "青禾区地方金融监督管理局金融服务科，电话0999-86120103，"
        "地址临江市青禾区临江大道188号区政务服务中心三楼。",
    ),
)

_FAIR_PREAMBLE = (
    "各街道、各有关单位，区内各金融机构、各企业：为推进普惠金融高质量发展，"
    "缓解中小微企业融资难题，本局决定在2026—2027年度继续举办“金融大集”政银企对接活动。"
    "现将有关事项通知如下。"
)


def write_contacts_txt(path: Path) -> None:
    """GBK on purpose: it is the encoding the encoding detector must cope with."""
    path.write_bytes(CONTACTS_TEXT.encode("gbk"))


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip with constant member timestamps, so docx output is reproducible."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_fundraising_docx(path: Path) -> None:
    """Heading 1 title, metadata as plain paragraphs, articles as Heading 3 + body."""
    from docx import Document  # local import: only this generator needs python-docx

    doc = Document()
    doc.core_properties.title = FUNDRAISING_TITLE
    doc.core_properties.author = "青禾区地方金融监督管理局"
    doc.core_properties.created = _FIXED_TIME
    doc.core_properties.modified = _FIXED_TIME
    doc.core_properties.last_modified_by = "finbot sample generator"
    doc.add_heading(FUNDRAISING_TITLE, level=1)
    for line in FUNDRAISING_META:
        doc.add_paragraph(line)
    for heading, body in FUNDRAISING_ARTICLES:
        doc.add_heading(heading, level=3)
        doc.add_paragraph(body)
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(_fixed_zip(buf.getvalue()))


def wrap_by_width(text: str, max_width: float, width_of: Callable[[str], float]) -> list[str]:
    """Greedy character wrap: Chinese has no spaces, so break anywhere under the width.

    Keeps closing punctuation off the start of a line, as typeset Chinese does.
    """
    no_line_start = set("，。、；：！？）》」”’")
    lines: list[str] = []
    current = ""
    for ch in text:
        candidate = current + ch
        if current and width_of(candidate) > max_width and ch not in no_line_start:
            lines.append(current)
            current = ch
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


class _WidthFn:
    """String width in points for one font and size (kept tiny so wrapping is testable)."""

    def __init__(self, font: str, size: float) -> None:
        self.font = font
        self.size = size

    def __call__(self, text: str) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return float(stringWidth(text, self.font, self.size))


def write_fair_pdf(path: Path) -> None:
    """Text-layer PDF with the built-in STSong-Light CID font (no font file to ship)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    page_w, page_h = A4
    margin = 56.0
    size, leading = 10.5, 16.0
    width_of = _WidthFn(font, size)
    text_width = page_w - 2 * margin

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, invariant=1)
    pdf.setTitle(FAIR_TITLE)
    pdf.setAuthor("青禾区地方金融监督管理局")
    y = page_h - margin

    def emit(line: str, *, font_size: float = size, gap: float = leading) -> None:
        nonlocal y
        if y < margin:
            pdf.showPage()
            y = page_h - margin
        pdf.setFont(font, font_size)
        pdf.drawString(margin, y, line)
        y -= gap

    for line in wrap_by_width(FAIR_TITLE, text_width, _WidthFn(font, 14)):
        emit(line, font_size=14, gap=22)
    y -= 6
    for line in FAIR_META:
        for part in wrap_by_width(line, text_width, width_of):
            emit(part)
    y -= 8
    for part in wrap_by_width(_FAIR_PREAMBLE, text_width, width_of):
        emit(part)
    for heading, body in FAIR_SECTIONS:
        y -= 6
        emit(heading)
        for part in wrap_by_width(body, text_width, width_of):
            emit(part)
    pdf.save()
    path.write_bytes(buf.getvalue())


def verify(out_dir: Path) -> list[str]:
    """Read each file back as the loaders will; return the problems found."""
    import docx
    import pypdf

    problems: list[str] = []
    txt = (out_dir / CONTACTS_FILE).read_bytes()
    if txt.decode("gbk") != CONTACTS_TEXT:
        problems.append(f"{CONTACTS_FILE}: GBK round trip changed the text")
    try:
        txt.decode("utf-8")
        problems.append(f"{CONTACTS_FILE}: is valid UTF-8, so it does not test GBK decoding")
    except UnicodeDecodeError:
        pass

    paragraphs = [p.text for p in docx.Document(str(out_dir / FUNDRAISING_FILE)).paragraphs]
    for expected in (FUNDRAISING_TITLE, *FUNDRAISING_META, FUNDRAISING_ARTICLES[5][0]):
        if expected not in paragraphs:
            problems.append(f"{FUNDRAISING_FILE}: missing paragraph {expected!r}")

    reader = pypdf.PdfReader(str(out_dir / FAIR_FILE))
    extracted = "\n".join(page.extract_text() or "" for page in reader.pages)
    flat = extracted.replace("\n", "")
    for expected in (*FAIR_META, *(h for h, _ in FAIR_SECTIONS), "2026年12月10日"):
        if expected not in extracted and expected not in flat:
            problems.append(f"{FAIR_FILE}: pypdf did not extract {expected!r}")
    return problems


def generate(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = [out_dir / CONTACTS_FILE, out_dir / FUNDRAISING_FILE, out_dir / FAIR_FILE]
    write_contacts_txt(targets[0])
    write_fundraising_docx(targets[1])
    write_fair_pdf(targets[2])
    return targets


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    for path in generate(args.out):
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    problems = verify(args.out)
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
