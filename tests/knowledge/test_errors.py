from __future__ import annotations

import pytest

from knowledge.errors import IngestError


def test_message_names_file_and_reason_in_both_languages() -> None:
    err = IngestError("encrypted_pdf", "办法.pdf")
    assert err.code == "encrypted_pdf"
    assert err.filename == "办法.pdf"
    assert err.message("zh") == "办法.pdf：PDF 已加密，请提供未加密的版本"
    assert err.message() == err.message("zh")
    assert err.message("en") == "办法.pdf: PDF is encrypted; please provide an unencrypted copy"
    assert str(err) == err.message("en")


def test_detail_is_appended_on_the_same_line() -> None:
    err = IngestError("too_large", "big.pdf", "30 > 20 bytes")
    assert str(err) == "big.pdf: file is larger than the allowed limit (30 > 20 bytes)"
    assert "\n" not in err.message("zh")


@pytest.mark.parametrize(
    "code",
    [
        "unsupported_type",
        "too_large",
        "empty",
        "no_text_layer",
        "encrypted_pdf",
        "encrypted_doc",
        "corrupt_file",
        "zip_bomb",
        "undecodable",
        "binary_disguised",
    ],
)
def test_every_code_has_a_one_line_message(code: str) -> None:
    err = IngestError(code, "f.md")  # type: ignore[arg-type]
    for lang in ("zh", "en"):
        line = err.message(lang)
        assert line.startswith("f.md")
        assert "\n" not in line and len(line) > len("f.md") + 5


def test_unknown_code_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        IngestError("nope", "f.md")  # type: ignore[arg-type]
