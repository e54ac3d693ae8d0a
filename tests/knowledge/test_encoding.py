from __future__ import annotations

import pytest

from knowledge.encoding import decode_text
from knowledge.errors import IngestError
from tests.knowledge.builders import PNG_BYTES

POLICY = "第五条　对在主板上市的企业，给予最高500万元奖励（含已兑现部分）。\n“专精特新”企业优先。"


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_common_encodings_round_trip(codec: str) -> None:
    assert decode_text(POLICY.encode(codec), "p.txt") == POLICY


def test_gb18030_only_characters_survive() -> None:
    text = "企业名称：㐀㐁有限公司（扩展汉字）"  # U+3400 block is not in GBK
    assert decode_text(text.encode("gb18030"), "p.txt") == text


def test_bom_is_stripped_and_newlines_normalised() -> None:
    data = "\ufeff标题\r\n第一行\r第二行\n".encode()
    assert decode_text(data, "p.md") == "标题\n第一行\n第二行\n"


def test_full_width_indent_removed_but_punctuation_and_inner_spaces_kept() -> None:
    data = "\u3000\u3000第一条\u3000为规范管理，制定本办法。\n  \u3000（一）ＡＢＣ：１２３".encode()
    assert (
        decode_text(data, "p.txt") == "第一条\u3000为规范管理，制定本办法。\n（一）ＡＢＣ：１２３"
    )


def test_png_renamed_md_is_binary_disguised() -> None:
    with pytest.raises(IngestError) as caught:
        decode_text(PNG_BYTES, "logo.md")
    assert caught.value.code == "binary_disguised"
    assert "logo.md" in str(caught.value)


@pytest.mark.parametrize(
    "data",
    [
        b"plain text\x00with a NUL",
        bytes(range(1, 9)) * 40 + "正文".encode(),  # mostly C0 control bytes
    ],
)
def test_nul_and_control_bytes_are_binary_disguised(data: bytes) -> None:
    with pytest.raises(IngestError) as caught:
        decode_text(data, "x.txt")
    assert caught.value.code == "binary_disguised"


def test_random_high_bytes_are_undecodable() -> None:
    with pytest.raises(IngestError) as caught:
        decode_text(bytes(range(0x80, 0x100)) * 20, "x.txt")
    assert caught.value.code == "undecodable"


def test_invalid_utf8_after_utf8_bom_is_undecodable() -> None:
    with pytest.raises(IngestError) as caught:
        decode_text(b"\xef\xbb\xbf\xff\xfe\xfd", "x.txt")
    assert caught.value.code == "undecodable"
