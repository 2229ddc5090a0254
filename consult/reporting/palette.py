"""Colours and type for charts: readable on a slide, in greyscale and with colour blindness.

* One series: Okabe–Ito blue, with black whiskers.
* Categories side by side (cross-tabulations): colours sampled from viridis, so that each
  differs from its neighbour in lightness as well as hue and survives greyscale printing.
* Scales: ColorBrewer's orange–purple diverging scheme (safe for the common colour-vision
  deficiencies); the further from the middle, the darker; the middle point is grey.
* "Don't know" and hidden parts: grey, never a colour of the scale.
"""

from __future__ import annotations

from matplotlib import colormaps
from matplotlib.colors import to_hex, to_rgb

#: Okabe & Ito (2008), "Color universal design": eight colours distinguishable by all.
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
BAR = OKABE_ITO[0]
LINE = OKABE_ITO[0]
TEXT = "#1a1a1a"
MUTED = "#4d4d4d"
GRID = "#d0d0d0"
EDGE = "#333333"
NEUTRAL = "#bdbdbd"
DONT_KNOW = "#8c8c8c"

FONT = "DejaVu Sans"
#: Type sizes in points, for a figure 8 inches wide that goes on a slide.
TITLE_SIZE = 16
SUBTITLE_SIZE = 12
LABEL_SIZE = 12.5
VALUE_SIZE = 11.5
SOURCE_SIZE = 10


def categorical(count: int) -> list[str]:
    """``count`` colours for categories drawn side by side, darkest first."""
    if count <= 1:
        return [BAR]
    cmap = colormaps["viridis"]
    return [to_hex(cmap(0.92 * i / (count - 1))) for i in range(count)]


def diverging(count: int) -> list[str]:
    """``count`` colours for the points of a scale, lowest point first; the middle one grey."""
    cmap = colormaps["PuOr"]
    if count == 1:
        return [NEUTRAL]
    colours = [to_hex(cmap(0.08 + 0.84 * i / (count - 1))) for i in range(count)]
    if count % 2:
        colours[count // 2] = NEUTRAL
    return colours


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2) of a colour, 0 (black) to 1 (white)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def lightness(colour: str) -> float:
    """CIELAB lightness L* (0 black – 100 white): what is left of a colour in greyscale."""
    y = luminance(colour)
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else y * 24389 / 27


def text_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour``."""
    return "#000000" if luminance(colour) > 0.18 else "#ffffff"
