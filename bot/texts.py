"""Every user-visible string, in Chinese and English, in one catalogue.

Texts are plain (no HTML): the Telegram renderer escapes and styles them, the console
prints them as they are. Placeholders use str.format names.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]

TEXTS: dict[str, dict[str, str]] = {
    "answer.intro": {
        "zh": "根据现行政策文件：",
        "en": "According to the policy documents currently in force:",
    },
    "answer.source": {
        "zh": "《{title}》{number}{section}",
        "en": "“{title}”{number}{section}",
    },
    "answer.effective": {"zh": "施行日期：{date}", "en": "in force since {date}"},
    "answer.source_file": {"zh": "来源：{source}", "en": "Source: {source}"},
    "answer.faq_basis": {"zh": "依据：{basis}", "en": "Based on: {basis}"},
    "answer.quote_note": {
        "zh": "以上为政策原文摘录，具体以主管部门解释为准。",
        "en": "Quoted from the official text (in Chinese); the competent department's interpretation prevails.",
    },
    "answer.superseded": {
        "zh": "注意：《{title}》已不再施行（{reason}），现行规定为《{new_title}》：",
        "en": "Note: “{title}” is no longer in force ({reason}); the current rule is “{new_title}”:",
    },
    "answer.superseded_no_replacement": {
        "zh": "注意：《{title}》已不再施行（{reason}），知识库中没有替代它的现行文件。如需了解现行政策，请联系工作人员。",
        "en": "Note: “{title}” is no longer in force ({reason}) and the knowledge base holds no replacement. Please contact an officer for the current policy.",
    },
    "status.superseded": {"zh": "已废止", "en": "repealed"},
    "status.expired": {"zh": "已过有效期", "en": "expired"},
    "suggest.intro": {"zh": "您是想问：", "en": "Did you mean:"},
    "suggest.outro": {
        "zh": "请选择一个问题，或换个说法再问一次。",
        "en": "Pick one, or rephrase your question.",
    },
    "none.reply": {
        "zh": "抱歉，现有政策文件中没有找到能回答这个问题的内容。您可以联系工作人员，或登记融资需求，我们会有专人跟进。",
        "en": "Sorry, I found nothing in the policy documents that answers this. You can contact an officer or register a financing need, and someone will follow up.",
    },
    "none.empty_kb": {
        "zh": "知识库暂时为空，管理员尚未上传政策文件。",
        "en": "The knowledge base is empty: no policy documents have been uploaded yet.",
    },
    "question.empty": {
        "zh": "请用文字描述您的问题，例如：“政府性融资担保的担保费率是多少？”",
        "en": "Please type your question in words, e.g. “What is the fee rate of a government financing guarantee?”",
    },
}


def t(key: str, lang: Lang = "zh", **kwargs: object) -> str:
    entry = TEXTS[key]
    text = entry.get(lang) or entry["zh"]
    return text.format(**kwargs) if kwargs else text
