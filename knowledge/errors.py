"""Why a file could not be ingested, phrased for the officer who uploaded it.

The loaders raise one error type with a stable `code` so callers (the CLI, the admin
chat) can count and translate failures without parsing message text.
"""

from __future__ import annotations

from typing import Final, Literal

IngestCode = Literal[
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
    "too_many_chunks",
    "too_much_text",
]

_REASONS: Final[dict[str, tuple[str, str]]] = {
    # code: (zh, en)
    "unsupported_type": (
        "不支持的文件类型（仅支持 .md、.txt、.docx、.doc、.wps、.pdf、.xlsx、.xls、.html）",
        "unsupported file type (only .md, .txt, .docx, .doc, .wps, .pdf, .xlsx, .xls, .html are accepted)",
    ),
    "too_large": ("文件超过允许的大小上限", "file is larger than the allowed limit"),
    "empty": ("文件没有可用的文字内容", "file contains no usable text"),
    "no_text_layer": (
        "PDF 没有文字层（可能是扫描件），请先做文字识别（OCR）",
        "PDF has no text layer (probably a scan); run OCR first",
    ),
    "encrypted_pdf": (
        "PDF 已加密，请提供未加密的版本",
        "PDF is encrypted; please provide an unencrypted copy",
    ),
    "encrypted_doc": (
        "文档设置了打开密码，请提供未加密的版本",
        "the document is password-protected; please provide an unprotected copy",
    ),
    "corrupt_file": ("文件已损坏或格式不正确", "file is corrupt or not in the expected format"),
    "zip_bomb": (
        "文件解压后体积异常（疑似压缩炸弹），已拒绝",
        "file expands to an abnormal size (suspected zip bomb); rejected",
    ),
    "undecodable": (
        "无法识别文本编码（请另存为 UTF-8）",
        "text encoding could not be recognised (please save as UTF-8)",
    ),
    "binary_disguised": (
        "文件内容不是文本（可能是改了扩展名的二进制文件）",
        "file content is not text (probably a binary file with a text extension)",
    ),
    # limits on what one document may cost; the knowledge base words them with the numbers
    "too_many_chunks": (
        "文件切分后的段落数超过上限，请拆分后再上传",
        "the document has more passages than one document may have; split it",
    ),
    "too_much_text": (
        "文件的文字量超过上限，请拆分后再上传",
        "the document has more text than one document may have; split it",
    ),
}


class IngestError(Exception):
    """A file was rejected; `code` is machine-readable, `message()` is for people."""

    def __init__(self, code: IngestCode, filename: str, detail: str | None = None) -> None:
        if code not in _REASONS:
            raise ValueError(f"unknown ingest error code: {code}")
        self.code: IngestCode = code
        self.filename = filename
        self.detail = detail
        super().__init__(self.message("en"))

    def message(self, lang: str = "zh") -> str:
        """One line naming the file and the reason; `detail` (e.g. sizes) is appended."""
        zh, en = _REASONS[self.code]
        if lang == "en":
            line = f"{self.filename}: {en}"
            return f"{line} ({self.detail})" if self.detail else line
        line = f"{self.filename}：{zh}"
        return f"{line}（{self.detail}）" if self.detail else line

    def __str__(self) -> str:
        return self.message("en")
