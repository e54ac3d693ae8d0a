"""Policy Q&A: the service, the DTOs it returns, and the shared layout every medium renders."""

from bot.answers.layout import citation_line, layout, quote_text, render_plain
from bot.answers.models import Answer, Band, Hit, Notice, Suggestion, Thresholds
from bot.answers.question import MAX_QUESTION_CHARS, prepare_question
from bot.answers.service import AnswerService

__all__ = [
    "MAX_QUESTION_CHARS",
    "Answer",
    "AnswerService",
    "Band",
    "Hit",
    "Notice",
    "Suggestion",
    "Thresholds",
    "citation_line",
    "layout",
    "prepare_question",
    "quote_text",
    "render_plain",
]
