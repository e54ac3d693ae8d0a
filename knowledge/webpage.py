"""A policy saved from a government website, without the website around it.

Bureaus often keep a policy as the page it was published on (copied to `.txt`, or saved as
Markdown): a breadcrumb ("首页 > 政务公开 > 政策文件"), a line of page facts ("来源：… 发布时间：…
浏览次数：1287"), font and print buttons (【字号：大 中 小】【打印】【关闭】), sharing links,
"上一篇/下一篇", the site's footer (主办单位, 网站标识码, ICP备案). Read as they stand, the
breadcrumb became the document's title (cited as 《首页 > 政务公开 > 政策文件 > 部门文件》) and the
page facts the first passage quoted (a blind KB, session 25).

A text counts as a page only by its breadcrumb or by two kinds of page furniture, so a policy
that merely mentions 浏览 or 分享 is left alone. The page's info box ("文号：… 发文机关：…
成文日期：…", often several on one line) is kept as one `键：值` line each, under the title,
where the header parser reads them; its publication time becomes 发布日期.
"""

from __future__ import annotations

import re
from typing import Final

from knowledge.metadata import split_header_pairs

_BREADCRUMB: Final = re.compile(
    r"^\s*(?:当前位置\s*[:：]\s*)?\[?(?:网站首页|首页|主页)\]?(?:\([^)]*\))?\s*(?:>|＞|»|›|&gt;)"
)
# page furniture, one pattern per kind (two kinds make a page)
_FURNITURE: Final = (
    re.compile(r"(?:浏览次数|浏览量|阅读次数|阅读量|点击数|点击量|访问量)\s*[:：]"),
    re.compile(r"^(?:【[^】]{1,12}】\s*)+$"),  # 【字号：大 中 小】【打印本页】【关闭】
    re.compile(r"^(?:分享到|分享至)\s*[:：]?"),
    re.compile(r"^(?:上一篇|下一篇)\s*[:：]"),
    re.compile(r"^(?:主办单位|主办|承办单位|承办|网站标识码|版权所有|技术支持)\s*[:：]|ICP备"),
    re.compile(r"^(?:扫一扫在手机(?:上)?打开当前页|打印本页|关闭窗口)\s*$"),
)
_RULE: Final = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_ATTACHMENT_LINK: Final = re.compile(
    r"^(?:相关附件\s*[:：]?\s*$|附件\s*\d*\s*[:：]\s*\[?[^\]]*\.(?:docx?|pdf|xlsx?|wps|zip)\]?(?:\([^)]*\))?\s*$)"
)
# the info box's fields a header line may carry (`metadata` reads them and their aliases);
# the page's 发布时间 is the document's 发布日期
_BOX_KEYS: Final = frozenset(
    ["文号", "发文字号", "发文机关", "发文单位", "成文日期", "发布日期", "发布时间", "施行日期",
     "生效日期", "有效期", "废止日期", "有效性", "时效性", "效力状态"]
)  # fmt: skip
PAGE_KEYS: Final = _BOX_KEYS | {"索引号", "主题分类", "分类", "来源", "信息来源", "作者"}
_KEY_VALUE: Final = re.compile(r"^\s*([\u4e00-\u9fff]{2,6})\s*[:：]\s*(.*?)\s*$")
_MAX_INFO_LINE: Final = 100


def is_web_page(text: str) -> bool:
    """A breadcrumb in the first lines, or page furniture of two kinds."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if any(_BREADCRUMB.match(line) for line in lines[:3]):
        return True
    kinds = sum(1 for kind in _FURNITURE if any(kind.search(line) for line in lines))
    return kinds >= 2


def strip_web_page(text: str) -> str:
    """The policy without the page: furniture dropped, the info box under the title."""
    if not is_web_page(text):
        return text
    kept: list[str] = []
    info: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            kept.append("")
            continue
        if _BREADCRUMB.match(line) or _RULE.match(line) or _ATTACHMENT_LINK.match(line):
            continue
        if any(kind.search(line) for kind in _FURNITURE):
            info += _info_pairs(line)  # "来源：… 发布时间：2026-04-16 浏览次数：864"
            continue
        if is_info_line(line):
            info += _info_pairs(line)
            continue
        kept.append(raw)
    return _with_info(kept, info)


def is_info_line(line: str) -> bool:
    """A line of the page's info box: short, and nothing but `键：值` pairs of page keys
    ("索引号：…　主题分类：…", "文号：…"); "联系电话：…" in the policy text is not one."""
    pieces = [_KEY_VALUE.match(piece) for piece in split_header_pairs(line)]
    return (
        len(line) <= _MAX_INFO_LINE
        and all(pieces)
        and all(m.group(1) in PAGE_KEYS for m in pieces if m is not None)
    )


def _info_pairs(line: str) -> list[str]:
    """The info box's fields in a line (`_BOX_KEYS`), one header line each."""
    out = []
    for piece in split_header_pairs(line):
        match = _KEY_VALUE.match(piece)
        if match is None or match.group(1) not in _BOX_KEYS or not match.group(2):
            continue
        key = "发布日期" if match.group(1) == "发布时间" else match.group(1)
        out.append(f"{key}：{match.group(2)}")
    return out


def _with_info(lines: list[str], info: list[str]) -> str:
    """The page's lines with the info box right under the title (its first line)."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not info:
        return "\n".join(lines).strip("\n")
    head = lines[: first + 1]
    rest = lines[first + 1 :]
    unique = list(dict.fromkeys(info))
    return "\n".join([*head, *unique, "", *rest]).strip("\n")
