"""The /stats chart: one portrait PNG with three panels, readable on a phone.

Drawn with matplotlib's Agg backend (no display, safe in a worker thread when a figure is
built per call with the object API rather than pyplot's global state). Chinese is drawn
only when a CJK font is installed; otherwise every label is ASCII (document ids, English
words), because a missing glyph renders as an empty box. The Chinese wording is in the
text summary sent beside the chart either way.
"""

from __future__ import annotations

import asyncio
import functools
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.stats import BANDS, DayBands, QaStats
from bot.texts import t

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn: 0.5 s off every start-up
    from matplotlib.axes import Axes

BAND_COLOURS = {"answer": "#2e7d32", "suggest": "#f9a825", "none": "#c62828"}
BAND_LABELS = {"answer": "answered", "suggest": "suggested", "none": "declined"}
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)
FONT_SIZE = 15
LABEL_CHARS = 40
MAX_DAILY_BARS = 62


@functools.cache
def cjk_font() -> str | None:
    """An installed font family that has Chinese glyphs, or None (labels stay ASCII)."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FAMILIES if name in installed), None)


def _label(text: str, fallback: str, cjk: bool) -> str:
    """`text` where it can be drawn, else the ASCII `fallback`; shortened to fit a phone."""
    chosen = text if cjk or text.isascii() else fallback
    if not chosen.isascii() and not cjk:
        chosen = chosen.encode("ascii", "replace").decode()
    return chosen if len(chosen) <= LABEL_CHARS else chosen[: LABEL_CHARS - 1] + "…"


def render_png(stats: QaStats) -> bytes:
    """The chart as PNG bytes (CPU work: call it in `asyncio.to_thread`)."""
    font = cjk_font()
    rc: dict[Any, Any] = {"font.size": FONT_SIZE}
    if font is not None:
        rc["font.family"] = [font, "DejaVu Sans"]
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.2, 12.8), dpi=100, layout="constrained")
    with rc_context(rc):
        top, middle, bottom = fig.subplots(3, 1, height_ratios=(1.2, 1, 1))
        _bands(top, stats)
        _cited(middle, stats, cjk=font is not None)
        _requests(bottom, stats)
        fig.suptitle(f"Q&A {stats.start:%Y-%m-%d} – {stats.end:%Y-%m-%d}", fontsize=FONT_SIZE + 3)
        buffer = io.BytesIO()
        FigureCanvasAgg(fig).print_png(buffer)
    return buffer.getvalue()


def buckets(days: Sequence[DayBands]) -> tuple[str, list[DayBands]]:
    """Days as they are, or, beyond two months, weeks (a year of daily bars is a smear on a
    phone); each bucket is named by its first day."""
    if len(days) <= MAX_DAILY_BARS:
        return "day", list(days)
    weeks = []
    for n in range(0, len(days), 7):
        week = days[n : n + 7]
        weeks.append(DayBands(week[0].day, *(sum(getattr(d, b) for d in week) for b in BANDS)))
    return "week", weeks


def _bands(ax: Axes, stats: QaStats) -> None:
    """Stacked bars: questions per day (or week) by band."""
    unit, bars = buckets(stats.days)
    names = [d.day.strftime("%m-%d") for d in bars]
    bottom = [0] * len(names)
    for band in BANDS:
        values = [getattr(d, band) for d in bars]
        ax.bar(names, values, bottom=bottom, color=BAND_COLOURS[band], label=BAND_LABELS[band])
        bottom = [a + b for a, b in zip(bottom, values, strict=True)]
    rate = "-" if stats.like_rate is None else f"{stats.like_rate:.0f}%"
    ax.set_title(
        f"Questions per {unit}: {stats.questions} in all\n"
        f"thumbs-up {rate} of {stats.likes + stats.dislikes}"
    )
    ax.legend(loc="upper left", fontsize=FONT_SIZE - 3)
    step = max(1, len(names) // 7)
    ax.set_xticks(range(0, len(names), step), names[::step], rotation=45, ha="right")
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max([*bottom, 1]) * 1.35)  # room for the legend above the bars


def _labelled_bars(ax: Axes, items: list[tuple[str, int]], colour: str) -> None:
    """Horizontal bars, each named above its bar (long names would squeeze a phone-width
    panel as tick labels) and counted at its end; the first item on top."""
    ax.set_yticks([])
    if not items:
        ax.text(0.5, 0.5, "none", ha="center", va="center", transform=ax.transAxes)
        ax.set_xticks([])
        return
    ys = list(range(len(items) - 1, -1, -1))
    bars = ax.barh(ys, [n for _, n in items], height=0.45, color=colour)
    ax.bar_label(bars, padding=4)
    for y, (label, _n) in zip(ys, items, strict=True):
        ax.text(0, y + 0.3, label, va="bottom", ha="left", fontsize=FONT_SIZE - 2)
    ax.set_ylim(-0.5, len(items) - 0.1)
    ax.set_xlim(0, max(n for _, n in items) * 1.15)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _cited(ax: Axes, stats: QaStats, *, cjk: bool) -> None:
    """The most-cited documents (titles with a CJK font, ids without)."""
    labels = [f"{n}. {_label(c.title, c.doc_id, cjk)}" for n, c in enumerate(stats.documents, 1)]
    _labelled_bars(ax, list(zip(labels, (c.count for c in stats.documents), strict=True)),
                   "#1565c0")  # fmt: skip
    ax.set_title("Most-cited documents")


def _requests(ax: Axes, stats: QaStats) -> None:
    """Requests by status, with the SLA and handoff figures in the title."""
    counts = sorted(stats.requests.by_status.items(), key=lambda kv: (-kv[1], kv[0]))
    _labelled_bars(ax, [(t(f"req.status.{status}", "en"), n) for status, n in counts], "#6a1b9a")
    sla = "-" if stats.sla.percent is None else f"{stats.sla.percent:.0f}%"
    rating = stats.handoffs.mean_rating
    rated = "-" if rating is None else f"{rating:.1f}/5"
    ax.set_title(
        f"Requests: {stats.requests.total}, SLA met {sla}\n"
        f"Handoffs: {stats.handoffs.total}, rating {rated}",
    )


async def chart_png(stats: QaStats) -> bytes:
    """`render_png` off the event loop (a chart takes a few hundred milliseconds of CPU)."""
    return await asyncio.to_thread(render_png, stats)
