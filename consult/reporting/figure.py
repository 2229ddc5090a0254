"""A chart as the report uses it: its figure, title, alt text, source line and table, and
its output as PNG (screen and print) and SVG.

Matplotlib's object API only (``Figure`` on the Agg canvas, never ``pyplot``: it keeps global
state). How a chart is laid out is :mod:`consult.reporting.canvas`.
"""

from __future__ import annotations

import base64
import io
import textwrap
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from consult.reporting import palette
from consult.reporting.tables import Table

WIDTH = 8.0  # inches: 800 px at 100 dpi, 1600 px at 200 dpi
MARGIN = 0.25  # inches, left and right
LINE = {
    palette.TITLE_SIZE: 0.29,
    palette.SUBTITLE_SIZE: 0.22,
    palette.LABEL_SIZE: 0.225,
    palette.SOURCE_SIZE: 0.19,
}
#: Characters per line before text is wrapped (DejaVu Sans, the figure's full width).
WRAP = {
    palette.TITLE_SIZE: 60,
    palette.SUBTITLE_SIZE: 86,
    palette.LABEL_SIZE: 78,
    palette.SOURCE_SIZE: 100,
}
#: Under bars: room for the percent axis' labels.
AXIS_SPACE = 0.3
SVG_METADATA = {"Date": None, "Creator": "consult"}
#: Unhinted glyphs: three times faster to draw, and no different to read at 100 dpi and up.
RENDERING = {"text.hinting": "no_hinting", "svg.fonttype": "path", "svg.hashsalt": "consult"}


@dataclass
class Chart:
    """One chart: its figure, and the words and numbers that go with it."""

    key: str
    kind: str  # bars, diverging, grouped, trend
    title: str
    subtitle: str
    source: str
    #: One or a few sentences describing the data, in the report's language.
    alt: str
    table: Table
    #: What is drawn: one entry per bar, segment or point (hidden cells are not among them).
    data: list[dict[str, Any]]
    figure: Figure = field(repr=False)

    @property
    def size(self) -> tuple[float, float]:
        """Width and height in inches."""
        width, height = self.figure.get_size_inches()
        return float(width), float(height)

    def png(self, dpi: int = 100, *, compress_level: int = 6) -> bytes:
        """An opaque (RGB) PNG: ``WIDTH`` × ``dpi`` pixels wide (800 at 100 dpi)."""
        figure, screen = self.figure, self.figure.dpi
        figure.set_dpi(dpi)
        try:
            with matplotlib.rc_context(RENDERING):
                figure.canvas.draw()
            pixels = np.asarray(figure.canvas.buffer_rgba())[:, :, :3]
            image = Image.fromarray(np.ascontiguousarray(pixels), "RGB")
        finally:
            figure.set_dpi(screen)
        buffer = io.BytesIO()
        info = PngInfo()
        info.add_text("Software", "consult")
        image.save(buffer, "png", compress_level=compress_level, dpi=(dpi, dpi), pnginfo=info)
        return buffer.getvalue()

    def svg(self) -> bytes:
        """Scalable, with text drawn as paths (no font needed), a ``<title>`` and ``<desc>``."""
        buffer = io.BytesIO()
        with matplotlib.rc_context(RENDERING):
            self.figure.savefig(buffer, format="svg", metadata=SVG_METADATA)
        document = buffer.getvalue().decode("utf-8")
        start = document.index("<svg ")
        end = document.index(">", start) + 1
        described = f"<title>{escape(self.title)}</title><desc>{escape(self.alt)}</desc>"
        return (document[:end] + described + document[end:]).encode("utf-8")

    def data_uri(self, image: str = "svg", dpi: int = 200) -> str:
        """The chart as a ``data:`` address, for a self-contained document. (A PNG here is
        for WeasyPrint, which compresses it again: it is compressed lightly.)"""
        if image == "svg":
            return "data:image/svg+xml;base64," + base64.b64encode(self.svg()).decode("ascii")
        png = self.png(dpi, compress_level=1)
        return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def wrap(value: str, size: float, width: int | None = None) -> list[str]:
    return textwrap.wrap(value, width or WRAP.get(size, 78), break_long_words=True) or [""]


def label_lines(value: str, share: float = 1.0) -> list[str]:
    """A bar's label wrapped to ``share`` of the figure's width."""
    return wrap(value, palette.LABEL_SIZE, int(WRAP[palette.LABEL_SIZE] * share))
