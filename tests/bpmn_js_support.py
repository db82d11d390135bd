"""procreg's BPMN opened in bpmn-js (the vendored viewer bundle) in a Playwright-driven Chromium page.

Shared by tests/test_bpmn_js.py and samples/bpmn_js_screenshot.py. ``open_bpmn(page, xml)`` loads the
viewer into a blank page, runs ``importXML`` and returns what bpmn-js made of the file: its warnings or
error, and every element of its element registry with its bounds (shapes), waypoints (connections), the
name bpmn-js reads and the box its rendered text takes on the canvas.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VIEWER = ROOT / "tests" / "vendor" / "bpmn-js" / "bpmn-viewer.production.min.js"
PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'>"
    "<style>html,body{margin:0;background:#fff}#canvas{width:100vw;height:100vh}</style></head>"
    "<body><div id='canvas'></div></body></html>"
)

# Runs in the page: import the XML, then read the element registry. Text boxes come from getBBox() of
# each element's rendered <text>, through its transform (lane names are turned), in canvas coordinates.
_IMPORT = """
async (xml) => {
  const viewer = new BpmnJS({ container: '#canvas' });
  window.bpmnViewer = viewer;
  let result;
  try {
    result = await viewer.importXML(xml);
  } catch (err) {
    return { error: String(err && err.message || err),
             warnings: (err && err.warnings || []).map(w => String(w.message)), elements: [] };
  }
  const registry = viewer.get('elementRegistry');
  const elements = registry.getAll().filter(e => e.parent).map(e => {
    const bo = e.businessObject || {};
    const gfx = registry.getGraphics(e);
    const texts = gfx ? Array.from(gfx.querySelectorAll('text')) : [];
    let text = null;
    if (texts.length) {
      // Each <text> box in canvas coordinates: its bbox through its CTM, back through the layer's.
      const layer = viewer.get('canvas').getActiveLayer();
      const toCanvas = layer.getCTM().inverse();
      const corners = texts.flatMap(t => {
        const b = t.getBBox(), m = toCanvas.multiply(t.getCTM());
        return [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]]
          .map(([x, y]) => new DOMPoint(x, y).matrixTransform(m));
      });
      const xs = corners.map(p => p.x), ys = corners.map(p => p.y);
      text = { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs),
               height: Math.max(...ys) - Math.min(...ys),
               lines: texts.flatMap(t => Array.from(t.querySelectorAll('tspan')).map(s => s.textContent)) };
    }
    return {
      id: e.id, type: e.type, name: bo.name === undefined ? null : bo.name,
      x: e.x === undefined ? null : e.x, y: e.y === undefined ? null : e.y,
      width: e.width === undefined ? null : e.width, height: e.height === undefined ? null : e.height,
      hasDi: !!e.di, parent: e.parent ? e.parent.id : null,
      labelTarget: e.labelTarget ? e.labelTarget.id : null,
      source: e.source ? e.source.id : null, target: e.target ? e.target.id : null,
      waypoints: e.waypoints ? e.waypoints.map(p => [p.x, p.y]) : null,
      flowNodeRef: (bo.flowNodeRef || []).map(r => r.id),
      text,
    };
  });
  return { error: null, warnings: result.warnings.map(w => String(w.message)), elements };
}
"""


def open_bpmn(page: Any, xml: str) -> dict[str, Any]:
    """Import ``xml`` into a fresh bpmn-js Viewer in ``page``; what bpmn-js read and drew.

    Returns a dict with ``error`` (None or the import's error message), ``warnings`` (the import's
    warnings) and ``elements`` (one dict per element-registry entry but the root, see ``_IMPORT``).
    """
    page.set_content(PAGE)
    page.add_script_tag(path=str(VIEWER))
    result: dict[str, Any] = page.evaluate(_IMPORT, xml)
    return result


def show_whole(page: Any, margin: int = 20) -> tuple[int, int]:
    """Resize the page to the diagram at zoom 1 (plus ``margin``) and show all of it; the page's size."""
    inner = page.evaluate("() => window.bpmnViewer.get('canvas').viewbox().inner")
    width, height = int(inner["width"]) + 2 * margin, int(inner["height"]) + 2 * margin
    page.set_viewport_size({"width": width, "height": height})
    box = {"x": inner["x"] - margin, "y": inner["y"] - margin, "width": width, "height": height}
    page.evaluate("(box) => window.bpmnViewer.get('canvas').viewbox(box)", box)
    return width, height
