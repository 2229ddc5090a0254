"""Laying a chart out in inches on a bare ``Figure``: a header (title, subtitle, legend), a
body, a footer (notes, the source line).

Everything is placed by arithmetic, top down, and drawn straight onto the figure in inches
(``figure.dpi_scale_trans``): no Axes (each costs milliseconds to make and to draw) and
nothing measured after drawing. Body coordinates: x in inches from the figure's left edge,
y in inches down from the top of the body. A :class:`Scale` turns percentages into x.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.patheffects import withStroke

from consult.reporting import palette, text
from consult.reporting.figure import LINE, MARGIN, WIDTH, wrap

#: About how wide a character is at each size (DejaVu Sans), in inches: for the legend.
CHARACTER = {palette.VALUE_SIZE: 0.085}
SWATCH = (0.2, 0.14)
LEGEND_ROW = 0.27


class Scale:
    """Percent (``low``–``high``) to inches (``left``–``right``)."""

    def __init__(self, left: float, right: float, low: float = 0.0, high: float = 100.0):
        self.left, self.right, self.low, self.high = left, right, low, high
        self.per_point = (right - left) / (high - low)

    def __call__(self, value: float) -> float:
        return self.left + (value - self.low) * self.per_point

    def length(self, span: float) -> float:
        return span * self.per_point


class Canvas:
    """One chart's figure, built from the top down."""

    def __init__(
        self,
        title: str,
        subtitle: str,
        *,
        legend: Sequence[tuple[str, str]] = (),
        notes: Sequence[str] = (),
        source: str,
    ) -> None:
        self.title_lines = wrap(title, palette.TITLE_SIZE)
        self.subtitle_lines = wrap(subtitle, palette.SUBTITLE_SIZE) if subtitle else []
        self.legend = self._flow(legend)
        self.note_lines = [line for note in notes for line in wrap(note, palette.SOURCE_SIZE)]
        self.source_lines = wrap(source, palette.SOURCE_SIZE)
        self.figure: Figure | None = None
        self.height = self.top = 0.0

    @staticmethod
    def _flow(legend: Sequence[tuple[str, str]]) -> list[tuple[float, int, str, str]]:
        """(x, row, label, colour) of each legend entry, left to right, wrapping rows."""
        placed, x, row = [], MARGIN, 0
        for label, colour in legend:
            width = SWATCH[0] + 0.08 + CHARACTER[palette.VALUE_SIZE] * len(label) + 0.3
            if x > MARGIN and x + width > WIDTH - MARGIN:
                x, row = MARGIN, row + 1
            placed.append((x, row, label, colour))
            x += width
        return placed

    def header_height(self) -> float:
        rows = self.legend[-1][1] + 1 if self.legend else 0
        return (
            0.2
            + LINE[palette.TITLE_SIZE] * len(self.title_lines)
            + LINE[palette.SUBTITLE_SIZE] * len(self.subtitle_lines)
            + (0.1 + LEGEND_ROW * rows if rows else 0)
            + 0.15
        )

    def footer_height(self) -> float:
        return 0.15 + LINE[palette.SOURCE_SIZE] * (len(self.note_lines) + len(self.source_lines))

    def start(self, body_height: float) -> Figure:
        """The figure, with its header and footer drawn; the body is ``body_height`` high."""
        self.top = self.header_height()
        self.height = self.top + body_height + self.footer_height()
        self.figure = Figure(figsize=(WIDTH, self.height), dpi=100, facecolor="white")
        FigureCanvasAgg(self.figure)
        self._header()
        self._footer(body_height)
        return self.figure

    def _y(self, y: float) -> float:
        """Body y (inches down from the body's top) to figure inches (up from the bottom)."""
        return self.height - self.top - y

    def text(self, x: float, y: float, value: str, **kw: Any) -> None:
        """Text at body coordinates; ``lines`` of a wrapped label are joined."""
        assert self.figure is not None
        self.figure.text(
            x,
            self._y(y),
            value,
            transform=self.figure.dpi_scale_trans,
            va=kw.pop("va", "top"),
            ha=kw.pop("ha", "left"),
            fontsize=kw.pop("size", palette.LABEL_SIZE),
            color=kw.pop("colour", palette.TEXT),
            family=palette.FONT,
            linespacing=1.25,
            parse_math=False,
            **kw,
        )

    def rectangles(
        self,
        boxes: Sequence[tuple[float, float, float, float]],
        colours: Sequence[str] | str,
        *,
        edge: str = "none",
        linewidth: float = 0.0,
    ) -> None:
        """Rectangles (x, y of the top, width, height), body coordinates, in one artist."""
        assert self.figure is not None
        if not boxes:
            return
        patches = [Rectangle((x, self._y(y) - h), w, h) for x, y, w, h in boxes]
        self.figure.add_artist(
            PatchCollection(
                patches,
                facecolors=colours,
                edgecolors=edge,
                linewidths=linewidth,
                transform=self.figure.dpi_scale_trans,
                zorder=2,
            )
        )

    def lines(
        self,
        segments: Sequence[tuple[tuple[float, float], tuple[float, float]]],
        *,
        colour: str = palette.TEXT,
        width: float = 1.3,
        zorder: float = 3,
        halo: bool = False,
    ) -> None:
        """Straight lines ((x0, y0), (x1, y1)), body coordinates, in one artist; with a white
        ``halo`` they stay visible over dark bars."""
        assert self.figure is not None
        if not segments:
            return
        collection = LineCollection(
            [[(x0, self._y(y0)), (x1, self._y(y1))] for (x0, y0), (x1, y1) in segments],
            colors=colour,
            linewidths=width,
            transform=self.figure.dpi_scale_trans,
            zorder=zorder,
        )
        if halo:
            collection.set_path_effects([withStroke(linewidth=width + 2, foreground="white")])
        self.figure.add_artist(collection)

    def grid(self, scale: Scale, ticks: Sequence[float], bottom: float) -> None:
        """Light vertical lines at ``ticks`` (percent) down to ``bottom``, labelled under it."""
        self.lines(
            [((scale(t), 0.0), (scale(t), bottom)) for t in ticks],
            colour=palette.GRID,
            width=0.8,
            zorder=1,
        )
        for tick in ticks:
            self.text(
                scale(tick),
                bottom + 0.05,
                text.percent(abs(tick)),
                ha="center",
                size=palette.SOURCE_SIZE,
                colour=palette.MUTED,
            )

    def axes(self, body_height: float, *, left: float, right: float, bottom: float) -> Axes:
        """Ordinary axes over the body (for a line chart), with ``bottom`` inches for labels."""
        assert self.figure is not None
        footer = self.footer_height()
        return self.figure.add_axes(
            (
                left / WIDTH,
                (footer + bottom) / self.height,
                (WIDTH - left - right) / WIDTH,
                (body_height - bottom) / self.height,
            )
        )

    def _furniture(self, y: float, value: str, size: float, **kw: Any) -> None:
        """A line of the header or footer, ``y`` inches from the figure's top."""
        assert self.figure is not None
        self.figure.text(
            MARGIN,
            self.height - y,
            value,
            transform=self.figure.dpi_scale_trans,
            va="top",
            ha="left",
            fontsize=size,
            color=kw.pop("colour", palette.TEXT),
            family=palette.FONT,
            parse_math=False,
            **kw,
        )

    def _header(self) -> None:
        y = 0.2
        for line in self.title_lines:
            self._furniture(y, line, palette.TITLE_SIZE, weight="bold")
            y += LINE[palette.TITLE_SIZE]
        for line in self.subtitle_lines:
            self._furniture(y, line, palette.SUBTITLE_SIZE, colour=palette.MUTED)
            y += LINE[palette.SUBTITLE_SIZE]
        if not self.legend:
            return
        y += 0.1
        boxes, colours = [], []
        for x, row, label, colour in self.legend:
            top = y + row * LEGEND_ROW
            boxes.append((x, top + 0.03 - self.top, *SWATCH))
            colours.append(colour)
            self._furniture(top, label, palette.VALUE_SIZE)
            self.figure.texts[-1].set_x(x + SWATCH[0] + 0.08)
        self.rectangles(boxes, colours, edge=palette.EDGE, linewidth=0.5)

    def _footer(self, body_height: float) -> None:
        y = self.top + body_height + 0.12
        for line in [*self.note_lines, *self.source_lines]:
            self._furniture(y, line, palette.SOURCE_SIZE, colour=palette.MUTED)
            y += LINE[palette.SOURCE_SIZE]
