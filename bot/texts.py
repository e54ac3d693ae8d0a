"""Every user-visible string, in Chinese and English, in one catalogue.

Texts are plain (no HTML): the Telegram renderer escapes and styles them, the console
prints them as they are. Placeholders use str.format names.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]
BUREAU_LANG: Lang = "zh"  # the officers' side (cards, group commands, exports) is in Chinese

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
    "answer.extended": {
        "zh": "有效期已延长至{date}（依据《{by}》）",
        "en": "validity extended to {date} (by “{by}”)",
    },
    "answer.compiled_in": {"zh": "收录于《{title}》", "en": "in “{title}”"},
    "answer.source_file": {"zh": "来源：{source}", "en": "Source: {source}"},
    "answer.faq_basis": {"zh": "依据：{basis}", "en": "Based on: {basis}"},
    "answer.quote_note": {
        "zh": "以上为政策原文摘录，具体以主管部门解释为准。",
        "en": "Quoted from the official text (in Chinese); the competent department's interpretation prevails.",
    },
    "answer.amended": {
        "zh": "注意：本条已由《{title}》{number}修改，“{old}”改为“{new}”{when}；以上引文已按修改后的内容显示。",
        "en": "Note: amended by “{title}”{number}: “{old}” now reads “{new}”{when}; the quote above shows the amended text.",
    },
    "answer.amended_article": {
        "zh": "注意：本条已由《{title}》{number}修改{when}；以上引文为修改后的条文。",
        "en": "Note: this article was rewritten by “{title}”{number}{when}; the quote above is the amended article.",
    },
    "answer.amended_from": {"zh": "，自{date}起施行", "en": ", from {date}"},
    "answer.adjusted": {
        "zh": "注意：《{title}》{number}调整了本条规定{when}{until}：“{clause}”以上引文为本条原文。",
        "en": "Note: “{title}”{number} adjusts this article{when}{until}: “{clause}” The quote above is the article's own text.",
    },
    "answer.adjusted_section": {
        "zh": "注意：《{title}》{number}调整了本项规定{when}{until}：“{clause}”以上引文为原文。",
        "en": "Note: “{title}”{number} adjusts this part{when}{until}: “{clause}” The quote above is the measure's own text.",
    },
    "answer.adjusted_until": {"zh": "，有效期至{date}", "en": ", until {date}"},
    "answer.stopped_from": {
        "zh": "注意：根据《{title}》{number}，本条自{date}起停止执行；以上引文为停止执行前的规定。",
        "en": "Note: under “{title}”{number}, this article stops applying from {date}; the quote above is the rule as it stood before.",
    },
    "answer.stopped": {
        "zh": "注意：根据《{title}》{number}，本条已停止执行；以上引文为停止执行前的规定。",
        "en": "Note: under “{title}”{number}, this article no longer applies; the quote above is the rule as it stood before.",
    },
    "answer.superseded": {
        "zh": "注意：《{title}》已不再施行（{reason}），现行规定为《{new_title}》：",
        "en": "Note: “{title}” is no longer in force ({reason}); the current rule is “{new_title}”:",
    },
    "answer.superseded_no_replacement": {
        "zh": "注意：《{title}》已不再施行（{reason}），知识库中没有替代它的现行文件。如需了解现行政策，请联系工作人员。",
        "en": "Note: “{title}” is no longer in force ({reason}) and the knowledge base holds no replacement. Please contact an officer for the current policy.",
    },
    "answer.draft": {
        "zh": "注意：《{title}》是征求意见稿，尚未生效，不能作为办理依据。以下引用的是现行文件：",
        "en": "Note: “{title}” is a draft published for comment and not in force; it cannot "
        "be relied on. The documents in force say:",
    },
    "answer.draft_of": {
        "zh": "注意：《{title}》是征求意见稿，尚未生效，不能作为办理依据；现行规定为《{new_title}》：",
        "en": "Note: “{title}” is a draft published for comment and not in force; it cannot "
        "be relied on. The rule in force is “{new_title}”:",
    },
    "answer.pending": {
        "zh": "注意：《{title}》自{date}起施行，目前尚未生效；以下为该文件的规定：",
        "en": "Note: “{title}” takes effect on {date} and is not in force yet. It says:",
    },
    "answer.pending_of": {
        "zh": "注意：《{title}》自{date}起施行，将取代现行的《{new_title}》；在此之前适用现行规定：",
        "en": "Note: “{title}” takes effect on {date} and will replace “{new_title}”; until then the rule in force applies:",
    },
    "answer.pending_in_part": {
        "zh": "注意：《{title}》自{date}起施行，届时将调整现行《{new_title}》的部分规定；在此之前适用现行规定：",
        "en": "Note: “{title}” takes effect on {date} and will then change part of “{new_title}”, in force now; until then the rules in force apply:",
    },
    "status.superseded": {"zh": "已废止", "en": "repealed"},
    "status.expired": {"zh": "已过有效期", "en": "expired"},
    "status.draft": {"zh": "征求意见稿，尚未生效", "en": "a draft, not in force"},
    "status.pending": {"zh": "尚未施行", "en": "not yet in force"},
    "suggest.intro": {"zh": "您是想问：", "en": "Did you mean:"},
    "suggest.outro": {
        "zh": "请选择一个问题，或换个说法再问一次。",
        "en": "Pick one, or rephrase your question.",
    },
    "none.reply": {
        "zh": "抱歉，现有政策文件中没有找到能回答这个问题的内容。您可以联系工作人员，或登记融资需求，我们会有专人跟进。",
        "en": "Sorry, I found nothing in the policy documents that answers this. You can contact an officer or register a financing need, and someone will follow up.",
    },
    "none.draft_only": {
        "zh": "现行政策文件中没有这方面的规定。《{title}》目前是征求意见稿，尚未生效，不能作为办理依据。如需了解进展，可以联系工作人员，或登记融资需求，我们会有专人跟进。",
        "en": "No policy document in force covers this. “{title}” is a draft published for comment and not in force, so it cannot be relied on. To follow its progress, contact an officer or register a financing need, and someone will follow up.",
    },
    "none.absent_term": {
        "zh": "知识库中的政策文件都没有提到“{term}”，我无法依据政策文件回答这个问题。如果您问的是相近的事项，可以换个说法再问，或联系工作人员。",
        "en": "None of the policy documents mentions “{term}”, so I cannot answer this from them. If you meant something close to it, please try other words, or contact an officer.",
    },
    "none.level_silent": {
        "zh": "知识库中{level}的政策文件都没有提到“{term}”，我无法依据政策文件回答{level}在这方面的规定。如需了解本地的相关政策，可以换个说法再问，或联系工作人员。",
        "en": "None of the knowledge base's documents of {level} mentions “{term}”, so I cannot tell you {level}'s rule on it from the policy documents. For the local policy on it, please ask in other words, or contact an officer.",
    },
    "none.dropped": {
        "zh": "只有已废止的《{old}》写到“{word}”；取代它的现行《{new}》及其他现行文件都没有这方面的规定，我无法依据现行政策回答。如需确认，可以换个说法再问，或联系工作人员。",
        "en": "Only the repealed “{old}” mentions “{word}”; the “{new}” that replaced it, and no other document in force, has a rule on it, so I cannot answer this from the policies in force. To check, please ask in other words, or contact an officer.",
    },
    "level.national": {"zh": "国家层面", "en": "the national level"},
    "none.term_elsewhere": {
        "zh": "政策文件中没有找到关于“{term}”的这项规定：与您的问题最相关的文件没有提到“{term}”，提到它的文件讲的又是别的事项。我无法依据政策文件回答这个问题。如果您问的是相近的事项，可以换个说法再问，或联系工作人员。",
        "en": "I found no provision on “{term}” for this: the documents closest to your question do not mention “{term}”, and those that do are about other matters. So I cannot answer this from the policy documents. If you meant something close to it, please try other words, or contact an officer.",
    },
    "none.requirement_unstated": {
        "zh": "政策文件中没有找到关于“{of}”的“{asked}”的规定：与您的问题最相关的文件没有写明这项要求。我无法依据政策文件回答这个问题；这类要求通常由上级监管部门的规定确定，可以联系工作人员了解。",
        "en": "I found no provision on the “{asked}” (requirement) of “{of}”: the documents closest to your question do not state it. So I cannot answer this from the policy documents; such requirements are usually set by the higher-level regulator's rules, and an officer can tell you more.",
    },
    "none.detail_unstated": {
        "zh": "政策文件中没有写明“{of}”的{asked}：与您的问题最相关的文件讲到了它，但没有给出这一项。我无法依据政策文件回答这个问题，请联系工作人员了解。",
        "en": "The policy documents do not give the detail you asked about “{of}”: the documents closest to your question speak of it but do not state it. So I cannot answer this from the policy documents; please contact an officer.",
    },
    "none.benefit_unstated": {
        "zh": "政策文件中没有找到针对“{term}”的奖励或补贴规定：与您的问题最相关的文件写到的奖励、补贴不是给“{term}”的。我无法依据政策文件回答这个问题。如果您问的是相近的事项，可以换个说法再问，或联系工作人员。",
        "en": "I found no reward or subsidy for “{term}” in the policy documents: the rewards and subsidies in the documents closest to your question are for other things. So I cannot answer this from the policy documents. If you meant something close to it, please try other words, or contact an officer.",
    },
    "none.out_of_scope": {
        "zh": "这个问题涉及个人事务或其他领域，不在本局企业金融政策咨询的范围内，我无法依据政策文件回答。如果您的问题与企业融资有关，可以换个说法再问，或联系工作人员。",
        "en": "This question is about personal matters or another field, outside the bureau's enterprise finance policies, so I cannot answer it from the policy documents. If it concerns your company's financing, please rephrase it or contact an officer.",
    },
    "none.other_place": {
        "zh": "我只能依据{home}的政策文件回答问题，{place}的政策请向当地主管部门咨询。如果您的企业在{home}，可以换个说法再问，或联系工作人员。",
        "en": "I can only answer from {home}'s policy documents; for {place}'s policies, please ask the authorities there. If your company is in {home}, please rephrase the question or contact an officer.",
    },
    "none.own_policy_of_place": {
        "zh": "知识库里只有{home}的政策文件，没有{place}自己出台的政策，所以{place}本级有没有、给多少，我无法回答，请向{place}的主管部门咨询。如果想了解{home}统一的规定，可以换个说法再问，或联系工作人员。",
        "en": "The knowledge base holds {home}'s policy documents, not {place}'s own, so I cannot say what {place} itself adds; please ask the authorities there. To learn {home}'s own rules, rephrase the question or contact an officer.",
    },
    "none.scheme_elsewhere": {
        "zh": "知识库里讲这件事的是{place}自己的政策《{title}》，它只适用于{place}的企业，我没有找到适用于{asked}企业的规定，无法依据政策文件回答。如果您的企业在{place}，可以说明后再问，或联系工作人员。",
        "en": "What the knowledge base says on this is {place}'s own policy, 《{title}》, which applies to firms in {place} only; I found no rule for firms in {asked}, so I cannot answer from the policy documents. If your company is in {place}, say so and ask again, or contact an officer.",
    },
    "place.this_district": {"zh": "本区", "en": "this district"},
    "answer.context": {"zh": "关于《{title}》：", "en": "About 《{title}》:"},
    "answer.context_from": {
        "zh": "接上一问（《{title}》）：",
        "en": "Following on from 《{title}》:",
    },
    "explain.head": {"zh": "命中测试：{question}", "en": "Hit test: {question}"},
    "explain.rule.place": {
        "zh": "结论：不回答——问的是{what}的政策，知识库没有该地的文件。",
        "en": "Outcome: declined — the question is about {what}'s policy, which the knowledge base does not hold.",
    },
    "explain.rule.intent": {
        "zh": "结论：不检索——这不是政策问题（{what}），按对话回复。",
        "en": "Outcome: not searched — not a policy question ({what}); a chat reply.",
    },
    "explain.rule.draft": {
        "zh": "结论：不回答——最相关的文件《{what}》是征求意见稿，尚未生效；现行文件中没有这方面的规定。",
        "en": "Outcome: declined — the closest document, “{what}”, is a draft for comment, not in force; no document in force covers it.",
    },
    "explain.rule.absent": {
        "zh": "结论：不回答——问题提到“{what}”，知识库的文件都没有写到它。",
        "en": "Outcome: declined — the question names “{what}”, which no document of the knowledge base mentions.",
    },
    "explain.rule.level": {
        "zh": "结论：不回答——问的是{what}，知识库中该级的文件都没有写到它。",
        "en": "Outcome: declined — the question asks for {what}, which no document of that level in the knowledge base mentions.",
    },
    "explain.rule.elsewhere": {
        "zh": "结论：不回答——问题提到“{what}”，最相关的文件都没有写到它，写到它的文件讲的是别的事项。",
        "en": "Outcome: declined — the question names “{what}”; the closest documents do not mention it, and those that do are about other matters.",
    },
    "explain.rule.unstated": {
        "zh": "结论：不回答——问题问的是“{what}”，最相关的文件中没有一段把它和问题所说的对象写在一起。",
        "en": "Outcome: declined — the question asks for the “{what}”; no passage of the closest documents states it for what the question names.",
    },
    "explain.rule.unrewarded": {
        "zh": "结论：不回答——问的是对“{what}”的奖励或补贴，最相关的文件中没有一段把它和奖励、补贴写在一起。",
        "en": "Outcome: declined — the question asks for a reward or subsidy for “{what}”; no passage of the closest documents writes it with one.",
    },
    "explain.rule.dropped": {
        "zh": "结论：不回答——只有已被取代的文件写到“{what}”，现行文件都没有写到它。",
        "en": "Outcome: declined — only a replaced document mentions “{what}”; no document in force does.",
    },
    "explain.rule.scope": {
        "zh": "结论：不回答——问题属于清单中的个人事务话题“{what}”，检索到的条文没有谈到它。",
        "en": "Outcome: declined — listed private-life topic “{what}”, which the passages found do not mention.",
    },
    "explain.scope_out": {
        "zh": "结论：不回答——范围判断：与知识库内容的接近度 {margin} 低于本知识库的阈值 {cut}。",
        "en": "Outcome: declined — scope check: nearness to the knowledge base {margin} is below its cut-off {cut}.",
    },
    "explain.notice_alone": {
        "zh": "结论：不回答——最相关的文件《{title}》已不再有效（{status}），现行文件中没有替代它的规定。",
        "en": "Outcome: declined — the closest document, “{title}”, is no longer in force ({status}); no document in force replaces it.",
    },
    "explain.pending": {
        "zh": "结论：直接回答，并提示《{title}》自{date}起施行。",
        "en": "Outcome: answered, noting that “{title}” takes effect on {date}.",
    },
    "explain.notice": {
        "zh": "结论：提示文件已不再有效（{status}），并引用现行文件。",
        "en": "Outcome: the document is no longer in force ({status}); the current one is quoted.",
    },
    "explain.band.answer": {
        "zh": "结论：直接回答（置信度 {confidence}）。",
        "en": "Outcome: answered (confidence {confidence}).",
    },
    "explain.band.suggest": {
        "zh": "结论：给出“您是想问”的选项（置信度 {confidence}）。",
        "en": "Outcome: “did you mean” choices (confidence {confidence}).",
    },
    "explain.band.none": {
        "zh": "结论：未找到可引用的条文（置信度 {confidence}）。",
        "en": "Outcome: nothing to quote (confidence {confidence}).",
    },
    "explain.corrected": {"zh": "同音纠错后：{text}", "en": "After homophone correction: {text}"},
    "explain.context": {
        "zh": "按上一轮的话题理解：《{title}》",
        "en": "Read as a follow-up about 《{title}》",
    },
    "explain.scope": {
        "zh": "范围判断：接近度 {margin}，阈值 {cut}",
        "en": "Scope check: nearness {margin}, cut-off {cut}",
    },
    "explain.entries": {"zh": "前 5 个检索结果：", "en": "Top 5 entries:"},
    "explain.ranks": {
        "zh": "关键词第{lexical}名 语义第{dense}名",
        "en": "lexical #{lexical} dense #{dense}",
    },
    "none.empty_kb": {
        "zh": "知识库暂时为空，管理员尚未上传政策文件。",
        "en": "The knowledge base is empty: no policy documents have been uploaded yet.",
    },
    "question.empty": {
        "zh": "请用文字描述您的问题{example}。",
        "en": "Please type your question in words{example}.",
    },
    # ---- Telegram Q&A bot (handlers/start.py, handlers/ask.py) ----
    "start.welcome": {
        "zh": "您好，{name}！{intro}也可以点下面的按钮。",
        "en": "Hello, {name}! {intro} Or tap a button below.",
    },
    "chat.intro": {
        "zh": "我是{home}企业金融政策助手。\n直接输入您的问题{example}，我会引用现行政策原文作答。",
        "en": "I am the enterprise finance policy assistant{of_home}.\nType your question{example} and I will answer by quoting the policy text in force.",
    },
    "chat.example": {
        "zh": "（例如“{question}”）",
        "en": " (e.g. “{question}”)",
    },
    "chat.greeting": {
        "zh": "您好！{intro}",
        "en": "Hello! {intro}",
    },
    "chat.thanks": {
        "zh": "不客气！还有其他问题，直接输入即可。",
        "en": "You're welcome! Type another question whenever you like.",
    },
    "chat.goodbye": {
        "zh": "再见！有问题随时来问。",
        "en": "Goodbye! Come back with any question.",
    },
    "chat.ack": {
        "zh": "好的。还有其他问题，直接输入即可。",
        "en": "OK. Type another question whenever you like.",
    },
    "chat.financing": {
        "zh": "需要融资的话，请登记融资需求，填写企业名称、金额、期限和用途，工作人员会与您联系并跟进。也可以直接问我贷款、担保、贴息等方面的政策。",
        "en": "If you need financing, register a financing need with your company, the amount, the term and the purpose; an officer will contact you and follow up. You can also ask me about loan, guarantee and interest-subsidy policies.",
    },
    "help.text": {
        "zh": "我能做的：\n• 回答上市扶持、政府性融资担保贷款、政府投资基金等政策问题，并注明文件名称、文号、条款和施行日期；\n• 登记您的融资需求，转交工作人员跟进；\n• 帮您联系工作人员。\n\n我不能做的：\n• 不能审批、承诺或代办任何业务；\n• 不能回答政策文件以外的问题，也不提供投资建议；\n• 暂时不能识别图片和语音。\n\n命令：/start 主菜单　/help 帮助　/lang 切换语言　/subscribe 订阅政策更新",
        "en": "What I can do:\n• answer questions on listing support, government guarantee loans and government funds, citing the document title, number, article and date in force;\n• register your financing need for an officer to follow up;\n• put you in touch with an officer.\n\nWhat I cannot do:\n• approve, promise or handle any application;\n• answer questions outside the policy documents or give investment advice;\n• read pictures or voice messages.\n\nCommands: /start main menu, /help this help, /lang language, /subscribe policy updates",
    },
    "menu.listing": {"zh": "上市政策", "en": "Listing policy"},
    "menu.guarantee": {"zh": "担保贷款", "en": "Guarantee loans"},
    "menu.funds": {"zh": "基金", "en": "Funds"},
    "menu.financing": {"zh": "登记融资需求", "en": "Register a financing need"},
    "menu.human": {"zh": "联系工作人员", "en": "Contact an officer"},
    "topic.intro": {
        "zh": "{topic}：大家最常问的问题，点一下即可查看答案，也可以直接输入您的问题。",
        "en": "{topic}: the most asked questions. Tap one to see the answer, or type your own question.",
    },
    "topic.empty": {
        "zh": "{topic}：暂时没有常见问题，请直接输入您的问题。",
        "en": "{topic}: no common questions yet; please type your question.",
    },
    "lang.pick": {"zh": "请选择语言 / Choose a language:", "en": "Choose a language / 请选择语言:"},
    "lang.set": {"zh": "已切换为中文。", "en": "Language set to English."},
    "answer.related": {"zh": "相关问题", "en": "Related questions"},
    "feedback.up": {"zh": "👍 有帮助", "en": "👍 Helpful"},
    "feedback.down": {"zh": "👎 没帮助", "en": "👎 Not helpful"},
    "feedback.thanks": {"zh": "感谢您的反馈！", "en": "Thank you for your feedback!"},
    "feedback.not_yours": {
        "zh": "只能评价您自己的提问。",
        "en": "You can only rate your own questions.",
    },
    "button.expired": {
        "zh": "这个按钮已失效，请重新输入您的问题。",
        "en": "This button has expired; please type your question again.",
    },
    "button.unavailable": {
        "zh": "该功能暂未开放，请稍后再试或直接输入您的问题。",
        "en": "This feature is not available yet; please try later or type your question.",
    },
    "ratelimit.reply": {
        "zh": "您提问太快了，请休息一下，约 {seconds} 秒后再问。",
        "en": "You are asking very fast; please wait about {seconds} seconds and ask again.",
    },
    "long.notice": {
        "zh": "（您的消息较长，我只根据前 {limit} 个字作答；如需更准确的回答，请把问题精简后再问。）",
        "en": "(Your message is long, so I answered from its first {limit} characters; a shorter question gets a more precise answer.)",
    },
    "input.empty": {
        "zh": "我只能看懂文字问题哦。请用一句话描述您想了解的政策，例如“上市奖励有多少？”",
        "en": "I can only read questions in words. Please describe what you want to know, e.g. “How much is the listing reward?”",
    },
    "input.media": {
        "zh": "抱歉，我暂时看不懂图片、语音和表情包。请用文字输入您的问题。",
        "en": "Sorry, I cannot read pictures, voice messages or stickers yet. Please type your question.",
    },
    "input.edited": {
        "zh": "我看到您修改了消息。已发出的回答不会改变；如需重新提问，请直接发送新消息。",
        "en": "I saw you edited your message. Answers already sent do not change; please send a new message to ask again.",
    },
    "input.unknown_command": {
        "zh": "抱歉，我不认识这个命令。输入 /help 查看我能做什么，或直接输入您的问题。",
        "en": "Sorry, I don't know that command. Type /help to see what I can do, or just type your question.",
    },
    "group.ask_usage": {
        "zh": "在群里提问请 @我 或使用 /ask 加上问题{example}。",
        "en": "In a group, mention me or use /ask with your question{example}.",
    },
    # ---- ISSUE 6: admin documents, expiry, learning loop (prefixes admin. docs. faq. unanswered.)
    "admin.only": {"zh": "此功能仅限管理员使用。", "en": "Only administrators can do this."},
    "error.apology": {
        "zh": "抱歉，处理您的消息时出了点问题，我们已记录下来。请稍后再试，或输入 /human 联系工作人员。",
        "en": "Sorry, something went wrong while handling your message; it has been logged. Please try again later or type /human to reach an officer.",
    },
    "access.wrong_chat": {
        "zh": "请在工作群或与我的私聊中使用此功能。",
        "en": "Please use this in the officers' group or in a private chat with me.",
    },
    "admin.private_only": {
        "zh": "请在与我的私聊中管理知识库。",
        "en": "Please manage the knowledge base in a private chat with me.",
    },
    # ---- ISSUE 14/15 (ops): what one document may cost
    "docs.limit.chunks": {
        "zh": "{name}：文件过大，切分后有 {count} 个段落，超过每个文件最多 {limit} 个段落的上限。请拆分成几个文件后再上传。",
        "en": "{name}: too large: it makes {count} passages, and one document may have at most {limit} passages. Please split it into several files.",
    },
    "docs.limit.chars": {
        "zh": "{name}：文件过大，约有 {count} 个字，超过每个文件最多 {limit} 个字的上限。请拆分成几个文件后再上传。",
        "en": "{name}: too large: it has about {count} characters of text, and one document may have at most {limit} characters. Please split it into several files.",
    },
    "docs.downloading": {"zh": "📥 正在接收 {name}…", "en": "📥 Receiving {name}…"},
    "docs.parsing": {"zh": "⏳ 正在解析 {name}…", "en": "⏳ Parsing {name}…"},
    "docs.pace": {
        "zh": "（每秒 {rate} 个，约剩 {eta} 秒）",
        "en": " ({rate}/s, about {eta} s left)",
    },
    "docs.embedding": {
        "zh": "⏳ {name}：正在建立索引 {done}/{total} 个片段",
        "en": "⏳ {name}: embedding {done}/{total} chunks",
    },
    "docs.rejected": {
        "zh": "❌ 未能导入：{reason}\n知识库未作任何改动。",
        "en": "❌ Not added: {reason}\nThe knowledge base is unchanged.",
    },
    "docs.failed": {
        "zh": "❌ 处理 {name} 时出错，知识库未作任何改动。",
        "en": "❌ Something went wrong with {name}; the knowledge base is unchanged.",
    },
    "docs.download_failed": {
        "zh": "❌ 无法下载文件（{reason}），请重新发送。",
        "en": "❌ Could not download the file ({reason}); please send it again.",
    },
    "docs.added": {"zh": "✅ 已导入：《{title}》", "en": "✅ Added: “{title}”"},
    "docs.replaced_head": {"zh": "✅ 已替换为：《{title}》", "en": "✅ Replaced with: “{title}”"},
    "docs.unchanged": {
        "zh": "ℹ️ 该文件与已有文档 {doc_id} 完全相同，知识库未改动。",
        "en": "ℹ️ This file is identical to document {doc_id}; nothing changed.",
    },
    "docs.line.id": {"zh": "文档 ID：{value}", "en": "Document ID: {value}"},
    "docs.line.number": {"zh": "文号：{value}", "en": "Reference: {value}"},
    "docs.line.published": {"zh": "发布日期：{value}", "en": "Published: {value}"},
    "docs.line.effective": {"zh": "施行日期：{value}", "en": "In force from: {value}"},
    "docs.line.expires": {"zh": "有效期至：{value}", "en": "Valid until: {value}"},
    "docs.line.status": {"zh": "状态：{value}", "en": "Status: {value}"},
    "docs.line.counts": {
        "zh": "章节 {sections} 个，片段 {chunks} 个",
        "en": "{sections} sections, {chunks} chunks",
    },
    "docs.line.source": {"zh": "文件：{value}", "en": "File: {value}"},
    "docs.none": {"zh": "无", "en": "none"},
    "docs.long_term": {"zh": "长期有效", "en": "no expiry"},
    "docs.compilation": {
        "zh": "已识别为政策汇编：共{count}项政策，每项按其自身的发文单位、文号和日期回答。",
        "en": "Read as a policy compilation: {count} measures, each answered with its own issuer, number and dates.",
    },
    "docs.workbook": {
        "zh": "已识别为政策清单：共{count}项政策，每项按其所在行的政策依据、文号和有效期回答。",
        "en": "Read as a policy list: {count} measures, each answered with the basis, number and validity its own row gives.",
    },
    "docs.warn.no_effective_date": {
        "zh": "⚠️ 未找到施行日期，将视为现行文件",
        "en": "⚠️ No 施行日期 (date in force) found; treated as in force",
    },
    "docs.warn.draft": {
        "zh": "⚠️ 这是征求意见稿（草案），尚未生效：不会作为现行政策引用，也不会废止或修改现行文件",
        "en": "⚠️ A draft published for comment: never cited as in force, and it repeals or "
        "amends nothing",
    },
    "docs.warn.bad_date": {
        "zh": "⚠️ 有日期无法识别，请核对",
        "en": "⚠️ A date could not be read; please check it",
    },
    "docs.warn.bad_front_matter": {
        "zh": "⚠️ 文件头（YAML）格式有误，已按正文处理",
        "en": "⚠️ The YAML front matter is malformed and was read as text",
    },
    "docs.warn.duplicate": {
        "zh": "⚠️ 与已有文档 {doc_id} 内容相同（重复文件）",
        "en": "⚠️ Same text as existing document {doc_id} (duplicate)",
    },
    "docs.warn.replaces": {
        "zh": "↪️ 替换了文档 {doc_id}（旧版本保留为已废止，不再作为现行政策引用）",
        "en": "↪️ Replaces document {doc_id} (kept as superseded, never cited as current)",
    },
    "docs.warn.repeals": {
        "zh": "🗂 本文件废止了知识库中的 {count} 份文件：{doc_ids}（已列为已废止，不再作为现行政策引用）",
        "en": "🗂 This document repeals {count} document(s) of the knowledge base: {doc_ids} (listed as superseded, never cited as current)",
    },
    "docs.warn.same_number": {
        "zh": "⚠️ 文号 {number} 与已有文档 {doc_ids} 相同，但标题不同，请核对文号（废止关系将按标题判断）",
        "en": "⚠️ 文号 {number} is also the number of {doc_ids}, under another title: please "
        "check it (repeals naming it are matched by title)",
    },
    "docs.warn.other": {"zh": "⚠️ {name}", "en": "⚠️ {name}"},
    "docs.conflict": {
        "zh": "该文件与现有文档标题或文号相同：\n{docs}\n请选择如何处理：",
        "en": "This file has the same title or reference as:\n{docs}\nWhat should I do?",
    },
    "docs.btn.replace": {"zh": "替换", "en": "Replace"},
    "docs.btn.as_new": {"zh": "作为新文档", "en": "Add as new"},
    "docs.btn.cancel": {"zh": "取消", "en": "Cancel"},
    "docs.cancelled": {"zh": "已取消，知识库未改动。", "en": "Cancelled; nothing changed."},
    "docs.stale": {
        "zh": "该操作已失效，请重新发送文件或命令。",
        "en": "This choice has expired; please send the file or command again.",
    },
    "docs.status.current": {"zh": "现行", "en": "in force"},
    "docs.status.superseded": {"zh": "已废止", "en": "superseded"},
    "docs.status.expired": {"zh": "已过期", "en": "expired"},
    "docs.status.draft": {"zh": "征求意见稿", "en": "draft"},
    "docs.status.pending": {"zh": "待施行", "en": "not yet in force"},
    "docs.status.all": {"zh": "全部", "en": "all"},
    "docs.list_head": {
        "zh": "知识库文档（{filter}，共 {total} 个，第 {page}/{pages} 页）：",
        "en": "Documents ({filter}, {total} in all, page {page}/{pages}):",
    },
    "docs.list_item": {
        "zh": "{doc_id} · {status} · 《{title}》 施行 {effective} · 至 {expires}",
        "en": "{doc_id} · {status} · “{title}” from {effective} · until {expires}",
    },
    "docs.list_empty": {"zh": "没有符合条件的文档。", "en": "No documents match."},
    "docs.list_hint": {
        "zh": "查看：/doc ID　版本：/history ID　删除：/remove ID　筛选：/docs current|superseded|expired|draft",
        "en": "Details: /doc ID · revisions: /history ID · remove: /remove ID · filter: /docs current|superseded|expired|draft",
    },
    "docs.btn.prev": {"zh": "◀ 上一页", "en": "◀ Previous"},
    "docs.btn.next": {"zh": "下一页 ▶", "en": "Next ▶"},
    "docs.usage_doc": {
        "zh": "用法：/doc 文档ID（用 /docs 查看 ID）",
        "en": "Usage: /doc ID (see /docs for ids)",
    },
    "docs.usage_remove": {"zh": "用法：/remove 文档ID", "en": "Usage: /remove ID"},
    "docs.not_found": {"zh": "没有 ID 为 {doc_id} 的文档。", "en": "No document with id {doc_id}."},
    "docs.sections_head": {"zh": "章节（{n}）：", "en": "Sections ({n}):"},
    "docs.replaced_by": {"zh": "已被 {doc_id} 替代", "en": "replaced by {doc_id}"},
    "docs.remove_confirm": {
        "zh": "确定从知识库删除《{title}》（{doc_id}）吗？删除后将无法再检索到。",
        "en": "Remove “{title}” ({doc_id}) from the knowledge base? It will no longer be found.",
    },
    "docs.btn.remove_yes": {"zh": "确认删除", "en": "Remove"},
    "docs.removed": {"zh": "🗑 已删除 {doc_id}。", "en": "🗑 Removed {doc_id}."},
    "docs.reindex_started": {
        "zh": "⏳ 正在后台重建索引，期间继续使用原索引回答问题…",
        "en": "⏳ Rebuilding the index in the background; questions are answered from the old index meanwhile…",
    },
    "docs.reindex_progress": {
        "zh": "⏳ 重建索引：{done}/{total} 个片段",
        "en": "⏳ Rebuilding: {done}/{total} chunks",
    },
    "docs.reindex_done": {
        "zh": "✅ 索引已重建：{docs} 个文档，{chunks} 个片段，{faqs} 条问答。",
        "en": "✅ Index rebuilt: {docs} documents, {chunks} chunks, {faqs} FAQ entries.",
    },
    "docs.reindex_failed": {
        "zh": "❌ 重建索引失败，原索引继续使用。",
        "en": "❌ The rebuild failed; the previous index keeps serving.",
    },
    "docs.reindex_running": {
        "zh": "已有重建任务在进行中，请稍候。",
        "en": "A rebuild is already running; please wait.",
    },
    "docs.expiry_head": {"zh": "📅 政策文件有效期提醒", "en": "📅 Policy documents expiring"},
    "docs.expiry_in": {"zh": "（收录于《{title}》）", "en": " (in “{title}”)"},
    "docs.expiring_item": {
        "zh": "• 《{title}》{number}将于 {date} 到期（还有 {days} 天）",
        "en": "• “{title}”{number} expires on {date} ({days} days left)",
    },
    "docs.expired_item": {
        "zh": "• 《{title}》{number}已于 {date} 到期，已自动停止作为现行政策引用",
        "en": "• “{title}”{number} expired on {date} and is no longer cited as in force",
    },
    "unanswered.only": {
        "zh": "此功能仅限工作人员使用。",
        "en": "Only bureau officers can do this.",
    },
    "unanswered.head": {
        "zh": "最近 7 天未能解答的问题（{groups} 类，共 {total} 次）：",
        "en": "Questions not settled in the last 7 days ({groups} groups, {total} in all):",
    },
    "unanswered.item": {
        "zh": "{n}. {wording}（{count} 次；{reasons}）",
        "en": "{n}. {wording} ({count}×; {reasons})",
    },
    "unanswered.reason.none": {"zh": "无答案", "en": "no answer"},
    "unanswered.reason.dislike": {"zh": "👎", "en": "👎"},
    "unanswered.reason.handoff": {"zh": "转人工", "en": "handed to an officer"},
    "unanswered.empty": {
        "zh": "最近 7 天没有未解答的问题。",
        "en": "No unanswered questions in the last 7 days.",
    },
    "unanswered.btn_save": {"zh": "保存为问答 {n}", "en": "Save as FAQ {n}"},
    "faq.ask_question": {
        "zh": "问题措辞：\n{question}\n\n点“使用此措辞”，或直接发送修改后的问题。（/cancel 取消）",
        "en": "Question wording:\n{question}\n\nTap “Use this wording” or send an edited question. (/cancel to stop)",
    },
    "faq.btn.keep_question": {"zh": "使用此措辞", "en": "Use this wording"},
    "faq.ask_answer": {
        "zh": "请发送这个问题的答案（将原样回复给企业）。",
        "en": "Please send the answer (it is sent to entrepreneurs as written).",
    },
    "faq.ask_answer_with": {
        "zh": "当前答案：\n{answer}\n\n点“使用此答案”，或直接发送修改后的答案。",
        "en": "Current answer:\n{answer}\n\nTap “Use this answer” or send an edited answer.",
    },
    "faq.btn.keep_answer": {"zh": "使用此答案", "en": "Use this answer"},
    "faq.ask_link": {
        "zh": "可选：关联到政策文件的某一章节作为依据：",
        "en": "Optional: link it to a section of a policy document:",
    },
    "faq.btn.no_link": {"zh": "不关联", "en": "No link"},
    "faq.saved": {
        "zh": "✅ 已保存问答 {faq_id}，现在起即可直接回答：\n问：{question}",
        "en": "✅ Saved FAQ {faq_id}; it is answered from now on:\nQ: {question}",
    },
    "faq.cancelled": {"zh": "已取消，未保存。", "en": "Cancelled; nothing saved."},
    "faq.text_only": {"zh": "请发送文字。", "en": "Please send text."},
    "faq.list_head": {
        "zh": "问答条目（共 {total} 条，第 {page}/{pages} 页）：",
        "en": "FAQ entries ({total} in all, page {page}/{pages}):",
    },
    "faq.list_item": {"zh": "{faq_id}：{question}", "en": "{faq_id}: {question}"},
    "faq.list_empty": {"zh": "还没有问答条目。", "en": "No FAQ entries yet."},
    "faq.btn.edit": {"zh": "✏️ {faq_id}", "en": "✏️ {faq_id}"},
    "faq.btn.remove": {"zh": "🗑 {faq_id}", "en": "🗑 {faq_id}"},
    "faq.remove_confirm": {
        "zh": "确定删除问答 {faq_id}？\n问：{question}",
        "en": "Remove FAQ {faq_id}?\nQ: {question}",
    },
    "faq.btn.remove_yes": {"zh": "确认删除", "en": "Remove"},
    "faq.removed": {"zh": "🗑 已删除问答 {faq_id}。", "en": "🗑 Removed FAQ {faq_id}."},
    "faq.not_found": {"zh": "没有问答条目 {faq_id}。", "en": "No FAQ entry {faq_id}."},
    "faq.usage_savefaq": {
        "zh": "用法：/savefaq 转人工编号",
        "en": "Usage: /savefaq HANDOFF_NUMBER",
    },
    "faq.handoff_empty": {
        "zh": "该转人工会话中没有可用的问答内容。",
        "en": "That handoff has no question and answer to save.",
    },
}


def t(key: str, lang: Lang = "zh", **kwargs: object) -> str:
    entry = TEXTS[key]
    text = entry.get(lang) or entry["zh"]
    return text.format(**kwargs) if kwargs else text


# ---- ISSUE 5: financing form, requests, officers, handoff, roles (form./req./officer./handoff./role.)
TEXTS.update(
    {
        "form.intro": {
            "zh": "登记融资需求：共 9 项，一次一项。随时输入 /cancel 取消。",
            "en": "Financing request: 9 short questions, one at a time. Type /cancel at any point to stop.",
        },
        "form.continue": {
            "zh": "您正在填写融资需求，继续：",
            "en": "You are filling in a financing request; continuing:",
        },
        "form.ask.company": {
            "zh": "1/9 请输入企业名称（营业执照上的全称）：",
            "en": "1/9 Company name (as on the business licence):",
        },
        "form.ask.uscc": {
            "zh": "2/9 请输入统一社会信用代码（18 位）：",
            "en": "2/9 Unified social credit code (18 characters):",
        },
        "form.ask.contact": {"zh": "3/9 请输入联系人姓名：", "en": "3/9 Contact person:"},
        "form.ask.phone": {
            "zh": "4/9 请输入联系电话（手机号，或带区号的固定电话，如 0571-87654321）：",
            "en": "4/9 Phone (mainland mobile, or landline with area code such as 0571-87654321):",
        },
        "form.ask.amount": {
            "zh": "5/9 请输入融资金额（如 500万、0.5亿、5,000,000）：",
            "en": "5/9 Amount needed (e.g. 500万, 0.5亿, 5,000,000 yuan):",
        },
        "form.ask.fin_type": {
            "zh": "6/9 请选择融资类型：",
            "en": "6/9 Choose the type of financing:",
        },
        "form.ask.term": {
            "zh": "7/9 请输入期限（月数，如 12；或 3年）：",
            "en": "7/9 Term in months (e.g. 12, or 3 years):",
        },
        "form.ask.purpose": {
            "zh": "8/9 请简要说明资金用途（500 字以内）：",
            "en": "8/9 What is the money for (up to 500 characters)?",
        },
        "form.ask.consent": {
            "zh": "9/9 提交后，以上信息将提供给区金融监管局及合作金融机构，仅用于对接您的融资需求。是否同意？",
            "en": "9/9 Your answers will be shared with the district financial regulation bureau and its partner banks, only to follow up your request. Do you agree?",
        },
        "form.err.uscc_length": {
            "zh": "统一社会信用代码应为 18 位，您输入了 {length} 位。请重新输入：",
            "en": "The credit code has 18 characters; you typed {length}. Please try again:",
        },
        "form.err.uscc_chars": {
            "zh": "统一社会信用代码只含数字和大写字母（不含 I、O、Z、S、V）。请重新输入：",
            "en": "The credit code only contains digits and capital letters (no I, O, Z, S, V). Please try again:",
        },
        "form.err.uscc_kind": {
            "zh": "统一社会信用代码不会以“{prefix}”开头：前两位是登记管理部门和机构类别代码（企业一般为 91，个体工商户为 92）。请对照营业执照重新输入：",
            "en": "A credit code cannot start with “{prefix}”: the first two characters name the registering authority and the kind of organisation (91 for most companies, 92 for sole traders). Please check the licence and try again:",
        },
        "form.err.uscc_region": {
            "zh": "统一社会信用代码第 3 到 8 位是登记机关的行政区划代码，应全为数字。请对照营业执照重新输入：",
            "en": "Characters 3 to 8 of the credit code are the registering authority's region code and are all digits. Please check the licence and try again:",
        },
        "form.err.uscc_checksum": {
            "zh": "统一社会信用代码校验位不正确，可能有字符输错，请对照营业执照重新输入：",
            "en": "The credit code's check character does not match; a character is probably mistyped. Please check the licence and try again:",
        },
        "form.err.phone_mobile": {
            "zh": "手机号应为 11 位数字，您输入了 {length} 位。请重新输入：",
            "en": "A mobile number has 11 digits; you typed {length}. Please try again:",
        },
        "form.err.phone_mobile_prefix": {
            "zh": "手机号以 13 到 19 开头，请核对后重新输入：",
            "en": "A mobile number starts with 13 to 19; please check it and try again:",
        },
        "form.err.phone_landline": {
            "zh": "固定电话是区号加 7 到 8 位号码，共 10 到 12 位数字，如 0571-87654321；您输入了 {length} 位数字。请重新输入：",
            "en": "A landline is an area code and a 7- or 8-digit number, 10 to 12 digits in all, e.g. 0571-87654321; you typed {length} digits. Please try again:",
        },
        "form.err.phone_area_code": {
            "zh": "固定电话请加上区号，如 0571-87654321。请重新输入：",
            "en": "Please add the area code to the landline, e.g. 0571-87654321:",
        },
        "form.err.phone_one": {
            "zh": "请只填写一个联系电话：",
            "en": "Please give just one phone number:",
        },
        "form.err.phone_foreign": {
            "zh": "请填写中国大陆的手机号或固定电话：",
            "en": "Please give a mainland China mobile or landline number:",
        },
        "form.err.phone": {
            "zh": "无法识别这个电话号码，请输入手机号或带区号的固定电话：",
            "en": "That does not look like a phone number; please enter a mobile or a landline with area code:",
        },
        "form.err.amount_format": {
            "zh": "无法识别金额，请写成 500万、0.5亿 或 5000000 这样的形式：",
            "en": "I could not read that amount; write it like 500万, 0.5亿 or 5000000:",
        },
        "form.err.amount_ambiguous": {
            "zh": "这个金额有两种理解：{one} 元，还是 {two} 元？请直接输入您要的金额：",
            "en": "That amount can be read two ways: {one} or {two} yuan. Please type the amount you mean:",
        },
        "form.err.amount_zero": {
            "zh": "金额必须大于 0，请重新输入：",
            "en": "The amount must be more than 0. Please try again:",
        },
        "form.err.amount_negative": {
            "zh": "金额不能为负数，请重新输入：",
            "en": "The amount cannot be negative. Please try again:",
        },
        "form.err.amount_absurd": {
            "zh": "金额超过 1000 亿元，明显超出常规，请核对后重新输入：",
            "en": "That is more than 100 billion yuan, beyond any plausible need; please check and try again:",
        },
        "form.err.term_format": {
            "zh": "无法识别期限，请写成 12、18个月 或 1.5年 这样的形式：",
            "en": "I could not read the term; write it like 12, 18 months or 1.5 years:",
        },
        "form.err.term_whole": {
            "zh": "期限请按整月填写（您填的约为 {months} 个月），如 18个月：",
            "en": "Please give the term in whole months (yours comes to {months} months), e.g. 18 months:",
        },
        "form.err.term_range": {
            "zh": "期限应在 1 到 {max} 个月之间，请重新输入：",
            "en": "The term must be between 1 and {max} months. Please try again:",
        },
        "form.err.purpose_empty": {
            "zh": "请用文字说明资金用途：",
            "en": "Please describe the purpose in words:",
        },
        "form.err.purpose_long": {
            "zh": "用途说明最多 {max} 字，您写了 {length} 字，请精简后重新输入：",
            "en": "The purpose may have at most {max} characters; yours has {length}. Please shorten it:",
        },
        "form.err.company": {
            "zh": "企业名称应为 2 到 {max} 个字，请重新输入：",
            "en": "The company name should have 2 to {max} characters. Please try again:",
        },
        "form.err.contact": {
            "zh": "联系人姓名应为 2 到 {max} 个字，请重新输入：",
            "en": "The contact name should have 2 to {max} characters. Please try again:",
        },
        "form.err.use_buttons": {
            "zh": "请点击上方按钮选择。",
            "en": "Please tap one of the buttons above.",
        },
        "form.consent.yes": {"zh": "同意并继续", "en": "I agree"},
        "form.consent.no": {"zh": "不同意", "en": "I do not agree"},
        "form.consent_refused": {
            "zh": "未获得您的同意，本次登记没有提交，已填写的信息已删除。如需帮助可输入 /human 联系工作人员。",
            "en": "Without your consent nothing was submitted and your answers were deleted. Type /human if you need help.",
        },
        "form.summary": {
            "zh": "请核对您的融资需求：",
            "en": "Please check your financing request:",
        },
        "form.field.company": {"zh": "企业名称", "en": "Company"},
        "form.field.uscc": {"zh": "统一社会信用代码", "en": "Credit code"},
        "form.field.contact": {"zh": "联系人", "en": "Contact"},
        "form.field.phone": {"zh": "联系电话", "en": "Phone"},
        "form.field.amount": {"zh": "融资金额", "en": "Amount"},
        "form.field.fin_type": {"zh": "融资类型", "en": "Type"},
        "form.field.term": {"zh": "期限", "en": "Term"},
        "form.field.purpose": {"zh": "资金用途", "en": "Purpose"},
        "form.term_value": {"zh": "{months} 个月", "en": "{months} months"},
        "form.btn.confirm": {"zh": "确认提交", "en": "Confirm"},
        "form.btn.edit": {"zh": "修改", "en": "Edit"},
        "form.btn.cancel": {"zh": "取消", "en": "Cancel"},
        "form.edit_pick": {"zh": "要修改哪一项？", "en": "Which answer do you want to change?"},
        "form.cancelled": {
            "zh": "已取消融资需求登记，填写的信息已删除。",
            "en": "Financing request cancelled; your answers were deleted.",
        },
        "form.timeout": {
            "zh": "融资需求登记已超过 {minutes} 分钟未完成，已自动取消。需要时请重新输入 /financing。",
            "en": "The financing request was left unfinished for {minutes} minutes and has been cancelled. Type /financing to start again.",
        },
        "form.saved": {
            "zh": "✅ 已提交，编号 {ref}。工作人员会尽快与您联系，状态变化时我会通知您；输入 /myrequests 可随时查看。",
            "en": "✅ Submitted as {ref}. An officer will contact you soon and I will tell you when the status changes; type /myrequests to check.",
        },
        "form.prefilled": {
            "zh": "工作人员已根据您的留言预填了部分内容，只需补充其余几项。",
            "en": "An officer pre-filled part of the form from what you already wrote; only the rest is asked.",
        },
        "form.type.working_capital": {"zh": "流动资金贷款", "en": "Working-capital loan"},
        "form.type.gov_guarantee": {"zh": "政府性融资担保贷款", "en": "Government-guaranteed loan"},
        "form.type.bridge": {"zh": "应急转贷", "en": "Emergency bridge loan"},
        "form.type.startup_guarantee": {"zh": "创业担保贷款", "en": "Start-up guarantee loan"},
        "form.type.equity": {"zh": "股权融资/基金", "en": "Equity / fund"},
        "form.type.listing": {"zh": "上市辅导", "en": "Listing guidance"},
        "form.type.other": {"zh": "其他", "en": "Other"},
        "req.status.new": {"zh": "待认领", "en": "Received"},
        "req.status.claimed": {"zh": "已受理", "en": "Taken up by an officer"},
        "req.status.following": {"zh": "跟进中", "en": "In progress"},
        "req.status.matched": {"zh": "已对接金融机构", "en": "Passed to a financial institution"},
        "req.status.approved": {"zh": "已获批", "en": "Approved"},
        "req.status.disbursed": {"zh": "已放款", "en": "Funds disbursed"},
        "req.status.failed": {"zh": "未成功", "en": "Not successful"},
        "req.status.closed": {"zh": "已关闭", "en": "Closed"},
        "req.mine_title": {"zh": "您的融资需求：", "en": "Your financing requests:"},
        "req.mine_empty": {
            "zh": "您还没有登记融资需求。输入 /financing 开始登记。",
            "en": "You have no financing requests yet. Type /financing to register one.",
        },
        "req.mine_item": {
            "zh": "{ref}｜{company}｜{amount}｜{status}",
            "en": "{ref} | {company} | {amount} | {status}",
        },
        "req.notify_status": {
            "zh": "您的融资需求 {ref} 状态更新：{status}（工作人员：{owner}）。",
            "en": "Your financing request {ref} has a new status: {status} (officer: {owner}).",
        },
        "officer.refused": {
            "zh": "抱歉，该功能仅供金融局工作人员在工作群中使用。如需帮助，请输入 /human。",
            "en": "Sorry, this is only for bureau officers in their group. Type /human if you need help.",
        },
        "officer.card_title": {"zh": "📋 融资需求 {ref}", "en": "📋 Financing request {ref}"},
        "officer.card_owner": {
            "zh": "状态：{status}｜负责人：{owner}",
            "en": "Status: {status} | Officer: {owner}",
        },
        "officer.nobody": {"zh": "未认领", "en": "unclaimed"},
        "officer.card_question": {"zh": "来源问题：{question}", "en": "Asked before: {question}"},
        "officer.card_handoff": {"zh": "来自转人工会话 #{id}", "en": "From handoff #{id}"},
        "officer.btn.claim": {"zh": "认领", "en": "Claim"},
        "officer.claimed": {"zh": "已认领 {ref}", "en": "You claimed {ref}"},
        "officer.claim_lost": {
            "zh": "{ref} 已由 {owner} 认领。",
            "en": "{ref} is already taken by {owner}.",
        },
        "officer.not_owner": {
            "zh": "{ref} 由 {owner} 负责，只有负责人或管理员可以改状态。",
            "en": "{ref} belongs to {owner}; only they or an admin can change it.",
        },
        "officer.status_set": {"zh": "{ref}：{status}", "en": "{ref}: {status}"},
        "officer.not_found": {"zh": "没有找到编号 {ref}。", "en": "No request {ref}."},
        "officer.usage_request": {
            "zh": "用法：/request RZ-20261123-0001",
            "en": "Usage: /request RZ-20261123-0001",
        },
        "officer.usage_note": {"zh": "用法：/note 编号 备注内容", "en": "Usage: /note REF text"},
        "officer.usage_assign": {
            "zh": "用法：/assign 编号 @工作人员（或数字 ID）",
            "en": "Usage: /assign REF @officer (or numeric id)",
        },
        "officer.usage_export": {
            "zh": "用法：/export [起始日期 截止日期]，日期格式 2026-11-01；问答记录：/export questions [起始日期 [截止日期]]",
            "en": "Usage: /export [FROM TO], dates like 2026-11-01; the question log: /export questions [FROM [TO]]",
        },
        "officer.noted": {"zh": "已为 {ref} 添加备注。", "en": "Note added to {ref}."},
        "officer.assigned": {"zh": "{ref} 已指派给 {owner}。", "en": "{ref} assigned to {owner}."},
        "officer.not_officer": {
            "zh": "{who} 不是工作人员，无法指派。",
            "en": "{who} is not an officer.",
        },
        "officer.list_title": {
            "zh": "融资需求（{status}）共 {total} 条，第 {page}/{pages} 页：",
            "en": "Requests ({status}): {total}, page {page}/{pages}:",
        },
        "officer.list_all": {"zh": "全部", "en": "all"},
        "officer.list_empty": {"zh": "没有符合条件的融资需求。", "en": "No matching requests."},
        "officer.list_item": {
            "zh": "{ref}｜{company}｜{amount}｜{status}｜{owner}",
            "en": "{ref} | {company} | {amount} | {status} | {owner}",
        },
        "officer.btn.next": {"zh": "下一页 ▶", "en": "Next ▶"},
        "officer.btn.prev": {"zh": "◀ 上一页", "en": "◀ Previous"},
        "officer.history": {"zh": "处理记录：", "en": "History:"},
        "officer.event.created": {"zh": "{when} 提交", "en": "{when} submitted"},
        "officer.event.claimed": {"zh": "{when} {who} 认领", "en": "{when} claimed by {who}"},
        "officer.event.status": {
            "zh": "{when} {who} 改为 {status}",
            "en": "{when} {who} set {status}",
        },
        "officer.event.note": {
            "zh": "{when} {who} 备注：{text}",
            "en": "{when} note by {who}: {text}",
        },
        "officer.event.assigned": {
            "zh": "{when} {who} 指派给 {owner}",
            "en": "{when} {who} assigned it to {owner}",
        },
        "officer.export_caption": {
            "zh": "融资需求 {start} 至 {end}，共 {count} 条",
            "en": "Requests {start} to {end}: {count}",
        },
        "officer.none": {"zh": "无", "en": "none"},
        "stats.summary": {
            "zh": "📊 问答统计 {start} 至 {end}（{days} 天）\n问题 {questions} 条：已解答 {answered}，推荐 {suggested}，未解答 {declined}\n反馈：👍 {likes}，👎 {dislikes}（好评率 {like_rate}）\n引用最多的文件：{documents}\n引用最多的条款：{sections}\n未解答热点：{missed}\n融资需求共 {total} 条\n按状态：{by_status}\n按类型：{by_type}\n认领用时中位数：{claim}\n办结用时中位数：{close}\n按时认领（{sla_hours} 个工作小时内）：{sla_met}/{sla_judged}（{sla}）\n转人工 {handoffs} 次，评分 {rated} 次，平均 {rating} 分",
            "en": "📊 Q&A statistics {start} to {end} ({days} days)\n{questions} questions: {answered} answered, {suggested} suggested, {declined} declined\nFeedback: 👍 {likes}, 👎 {dislikes} ({like_rate} positive)\nMost-cited documents: {documents}\nMost-cited articles: {sections}\nMost missed: {missed}\n{total} requests\nBy status: {by_status}\nBy type: {by_type}\nMedian time to claim: {claim}\nMedian time to close: {close}\nClaimed within {sla_hours} working hours: {sla_met}/{sla_judged} ({sla})\n{handoffs} handoffs, {rated} rated, mean rating {rating}",
        },
        "stats.usage": {
            "zh": "用法：/stats [天数 | 起始日期 截止日期]，例如 /stats 30 或 /stats 2026-11-01 2026-11-30（最长 366 天）",
            "en": "Usage: /stats [DAYS | FROM TO], e.g. /stats 30 or /stats 2026-11-01 2026-11-30 (at most 366 days)",
        },
        "export.band.answer": {"zh": "已解答", "en": "answered"},
        "export.band.suggest": {"zh": "推荐", "en": "suggested"},
        "export.band.none": {"zh": "未解答", "en": "declined"},
        "export.unmasked_admins_only": {
            "zh": "只有管理员可以导出未脱敏的问答记录。",
            "en": "Only admins can export the question log unmasked.",
        },
        "export.questions_caption": {
            "zh": "问答记录 {start} 至 {end}，共 {count} 条（{masking}）",
            "en": "Questions {start} to {end}: {count} ({masking})",
        },
        "export.masked": {"zh": "已脱敏", "en": "masked"},
        "export.unmasked": {"zh": "未脱敏，已记录审计", "en": "unmasked, audited"},
        "export.usage_questions": {
            "zh": "用法：/export questions [起始日期 [截止日期]] [unmasked]，日期格式 2026-11-01",
            "en": "Usage: /export questions [FROM [TO]] [unmasked], dates like 2026-11-01",
        },
        "stats.custom_hint": {
            "zh": "其他时段：/stats 2026-11-01 2026-11-30",
            "en": "Another period: /stats 2026-11-01 2026-11-30",
        },
        "stats.btn.days": {"zh": "{days} 天", "en": "{days} days"},
        "stats.caption": {
            "zh": "问答统计 {start} 至 {end}",
            "en": "Q&A statistics {start} to {end}",
        },
        "officer.remind_unclaimed": {
            "zh": "⏰ {ref} 已超过 {hours} 个工作小时无人认领，请尽快处理。",
            "en": "⏰ {ref} has been unclaimed for more than {hours} working hours.",
        },
        "officer.remind_stale": {
            "zh": "⏰ {ref} 已 {days} 个工作日没有状态更新，请跟进。",
            "en": "⏰ {ref} has had no update for {days} working days.",
        },
        "handoff.ask_note": {
            "zh": "好的，我来帮您联系工作人员。请用一句话说明需要什么帮助（也可以直接点“跳过”）：",
            "en": "I will put you in touch with an officer. Tell me in one sentence what you need (or tap Skip):",
        },
        "handoff.btn.skip": {"zh": "跳过", "en": "Skip"},
        "handoff.cancelled": {
            "zh": "好的，已取消联系工作人员。",
            "en": "OK, not contacting an officer.",
        },
        "handoff.waiting": {
            "zh": "已通知工作人员，请稍候。期间您发送的消息（文字、图片、文件）都会转给工作人员；输入 /end 可结束。",
            "en": "The officers have been notified; please wait. Everything you send meanwhile (text, photos, files) goes to them; type /end to finish.",
        },
        "handoff.after_hours": {
            "zh": "现在是非工作时间，工作人员将于 {when} 起回复您。",
            "en": "The bureau is closed now; an officer will reply from {when} (Beijing time).",
        },
        "handoff.already": {
            "zh": "您已在联系工作人员，直接发送消息即可；输入 /end 结束。",
            "en": "You are already talking to the officers; just send your message, or /end to finish.",
        },
        "handoff.claimed_user": {
            "zh": "工作人员 {officer} 正在为您服务，请直接发送消息。",
            "en": "Officer {officer} is now helping you; just send your messages.",
        },
        "handoff.officer_says": {"zh": "工作人员 {officer}：", "en": "Officer {officer}:"},
        "handoff.ended_user": {
            "zh": "本次人工服务已结束，我将继续为您解答政策问题。请为本次服务打分：",
            "en": "The conversation with the officer has ended; I will answer your questions again. Please rate it:",
        },
        "handoff.no_live": {
            "zh": "您当前没有进行中的人工服务。",
            "en": "You are not talking to an officer right now.",
        },
        "handoff.thanks": {"zh": "感谢您的评价！", "en": "Thank you for your rating!"},
        "handoff.suggest_form": {
            "zh": "工作人员建议您登记融资需求，已根据您的留言预填部分内容：",
            "en": "The officer suggests registering a financing request, pre-filled from what you wrote:",
        },
        "handoff.btn.form": {"zh": "填写融资需求", "en": "Fill in the request"},
        "handoff.card_title": {"zh": "🙋 联系工作人员 #{id}", "en": "🙋 Handoff #{id}"},
        "handoff.card_user": {
            "zh": "用户：{name}（语言：{language}）",
            "en": "User: {name} (language: {language})",
        },
        "handoff.card_note": {"zh": "留言：{note}", "en": "Message: {note}"},
        "handoff.card_recent": {"zh": "最近的问题：", "en": "Recent questions:"},
        "handoff.card_status": {
            "zh": "状态：{status}｜负责人：{owner}",
            "en": "Status: {status} | Officer: {owner}",
        },
        "handoff.card_hint": {
            "zh": "回复本卡片或转来的消息即可回复用户。",
            "en": "Reply to this card or a relayed message to answer the user.",
        },
        "handoff.status.open": {"zh": "等待认领", "en": "waiting"},
        "handoff.status.active": {"zh": "服务中", "en": "in progress"},
        "handoff.status.closed": {"zh": "已结束", "en": "ended"},
        "handoff.band.answer": {"zh": "已回答", "en": "answered"},
        "handoff.band.suggest": {"zh": "给出建议", "en": "suggestions"},
        "handoff.band.none": {"zh": "未找到答案", "en": "no answer"},
        "handoff.btn.claim": {"zh": "认领", "en": "Claim"},
        "handoff.btn.end": {"zh": "结束", "en": "End"},
        "handoff.btn.to_request": {"zh": "转为融资需求", "en": "Make a financing request"},
        "handoff.btn.save_faq": {"zh": "存为常见问答", "en": "Save as FAQ"},
        "handoff.from_user": {"zh": "#{id} {name}：", "en": "#{id} {name}:"},
        "handoff.claim_lost": {
            "zh": "#{id} 已由 {owner} 认领。",
            "en": "#{id} is already taken by {owner}.",
        },
        "handoff.ended": {"zh": "#{id} 已结束。", "en": "#{id} ended."},
        "handoff.end_hint": {
            "zh": "请回复要结束的会话卡片或其中转来的消息，并发送 /end。",
            "en": "Send /end as a reply to the card of the case to end, or to one of its messages.",
        },
        "handoff.end_already": {
            "zh": "#{id} 已经结束，无需再次结束。",
            "en": "#{id} has already ended.",
        },
        "handoff.form_sent": {
            "zh": "已请用户填写预填好的融资需求表。",
            "en": "The user was sent the pre-filled form.",
        },
        "handoff.remind_unclaimed": {
            "zh": "⏰ 转人工 #{id} 已超过 {hours} 个工作小时无人认领。",
            "en": "⏰ Handoff #{id} has been unclaimed for more than {hours} working hours.",
        },
        "role.usage": {
            "zh": "用法：/grant officer|admin @用户名 或数字 ID；/revoke 同理。",
            "en": "Usage: /grant officer|admin @user or id; /revoke likewise.",
        },
        "role.admins_only": {
            "zh": "抱歉，只有管理员可以设置权限。",
            "en": "Sorry, only admins can change roles.",
        },
        "role.unknown_user": {
            "zh": "找不到用户 {who}：对方需要先给机器人发过消息，或请使用数字 ID。",
            "en": "Unknown user {who}: they must have written to the bot first, or use their numeric id.",
        },
        "role.granted": {"zh": "已授予 {who} {role} 权限。", "en": "{who} is now {role}."},
        "role.already": {"zh": "{who} 已有 {role} 权限。", "en": "{who} already is {role}."},
        "role.revoked": {"zh": "已撤销 {who} 的 {role} 权限。", "en": "{who} is no longer {role}."},
        "role.not_granted": {
            "zh": "{who} 没有在聊天中授予的 {role} 权限（环境变量中配置的权限不能在此撤销）。",
            "en": "{who} has no {role} role granted in chat (roles from the environment cannot be revoked here).",
        },
    }
)

# ---- ISSUE 17: document history and rollback (hist.)
TEXTS.update(
    {
        "hist.usage": {
            "zh": "用法：/history 文档ID（用 /docs 查看 ID）",
            "en": "Usage: /history ID (see /docs for ids)",
        },
        "hist.head": {
            "zh": "《{title}》（{doc_id}）的版本：共 {total} 个，第 {page}/{pages} 页",
            "en": "Revisions of “{title}” ({doc_id}): {total} in all, page {page}/{pages}",
        },
        "hist.item": {
            "zh": "r{n} · {hash} · 《{title}》 {number} · 施行 {effective} · 添加于 {added}",
            "en": "r{n} · {hash} · “{title}” {number} · in force from {effective} · added {added}",
        },
        "hist.current": {"zh": "（当前）", "en": " (current)"},
        "hist.restored": {"zh": "（由 r{n} 恢复）", "en": " (restored from r{n})"},
        "hist.only_current": {
            "zh": "只有当前版本，没有可回滚的早期版本。",
            "en": "Only the current text: there is no earlier revision to roll back to.",
        },
        "hist.hint": {
            "zh": "点按钮可回滚到该版本（需确认）。",
            "en": "Tap a button to roll back to that revision (you will be asked to confirm).",
        },
        "hist.btn.rollback": {"zh": "↩️ 回滚到 r{n}", "en": "↩️ Roll back to r{n}"},
        "hist.confirm": {
            "zh": "确定把《{title}》（{doc_id}）回滚到 r{n}（{hash}，施行 {effective}）吗？回滚立即生效，当前文本仍保留在版本历史中。",
            "en": "Roll “{title}” ({doc_id}) back to r{n} ({hash}, in force from {effective})? It takes effect at once; the current text stays in the history.",
        },
        "hist.btn.yes": {"zh": "确认回滚", "en": "Roll back"},
        "hist.working": {"zh": "⏳ 正在回滚…", "en": "⏳ Rolling back…"},
        "hist.rolled_back": {
            "zh": "↩️ 已回滚：{doc_id} 现为 r{n}（{hash}，由 r{source} 恢复）。下一个问题起按此文本回答。",
            "en": "↩️ Rolled back: {doc_id} is now r{n} ({hash}, restored from r{source}). Answers quote this text from the next question on.",
        },
        "hist.no_revision": {
            "zh": "{doc_id} 没有可回滚的这个版本（或它就是当前文本）。",
            "en": "{doc_id} has no such earlier revision (or it is the current text).",
        },
        "docs.line.revision": {
            "zh": "版本：r{n}（/history {doc_id}）",
            "en": "Revision: r{n} (/history {doc_id})",
        },
    }
)

# ---- ISSUE 16: 👎 reasons (feedback.), the admins' hit test (/test: hittest.)
TEXTS.update(
    {
        "feedback.why": {
            "zh": "抱歉没能帮到您。能告诉我们原因吗？您也可以换个说法再问，或联系工作人员。",
            "en": "Sorry this did not help. Could you tell us why? You can also rephrase, or contact an officer.",
        },
        "feedback.reason.off_topic": {"zh": "答非所问", "en": "Off-topic"},
        "feedback.reason.outdated": {"zh": "内容过时", "en": "Outdated"},
        "feedback.reason.not_found": {"zh": "没有找到我要的", "en": "Didn't find what I need"},
        "feedback.reason.other": {"zh": "其他", "en": "Other"},
        "feedback.reason.unstated": {"zh": "未说明原因", "en": "no reason given"},
        "feedback.reason_noted": {
            "zh": "已记录原因：{reason}。谢谢，我们会据此改进。",
            "en": "Noted: {reason}. Thank you, this helps us improve.",
        },
        "feedback.ask_note": {
            "zh": "请用一句话说明原因，直接发送即可（最多 {limit} 字；/cancel 跳过）。",
            "en": "Please tell us why in a sentence; just send it (at most {limit} characters; /cancel to skip).",
        },
        "feedback.note_saved": {
            "zh": "已收到您的说明，谢谢！",
            "en": "Thank you, we have your note.",
        },
        "feedback.note_skipped": {"zh": "好的，已跳过。", "en": "OK, skipped."},
        "unanswered.dislikes.head": {
            "zh": "👎 原因（最近 7 天，共 {total} 次）：",
            "en": "👎 by reason (last 7 days, {total} in all):",
        },
        "unanswered.dislikes.reason": {
            "zh": "• {reason}：{count} 次",
            "en": "• {reason}: {count}×",
        },
        "unanswered.dislikes.articles": {
            "zh": "👎 按引用条文：",
            "en": "👎 by the article the answer cited:",
        },
        "unanswered.dislikes.article": {
            "zh": "• {where}：{reason} {count} 次",
            "en": "• {where}: {reason} {count}×",
        },
        "unanswered.dislikes.no_citation": {"zh": "（未引用条文）", "en": "(no article cited)"},
        "unanswered.dislikes.note": {"zh": "  “{note}”", "en": "  “{note}”"},
        "help.staff": {
            "zh": "工作人员命令：/requests 融资需求　/unanswered 未解答问题与👎原因　/faq 常见问答",
            "en": "Officers: /requests financing requests, /unanswered missed questions and 👎 reasons, /faq FAQ entries",
        },
        "help.admin": {
            "zh": "管理员命令（私聊）：/docs 文档管理　/test 问题 —— 命中测试：查看检索与判断过程",
            "en": "Admins (in private): /docs documents, /test QUESTION — hit test: what the search found and why",
        },
        "hittest.usage": {
            "zh": "用法：/test 问题，例如：/test 政府性融资担保的费率是多少",
            "en": "Usage: /test QUESTION, e.g. /test what is the guarantee fee rate",
        },
        "hittest.confidence": {"zh": "置信度：{confidence}", "en": "Confidence: {confidence}"},
        "hittest.none": {"zh": "（没有检索结果）", "en": "(no entries found)"},
    }
)
# ---- ISSUE 17: FAQ import from a spreadsheet (faqi.), canned replies for officers (canned.)
TEXTS.update(
    {
        "faqi.receiving": {
            "zh": "📥 正在检查问答表 {name}…",
            "en": "📥 Checking the FAQ sheet {name}…",
        },
        "faqi.head": {"zh": "📋 问答导入预览：{name}", "en": "📋 FAQ import preview: {name}"},
        "faqi.counts": {
            "zh": "有效 {valid} 行（新增 {new} 条，更新 {updated} 条），拒绝 {rejected} 行。",
            "en": "{valid} rows valid ({new} new, {updated} updates), {rejected} rejected.",
        },
        "faqi.rejected_head": {"zh": "被拒绝的行：", "en": "Rejected rows:"},
        "faqi.rejected_item": {"zh": "第 {row} 行：{reason}", "en": "Row {row}: {reason}"},
        "faqi.more_rejected": {
            "zh": "……另有 {n} 行被拒绝，未列出。",
            "en": "… and {n} more rejected rows not listed.",
        },
        "faqi.all_or_nothing": {
            "zh": "全部导入或全不导入：只要有一行被拒绝，就不导入任何内容。请修改上述行后重新发送文件。",
            "en": "All or nothing: nothing is imported while any row is rejected. Fix the rows above and send the file again.",
        },
        "faqi.ready": {
            "zh": "全部 {valid} 行通过检查。确认后立即生效，用户提问即可检索到。",
            "en": "All {valid} rows passed. Once confirmed they take effect at once.",
        },
        "faqi.sample_head": {
            "zh": "将导入的问题（前 {n} 条）：",
            "en": "Questions to import (first {n}):",
        },
        "faqi.btn.confirm": {"zh": "确认导入", "en": "Import"},
        "faqi.btn.cancel": {"zh": "取消", "en": "Cancel"},
        "faqi.importing": {"zh": "⏳ 正在导入…", "en": "⏳ Importing…"},
        "faqi.imported": {
            "zh": "✅ 已导入 {n} 条问答（新增 {new} 条，更新 {updated} 条），已立即生效。",
            "en": "✅ Imported {n} FAQ entries ({new} new, {updated} updated); answers use them now.",
        },
        "faqi.cancelled": {"zh": "已取消，问答未改动。", "en": "Cancelled; the FAQ is unchanged."},
        "faqi.stale": {
            "zh": "这次导入已失效（已确认、已取消或超过一天），请重新发送文件。",
            "en": "This import is no longer pending (done, cancelled or a day old); send the file again.",
        },
        "faqi.changed": {
            "zh": "知识库在预览后有变化，重新检查时有行未通过，未导入任何内容：",
            "en": "The knowledge base changed since the preview and some rows no longer pass; nothing was imported:",
        },
        "faqi.sheet.type": {
            "zh": "只能导入 .xlsx、.xls 或 .csv 格式的问答表。",
            "en": "Only .xlsx, .xls or .csv FAQ sheets can be imported.",
        },
        "faqi.sheet.header": {
            "zh": "这不是问答表：表头需要包含“问题”和“答案”两列（另可有 相似问法、来源文件、条款、编号）。",
            "en": "Not an FAQ sheet: the header row needs the columns 问题 and 答案 (optional: 相似问法, 来源文件, 条款, 编号).",
        },
        "faqi.sheet.unreadable": {
            "zh": "无法读取这个文件（已损坏或不是 Excel/CSV 文件）。",
            "en": "This file cannot be read (damaged, or not an Excel/CSV file).",
        },
        "faqi.sheet.too_large": {
            "zh": "文件太大（最多 {mb} MB）。",
            "en": "The file is too large (at most {mb} MB).",
        },
        "faqi.sheet.empty": {"zh": "表中没有数据行。", "en": "The sheet has no data rows."},
        "faqi.sheet.too_many": {
            "zh": "一次最多导入 {rows} 行，请分成几个文件。",
            "en": "At most {rows} rows per import; split the sheet.",
        },
        "faqi.download_failed": {
            "zh": "❌ 文件接收失败：{reason}",
            "en": "❌ Could not receive the file: {reason}",
        },
        "faqi.reason.missing": {"zh": "缺少“{column}”", "en": "“{column}” is empty"},
        "faqi.reason.bad_id": {
            "zh": "编号“{id}”无效（只能用字母、数字、- _ .，最多 64 个字符）",
            "en": "bad id “{id}” (letters, digits, - _ . only, at most 64)",
        },
        "faqi.reason.unknown_source": {
            "zh": "知识库中没有来源文件“{source}”",
            "en": "no document “{source}” in the knowledge base",
        },
        "faqi.reason.ambiguous_source": {
            "zh": "来源文件“{source}”对应多个文件，请写文件路径",
            "en": "“{source}” matches several documents; give the file path",
        },
        "faqi.reason.not_current": {
            "zh": "《{title}》已不再施行，不能作为依据",
            "en": "“{title}” is no longer in force and cannot back an answer",
        },
        "faqi.reason.unknown_article": {
            "zh": "《{title}》中没有条款“{article}”",
            "en": "“{title}” has no article “{article}”",
        },
        "faqi.reason.ambiguous_article": {
            "zh": "《{title}》中有多处“{article}”，请写完整条款标题",
            "en": "“{article}” matches several sections of “{title}”; give the full heading",
        },
        "faqi.reason.number_not_in_article": {
            "zh": "答案中的数字 {numbers} 在{article}中找不到",
            "en": "the answer's figures {numbers} are not in {article}",
        },
        "faqi.reason.numbers_uncited": {
            "zh": "答案含有数字 {numbers}，但没有注明来源文件和条款",
            "en": "the answer has figures ({numbers}) but cites no document and article",
        },
        "faqi.reason.duplicate_in_file": {
            "zh": "问题“{question}”与第 {row} 行重复",
            "en": "question “{question}” repeats row {row}",
        },
        "faqi.reason.duplicate_existing": {
            "zh": "问题“{question}”已存在于问答 {id}",
            "en": "question “{question}” already belongs to FAQ entry {id}",
        },
        "faqi.reason.duplicate_id": {
            "zh": "编号 {id} 与第 {row} 行重复",
            "en": "id {id} repeats row {row}",
        },
        "canned.list_head": {"zh": "快捷回复（{n} 条）：", "en": "Canned replies ({n}):"},
        "canned.list_item": {"zh": "• {name}：{first}", "en": "• {name}: {first}"},
        "canned.list_empty": {
            "zh": "还没有快捷回复。管理员可用 /canned add 名称 文本 添加。",
            "en": "No canned replies yet. Admins add one with /canned add NAME TEXT.",
        },
        "canned.list_hint": {
            "zh": "在转人工会话中回复用户消息并发送 /c 名称 即可发送；可用变量：{variables}",
            "en": "In a handoff, reply to the user's message with /c NAME to send one; variables: {variables}",
        },
        "canned.usage_add": {
            "zh": "用法：/canned add 名称 文本（文本可多行，可用变量 {variables}）",
            "en": "Usage: /canned add NAME TEXT (several lines allowed; variables {variables})",
        },
        "canned.usage_remove": {
            "zh": "用法：/canned remove 名称",
            "en": "Usage: /canned remove NAME",
        },
        "canned.added": {
            "zh": "✅ 已保存快捷回复“{name}”。",
            "en": "✅ Saved canned reply “{name}”.",
        },
        "canned.updated": {
            "zh": "✅ 已更新快捷回复“{name}”。",
            "en": "✅ Updated canned reply “{name}”.",
        },
        "canned.removed": {
            "zh": "🗑 已删除快捷回复“{name}”。",
            "en": "🗑 Removed canned reply “{name}”.",
        },
        "canned.not_found": {
            "zh": "没有名为“{name}”的快捷回复。",
            "en": "No canned reply named “{name}”.",
        },
        "canned.bad_name": {
            "zh": "名称不能含空格，最多 {max} 个字符。",
            "en": "A name has no spaces and at most {max} characters.",
        },
        "canned.too_long": {
            "zh": "文本太长（最多 {max} 个字符）。",
            "en": "The text is too long (at most {max} characters).",
        },
        "canned.unknown_variables": {
            "zh": "未知变量：{names}。可用变量：{variables}",
            "en": "Unknown variables: {names}. Available: {variables}",
        },
        "canned.admins_only": {
            "zh": "抱歉，只有管理员可以添加或删除快捷回复。",
            "en": "Sorry, only admins can add or remove canned replies.",
        },
        "canned.usage_send": {
            "zh": "用法：回复转人工会话中的消息，发送 /c 名称（/canned 查看全部）。",
            "en": "Usage: reply to a message of a handoff with /c NAME (/canned lists them).",
        },
        "canned.no_case": {
            "zh": "请回复要发送的转人工会话中的消息（卡片或用户消息）后再发送 /c 名称。",
            "en": "Reply to a message of the handoff (its card or a user message) with /c NAME.",
        },
        "canned.missing": {
            "zh": "未发送：以下变量在此会话中没有值：{names}。请手动回复，或换一条快捷回复。",
            "en": "Not sent: these variables have no value in this case: {names}. Reply by hand or pick another.",
        },
        "canned.sent": {"zh": "✅ 已发送给 #{id}：\n{text}", "en": "✅ Sent to #{id}:\n{text}"},
        "canned.send_failed": {
            "zh": "未能发送给 #{id}（对方可能已停用机器人）。",
            "en": "Could not deliver to #{id} (the user may have blocked the bot).",
        },
    }
)

# ---- ISSUE 16 part 4: policy subscriptions and broadcasts (sub./bc.)
TEXTS.update(
    {
        "sub.topic.listing": {"zh": "上市", "en": "Listing"},
        "sub.topic.guarantee": {"zh": "担保与贷款", "en": "Guarantees and loans"},
        "sub.topic.funds": {"zh": "基金", "en": "Funds"},
        "sub.topic.other": {"zh": "其他", "en": "Other"},
        "sub.menu": {"zh": "🔔 订阅政策更新", "en": "🔔 Policy updates"},
        "sub.pick": {
            "zh": "选择要订阅的政策主题（点一下订阅，再点一下取消）。有新文件或文件更新时，我会通知您。",
            "en": "Choose the policy topics to follow (tap to subscribe, tap again to stop). I will tell you when a document is added or replaced.",
        },
        "sub.on": {"zh": "✅ {topic}", "en": "✅ {topic}"},
        "sub.off": {"zh": "☐ {topic}", "en": "☐ {topic}"},
        "sub.added": {"zh": "已订阅：{topic}", "en": "Subscribed: {topic}"},
        "sub.removed": {"zh": "已取消订阅：{topic}", "en": "Unsubscribed: {topic}"},
        "sub.list_head": {"zh": "您订阅的政策主题：", "en": "Your policy topics:"},
        "sub.list_item": {"zh": "• {topic}", "en": "• {topic}"},
        "sub.list_empty": {
            "zh": "您还没有订阅任何政策主题。用 /subscribe 选择主题。",
            "en": "You follow no policy topics yet. Choose some with /subscribe.",
        },
        "sub.btn.remove": {"zh": "取消订阅 {topic}", "en": "Unsubscribe {topic}"},
        "sub.btn.more": {"zh": "添加主题", "en": "Add topics"},
        "sub.unknown": {"zh": "这个主题已不存在。", "en": "That topic no longer exists."},
        "bc.notice_head": {"zh": "📢 政策更新｜{topic}", "en": "📢 Policy update | {topic}"},
        "bc.notice_title": {"zh": "《{title}》", "en": "“{title}”"},
        "bc.notice_number": {"zh": "文号：{value}", "en": "Document No.: {value}"},
        "bc.notice_effective": {"zh": "施行日期：{value}", "en": "In force from: {value}"},
        "bc.notice_new": {"zh": "变化：新发布的文件", "en": "What changed: a new document"},
        "bc.notice_replaces": {
            "zh": "变化：替代《{title}》{number}",
            "en": "What changed: replaces “{title}”{number}",
        },
        "bc.notice_unsub": {
            "zh": "（/subscriptions 管理订阅）",
            "en": "(/subscriptions to manage your topics)",
        },
        "bc.btn.ask": {"zh": "问一问这份文件", "en": "Ask about it"},
        "bc.ask_question": {"zh": "{title}", "en": "{title}"},
        "bc.doc_gone": {
            "zh": "这份文件已不在知识库中。",
            "en": "That document is no longer in the knowledge base.",
        },
        "bc.confirm": {
            "zh": "是否通知订阅“{topic}”的 {n} 位用户？他们将收到：",
            "en": "Notify the {n} subscribers of “{topic}”? They will get:",
        },
        "bc.no_subscribers": {
            "zh": "“{topic}”暂无订阅者，无需发送通知。",
            "en": "Nobody follows “{topic}” yet: no notice to send.",
        },
        "bc.btn.send": {"zh": "发送通知（{n} 人）", "en": "Send the notice ({n})"},
        "bc.btn.skip": {"zh": "不发送", "en": "Do not send"},
        "bc.started": {
            "zh": "📤 正在通知 {n} 位订阅者，完成后会告诉您结果。",
            "en": "📤 Notifying {n} subscribers; I will report when it is done.",
        },
        "bc.skipped": {"zh": "已取消，未发送通知。", "en": "Cancelled; no notice was sent."},
        "bc.stale": {
            "zh": "这条通知已经处理过了，或已过期（两天内未确认）。如需发送，请用 /notify 文档ID。",
            "en": "This notice was already dealt with, or has lapsed (not confirmed within two days). To send it, use /notify DOC_ID.",
        },
        "bc.report": {
            "zh": "📬 《{title}》的通知已发送完毕：共 {total} 位订阅者\n已送达 {sent}，已屏蔽机器人 {blocked}（已为其取消订阅），发送失败 {failed}。",
            "en": "📬 The notice of “{title}” is done: {total} subscribers\nsent {sent}, blocked the bot {blocked} (unsubscribed), failed {failed}.",
        },
        "bc.usage_notify": {"zh": "用法：/notify 文档ID", "en": "Usage: /notify DOC_ID"},
        "bc.not_current": {
            "zh": "文档 {doc_id} 不存在或不是现行文件，不能通知。",
            "en": "Document {doc_id} does not exist or is not in force: no notice.",
        },
    }
)
