"""Charts for the official documents, drawn by matplotlib: SVG for the PDF (inlined, vector, text kept as
text in the document's fonts) and PNG for Word. Only our own generated SVG is ever inlined; labels are
escaped by matplotlib's SVG writer. Output is reproducible: no dates, a fixed hash salt, fixed sizes."""

from __future__ import annotations

import hashlib
import io
import re
import threading
from collections.abc import Sequence
from datetime import date
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from markupsafe import Markup

# The 仿宋 stand-in of the PDF (docs/fonts.md); Word shows the PNG, so its pixels carry the same face.
FONT = ["Noto Serif CJK SC", "Noto Sans CJK SC", "DejaVu Sans"]
SIZE_IN = (5.6, 2.8)  # fits the 156 mm text area at 91 % width
PNG_DPI = 150
_lock = threading.Lock()  # pyplot keeps global state


def _style() -> Any:  # matplotlib types the rc keys as Literals
    return {
        "font.family": FONT,
        "font.size": 10.5,
        "svg.fonttype": "none",
        "svg.hashsalt": "election-docs",
        "axes.spines.top": False,
        "axes.spines.right": False,
    }


def _outputs(fig: plt.Figure) -> tuple[Markup, bytes]:
    svg_buf, png_buf = io.StringIO(), io.BytesIO()
    fig.savefig(svg_buf, format="svg", metadata={"Date": None, "Creator": None})
    fig.savefig(png_buf, format="png", dpi=PNG_DPI, metadata={"Software": None})
    plt.close(fig)
    svg = svg_buf.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration and DOCTYPE: the SVG goes inline into HTML
    svg = re.sub(r'width="[\d.]+pt" height="[\d.]+pt"', 'width="100%"', svg, count=1)
    # matplotlib names its elements figure_1, patch_1 …: two charts inline in one page would define each anchor
    # twice, so every id (and every reference to one) gets a prefix of its own chart
    prefix = "c" + hashlib.sha256(svg.encode()).hexdigest()[:8] + "-"
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}\1"', svg)
    svg = re.sub(r'(href="#|url\(#)', rf"\1{prefix}", svg)
    return Markup(svg), png_buf.getvalue()


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float], unit: str) -> tuple[Markup, bytes]:
    """A bar chart with values over the bars: (SVG markup, PNG bytes)."""
    with _lock, plt.rc_context(_style()):
        fig, ax = plt.subplots(figsize=SIZE_IN)
        bars = ax.bar(list(labels), list(values), color="#4d4d4d", width=0.55)
        ax.bar_label(bars, labels=[f"{v:g}{unit}" for v in values], padding=2)
        ax.set_title(title, fontsize=12)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.margins(y=0.2)
        fig.tight_layout()
        return _outputs(fig)


def timeline(title: str, stages: Sequence[tuple[str, date, date]], fmt: str = "%m-%d") -> tuple[Markup, bytes]:
    """A Gantt-like timeline of stages (name, start, end): (SVG markup, PNG bytes)."""
    with _lock, plt.rc_context(_style()):
        fig, ax = plt.subplots(figsize=SIZE_IN)  # fixed: the Word template holds a picture of this size
        first = min(s for _, s, _ in stages)
        for i, (_name, start, end) in enumerate(stages):
            left, width = (start - first).days, (end - start).days + 1
            ax.barh(i, width, left=left, color="#4d4d4d", height=0.5)
            ax.text(left + width + 0.5, i, f"{start.strftime(fmt)}—{end.strftime(fmt)}", va="center", fontsize=9)
        ax.set_yticks(range(len(stages)), [n for n, _, _ in stages])
        ax.invert_yaxis()
        ax.set_xticks([])
        ax.spines["bottom"].set_visible(False)
        last = max((e - first).days for _, _, e in stages)
        ax.set_xlim(0, last * 1.35 + 4)
        ax.set_title(title, fontsize=12)
        fig.tight_layout()
        return _outputs(fig)


class ChartBox:
    """The charts of one render, drawn when a template asks for them, in the template's language.

    ``svg`` returns inline SVG for the HTML; ``docx`` draws the PNG into ``media`` under the Word part name
    the template's placeholder picture has (``word/media/imageN.png``, N in the kind's chart order) and
    returns an empty string. The DOCX renderer swaps those parts after the XML parts are rendered."""

    def __init__(
        self,
        names: Sequence[str],
        data: dict[str, tuple[str, Sequence[str], Sequence[float]]],
        stages: Sequence[tuple[str, date, date]] = (),
    ) -> None:
        self.names, self.data, self.stages = tuple(names), data, tuple(stages)
        self.media: dict[str, bytes] = {}

    def _draw(self, name: str, title: str, unit: str) -> tuple[Markup, bytes]:
        if name == "timeline":
            return timeline(title, self.stages)
        labels, values = self.data[name][1], self.data[name][2]
        return bar_chart(title, labels, values, unit)

    def svg(self, name: str, title: str, unit: str = "") -> Markup:
        """The chart as inline SVG."""
        return self._draw(name, title, unit)[0]

    def docx(self, name: str, title: str, unit: str = "") -> str:
        """Draw the chart's PNG for Word; the picture is already in the template."""
        self.media[f"word/media/image{self.names.index(name) + 1}.png"] = self._draw(name, title, unit)[1]
        return ""
