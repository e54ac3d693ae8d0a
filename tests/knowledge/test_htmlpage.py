"""A page saved from the browser (.html) is read as the article it shows."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.documents import parse_document
from knowledge.errors import IngestError
from knowledge.htmlpage import html_text
from knowledge.loaders import extract_text

ARTICLE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>【政策速递】一图读懂民宿贷款贴息</title>
<meta property="og:title" content="【政策速递】一图读懂民宿贷款贴息">
<style>.rich_media_content{color:#333}</style>
<script>var msg_title = "分享到朋友圈"; window.appmsg = {"likeNum": 12};</script></head>
<body><div id="page-content">
<h1 class="rich_media_title">【政策速递】一图读懂民宿贷款贴息</h1>
<div class="meta"><span>原创</span> <a id="js_name">示例金融</a>
<em id="publish_time">2025-11-03 10:21</em></div>
<section style="font-size:15px"><p>为支持乡村民宿提档升级，区金融局联合区文旅局
出台了民宿贷款贴息政策。</p>
<p><span style="font-weight: bold;">01 | 谁能申请</span></p>
<p>在本区登记经营、取得特种行业许可的民宿经营户。</p>
<p><strong>▶ 支持标准</strong></p>
<table><tr><th>经营主体</th><th>贴息比例</th></tr>
<tr><td>精品民宿</td><td>实付利息的50%</td></tr><tr><td>其他民宿</td><td>实付利息的30%</td></tr></table>
<p><strong>单户每年最高贴息50万元！</strong></p>
<img alt="一图读懂" src="data:image/png;base64,AAAA">
<p>咨询电话：0000-1234567（区金融局）</p></section>
<p>阅读原文</p><p>分享</p><p>收藏</p><p>在看</p>
<p>往期推荐</p><p>关于开展2030年上市培训的通知</p><p>一图读懂创业担保贷款</p>
<p>长按识别二维码关注我们</p></div></body></html>"""

GOVERNMENT_PAGE = """<html><head><meta charset="utf-8">
<title>关于调整科技贷款贴息比例的通知_示例区人民政府</title></head><body>
<div class="top"><ul><li><a>首页</a></li><li><a>政务公开</a></li><li>办事服务</li></ul></div>
<div class="crumb">当前位置：<a>首页</a> &gt; <a>政务公开</a> &gt; 政策文件</div>
<table class="info"><tr><td>索引号：</td><td>11320-2031-001</td><td>主题分类：</td><td>财政</td></tr>
<tr><td>发文机关：</td><td>示例区财政局</td><td>文号：</td><td>示财规〔2031〕2号</td></tr></table>
<h2>关于调整科技贷款贴息比例的通知</h2>
<p>发布时间：2031-01-05　来源：区财政局　浏览次数：321</p>
<p>各有关单位：</p><p>自2031年1月1日起，科技贷款贴息比例由30%调整为40%。</p>
<p>示例区财政局</p><p>2030年12月28日</p>
<div class="foot">【打印本页】【关闭窗口】</div>
<div>主办单位：示例区人民政府办公室　网站标识码：1234</div></body></html>"""


def test_a_wechat_article_reads_as_its_title_date_parts_and_table_without_the_page() -> None:
    """A 公众号 article saved with Ctrl+S: its title is the document's, the date shown above
    it is the 发布日期, its bold part names are headings, its table is rows, and neither the
    page's script nor the account's furniture nor the titles of other articles are read."""
    doc = parse_document(ARTICLE.encode("utf-8"), "articles/homestay-loan.html")
    assert doc.meta.title == "【政策速递】一图读懂民宿贷款贴息"
    assert doc.meta.published == date(2025, 11, 3)
    sections = {chunk.section: chunk.text for chunk in doc.chunks}
    assert "在本区登记经营、取得特种行业许可的民宿经营户。" in sections["01 | 谁能申请"]
    standard = sections["▶ 支持标准"]
    assert "精品民宿 | 实付利息的50%" in standard
    assert "单户每年最高贴息50万元！" in standard
    text = "\n".join(chunk.text for chunk in doc.chunks)
    assert "区金融局联合区文旅局出台了民宿贷款贴息政策。" in text  # the source's line break
    for furniture in ("分享", "在看", "原创", "示例金融", "上市培训", "二维码", "appmsg", "color"):
        assert furniture not in text, furniture


def test_a_government_page_reads_its_info_box_as_metadata_and_drops_the_site() -> None:
    """A policy page of the government website: its <title> carries the site's name, menus
    and a breadcrumb stand above it, its info box is a table. The title is the policy's, the
    info box's 文号 and 发文机关 are read, and only the policy's text is passages."""
    doc = parse_document(GOVERNMENT_PAGE.encode("utf-8"), "updates/notice.html")
    assert doc.meta.title == "关于调整科技贷款贴息比例的通知"
    assert doc.meta.doc_number == "示财规〔2031〕2号"
    assert doc.meta.issuer == "示例区财政局"
    assert doc.meta.published == date(2031, 1, 5)
    text = "\n".join(chunk.text for chunk in doc.chunks)
    assert "科技贷款贴息比例由30%调整为40%" in text
    for furniture in ("政务公开", "办事服务", "浏览次数", "打印", "网站标识码", "索引号"):
        assert furniture not in text, furniture


def test_a_page_in_gbk_and_an_htm_file_are_read() -> None:
    page = "<html><body><h1>担保费率说明</h1><p>年化担保费率不超过1%。</p></body></html>"
    text, kind = extract_text(page.encode("gbk"), "说明.HTM")
    assert kind == "html"
    assert text == "# 担保费率说明\n\n年化担保费率不超过1%。"


def test_a_page_that_shows_nothing_is_refused_as_empty() -> None:
    page = "<html><head><script>var a = 1;</script></head><body><img src='x.png'></body></html>"
    with pytest.raises(IngestError) as caught:
        extract_text(page.encode("utf-8"), "blank.html")
    assert caught.value.code == "empty"


def test_an_unclosed_paragraph_and_a_table_in_a_cell_are_read_in_order() -> None:
    """Pages leave <p> open and nest tables: the text still comes out in the order shown."""
    page = (
        "<p>第一段<p>第二段<table><tr><td>额度<table><tr><td>个人</td><td>30万元</td></tr>"
        "</table></td><td>贴息</td></tr><tr><td>期限</td><td>3年</td></tr></table><p>结束"
    )
    assert html_text(page.encode("utf-8"), "a.html") == (
        "第一段\n\n第二段\n\n额度 个人 30万元 | 贴息\n\n期限 | 3年\n\n结束"
    )


REPEALED_PAGE = """<html><head><meta charset="utf-8">
<title>西浦区人民政府关于印发《西浦区渔业保险保费补贴办法》的通知_政策文件_汐浦区人民政府</title>
</head><body><div class="nav"><a>首页</a> | <a>政务公开</a></div>
<table class="xxgk">
<tr><td class="k">索引号</td><td>1133-2028-00027</td><td class="k">发文机关</td><td>原西浦区人民政府</td></tr>
<tr><td class="k">文号</td><td>西浦政发〔2028〕11号</td><td class="k">成文日期</td><td>2028-04-08</td></tr>
<tr><td class="k">发布日期</td><td>2028-04-12</td><td class="k">有效性</td><td>已废止</td></tr>
</table>
<h1>西浦区人民政府关于印发《西浦区渔业保险保费补贴办法》的通知</h1>
<p>【说明】本办法已被《海洋经济金融服务十条》（汐政办发〔2031〕5号）废止，自2031年7月1日起不再执行，仅供查阅。</p>
<p>第三条 对投保水产养殖保险的，区财政补贴保费的25%。</p>
<p>第六条 本办法自2028年5月1日起施行。</p>
<p>【打印】 【关闭】</p><div>主办单位：汐浦区人民政府办公室 网站标识码：3309870021</div></body></html>"""


def test_a_page_kept_for_reference_over_a_repealed_measure_is_read_as_no_longer_in_force() -> None:
    """A government website keeps a former district's measure with "有效性：已废止" in its info
    box and a note over the text naming the measure that repealed it (xipu, written blind):
    the box's 文号 is read (so the new measure's "西浦政发〔2028〕11号同时废止" finds it), the
    page is marked ended, and the note names its successor; the note must not be read as this
    page repealing the newer measure, which had left both in force."""
    doc = parse_document(REPEALED_PAGE.encode("utf-8"), "policies/xipu-fishery-2028.html")
    assert doc.meta.doc_number == "西浦政发〔2028〕11号"
    assert doc.meta.ended
    assert doc.meta.replaced_by == "海洋经济金融服务十条"
    assert doc.meta.replaces is None
