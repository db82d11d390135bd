"""Swimlane flow diagrams of internal procedures, laid out by procreg itself.

Pure: a procedure's graph (``procedures.graph.procedure_subgraph``) -> ``layout_procedure`` -> a ``Layout``
(lanes, boxes, arrows, all in integer pixels) -> ``render_svg`` / ``render_mermaid`` / ``render_dot`` /
``render_bpmn`` strings.

- ``layout``: the swimlane layout and its dataclasses (``Layout``, ``Lane``, ``LaidNode``, ``LaidEdge``);
- ``svg``, ``mermaid``, ``dot``, ``bpmn``: one renderer per output format, each reading only a ``Layout``;
- ``units``: the units-by-procedures overview (text table, SVG matrix);
- ``gallery``: the HTML gallery of ``diagram --all``;
- ``common``: colours and fonts, XML escaping, text measuring and wrapping, hours as printed.
"""

from __future__ import annotations

from collections.abc import Callable

from .bpmn import render_bpmn
from .common import (
    FONT_STACK,
    HOURS_PER_DAY,
    ascii_name,
    format_duration,
    format_hours,
    text_width,
    wrap_paragraphs,
    wrap_text,
)
from .dot import render_dot
from .gallery import GalleryEntry, gallery_entry, render_gallery
from .layout import LaidEdge, LaidNode, Lane, Layout, TextLine, layout_procedure
from .mermaid import render_mermaid
from .svg import render_svg
from .units import render_units_svg, render_units_text, units_data

__all__ = [
    "FONT_STACK",
    "FORMATS",
    "RENDERERS",
    "HOURS_PER_DAY",
    "GalleryEntry",
    "Layout",
    "LaidEdge",
    "LaidNode",
    "Lane",
    "TextLine",
    "ascii_name",
    "format_duration",
    "format_hours",
    "gallery_entry",
    "layout_procedure",
    "render_bpmn",
    "render_dot",
    "render_gallery",
    "render_mermaid",
    "render_svg",
    "render_units_svg",
    "render_units_text",
    "text_width",
    "units_data",
    "wrap_paragraphs",
    "wrap_text",
]

# The diagram formats and their renderers, in the order the CLI offers them.
RENDERERS: dict[str, Callable[[Layout], str]] = {
    "svg": render_svg,
    "mermaid": render_mermaid,
    "dot": render_dot,
    "bpmn": render_bpmn,
}
FORMATS: tuple[str, ...] = tuple(RENDERERS)
