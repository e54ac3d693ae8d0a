"""A policy saved from a government website is read without the page around it."""

from __future__ import annotations

from datetime import date

from knowledge.documents import parse_document
from knowledge.webpage import is_web_page, strip_web_page

PAGE = """首页 > 政务公开 > 政策文件 > 部门文件

示范区拟上市企业合规证明开具工作规程

来源：示范区金融服务中心　　发布时间：2026-04-16 09:30　　浏览次数：1287
【字体：大 中 小】

索引号：SF-2026-00412　　　主题分类：财政、金融
发文机关：示范区金融服务中心　　成文日期：2026-04-10
文号：示金服〔2026〕4号

示范区拟上市企业合规证明开具工作规程

一、办理时限
各部门自收到转办材料之日起5个工作日内出具证明。
联系电话：6683 2150。

示范区金融服务中心
2026年4月10日

相关附件：
附件1：合规证明申请清单（样表）.docx

【打印】　【关闭】
分享到：微信　微博
上一篇：示范区资本市场培训通知
主办单位：示范区人民政府办公室　网站标识码：SF0001　南ICP备00000000号-1
"""


def test_a_saved_page_keeps_its_title_number_and_text_not_its_furniture() -> None:
    doc = parse_document(PAGE.encode(), "listing/compliance-page.txt")
    assert doc.meta.title == "示范区拟上市企业合规证明开具工作规程"  # not the breadcrumb
    assert doc.meta.doc_number == "示金服〔2026〕4号"
    assert doc.meta.issuer == "示范区金融服务中心"
    assert doc.meta.published == date(2026, 4, 16)  # the page's 发布时间, not its 成文日期
    text = "\n".join(c.text for c in doc.chunks)
    for furniture in (
        "首页 >",
        "浏览次数",
        "【打印】",
        "分享到",
        "上一篇",
        "ICP备",
        "索引号",
        ".docx",
    ):
        assert furniture not in text
    assert doc.chunks[0].section.startswith("一、办理时限")
    assert "联系电话：6683 2150" in text  # a 键：值 line of the policy itself stays


def test_a_policy_that_mentions_sharing_or_pages_is_not_a_page() -> None:
    policy = (
        "示范区数据共享办法\n第一条 浏览器访问平台的，分享到政务网。\n第二条 上一篇章节另行规定。\n"
    )
    assert not is_web_page(policy) and strip_web_page(policy) == policy
    markdown_page = (
        "[首页](#) > [通知公告](#)\n\n# 征集公告\n\n---\n\n文号：示金服〔2026〕11号\n\n正文。\n"
    )
    assert strip_web_page(markdown_page).startswith("# 征集公告\n文号：示金服〔2026〕11号")
