"""Policy Q&A: the service, the DTOs it returns, and the shared layout every medium renders."""

from bot.answers.explain import ExplainedEntry, Explanation, explanation_lines
from bot.answers.followup import Turn
from bot.answers.intents import ChatIntent
from bot.answers.layout import citation_line, layout, quote_text, render_plain
from bot.answers.models import Answer, Band, Hit, Notice, Suggestion, Thresholds
from bot.answers.question import MAX_QUESTION_CHARS, is_cut, prepare_question
from bot.answers.service import AnswerService

__all__ = [
    "MAX_QUESTION_CHARS",
    "Answer",
    "AnswerService",
    "Band",
    "ChatIntent",
    "ExplainedEntry",
    "Explanation",
    "Hit",
    "Notice",
    "Suggestion",
    "Thresholds",
    "Turn",
    "citation_line",
    "explanation_lines",
    "is_cut",
    "layout",
    "prepare_question",
    "quote_text",
    "render_plain",
]
