"""The ``diagram --all`` gallery: one self-contained index.html (search box, unit filter, previews)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from procreg.registry.models import ProcedureRecord
from procreg.text import fold

from .common import format_hours, xml_attr

__all__ = ["GalleryEntry", "gallery_entry", "render_gallery"]


@dataclass(frozen=True, slots=True)
class GalleryEntry:
    """One procedure in the ``diagram --all`` gallery."""

    file: str  # diagram file name, relative to index.html
    code: str | None
    name: str
    units: tuple[str, ...]
    steps: int
    counted_hours: float
    time_limit: str | None
    over_limit: bool
    field: str | None = None


def gallery_entry(record: ProcedureRecord, file: str, over_limit: bool) -> GalleryEntry:
    """The gallery card of a procedure whose diagram was written to ``file`` (relative to index.html)."""
    return GalleryEntry(
        file=file,
        code=record.code,
        name=record.name,
        units=tuple(dict.fromkeys(u for s in record.steps for u in s.responsible)),
        steps=len(record.steps),
        counted_hours=sum(s.hours for s in record.steps if s.hours is not None),
        time_limit=record.time_limit,
        over_limit=over_limit,
        field=record.field,
    )


_GALLERY_JS = """
(function () {
  var q = document.getElementById('q'), u = document.getElementById('unit');
  var cards = Array.prototype.slice.call(document.querySelectorAll('.card'));
  function fold(s) {
    s = s.normalize('NFD').replace(/[\\u0300-\\u036f]/g, '');
    return s.replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
  }
  function apply() {
    var words = fold(q.value).split(/\\s+/).filter(Boolean), unit = u.value, shown = 0;
    cards.forEach(function (c) {
      var text = c.getAttribute('data-search');
      var units = c.getAttribute('data-units').split('|');
      var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
      ok = ok && (!unit || units.indexOf(unit) >= 0);
      c.style.display = ok ? '' : 'none';
      if (ok) { shown += 1; }
    });
    document.getElementById('count').textContent = shown + ' / ' + cards.length;
  }
  q.addEventListener('input', apply);
  u.addEventListener('change', apply);
  apply();
})();
"""

_GALLERY_CSS = """
body { font-family: 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', Arial, sans-serif; margin: 24px;
  color: #1f2933; background: #f7f9fb; }
h1 { font-size: 22px; margin: 0 0 12px; }
.bar { display: flex; gap: 12px; align-items: center; margin-bottom: 16px; flex-wrap: wrap; }
input, select { font: inherit; padding: 6px 8px; border: 1px solid #b8c4ce; border-radius: 4px; }
input { width: 420px; } select { max-width: 420px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 14px; }
.card { background: #fff; border: 1px solid #d3dce4; border-radius: 6px; padding: 10px 12px; }
.card a { color: #2b5797; text-decoration: none; font-weight: 600; }
.card img { width: 100%; height: 150px; object-fit: contain; object-position: left top;
  border-top: 1px solid #eef2f5; margin-top: 8px; }
.meta { color: #52606d; font-size: 13px; margin-top: 4px; }
.units { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
.warn { color: #b00020; font-weight: 600; font-size: 13px; }
"""


def render_gallery(entries: Sequence[GalleryEntry], title: str = "Sơ đồ quy trình nội bộ") -> str:
    """A self-contained HTML gallery (search box, unit filter, links), vanilla JS, no external files."""
    units = sorted({u for e in entries for u in e.units}, key=lambda u: (fold(u), u))
    out = [
        "<!DOCTYPE html>",
        '<html lang="vi">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{xml_attr(title)}</title>",
        f"<style>{_GALLERY_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{xml_attr(title)}</h1>",
        '<div class="bar">',
        '<input id="q" type="search" placeholder="Tìm mã, tên, đơn vị (gõ không dấu cũng được)" autofocus>',
        '<select id="unit"><option value="">Tất cả đơn vị</option>',
        *(f'<option value="{xml_attr(u)}">{xml_attr(u)}</option>' for u in units),
        "</select>",
        '<span id="count"></span>',
        "</div>",
        '<div class="grid">',
    ]
    for e in entries:
        out += _card(e)
    out += ["</div>", f"<script>{_GALLERY_JS}</script>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def _card(e: GalleryEntry) -> list[str]:
    """One procedure's card: its link, steps and hours, units, the over-limit warning, the preview."""
    heading = f"{e.code} · {e.name}" if e.code else e.name
    search = fold(" ".join([e.code or "", e.name, e.field or "", *e.units]))
    meta = f"{e.steps} bước · Σ {format_hours(e.counted_hours)} giờ · Thời hạn: {e.time_limit or 'chưa ghi'}"
    units_text = xml_attr(", ".join(e.units))
    file = xml_attr(e.file)
    out = [
        f'<div class="card" data-search="{xml_attr(search)}" data-units="{xml_attr("|".join(e.units))}">',
        f'<a href="{file}">{xml_attr(heading)}</a>',
        f'<div class="meta">{xml_attr(meta)}</div>',
        f'<div class="meta units" title="{units_text}">{units_text}</div>',
    ]
    if e.over_limit:
        out.append('<div class="warn">Tổng thời gian các bước vượt thời hạn giải quyết</div>')
    out.append(f'<a href="{file}"><img src="{file}" alt="{xml_attr(heading)}" loading="lazy"></a>')
    out.append("</div>")
    return out
