"""Procedure extraction: internal procedures (quy trình nội bộ) and their steps, from any layout.

Layouts read (docs/FORMATS.md describes each):

* Hà Tĩnh annexes: per procedure a heading and a key/value table (``KÝ HIỆU QUY TRÌNH``, ``NỘI DUNG QUY
  TRÌNH`` with fields ``2.1`` … ``2.10`` and the step table, ``BIỂU MẪU``, ``HỒ SƠ LƯU``): ``key_value``.
* Step tables under a per-procedure heading (Nghệ An, Cao Bằng, Bắc Ninh, Hà Nội, Bộ Y tế), any column
  order and columns nobody listed, total rows anywhere: ``step_tables`` reads the tables, ``step_cells``
  the steps.
* Prose steps ``Bước 3: Trong thời gian 07 ngày làm việc …`` and lists under a heading that names the
  work order (``Điều 5. Quy trình …`` with ``a)``/``b)``/``c)``): ``prose_lists`` finds them,
  ``prose_steps`` makes them procedures.
* Stand-alone ISO 9001 procedure documents (document-control header, revision table, sections):
  ``iso_documents``.

The modules, in the order a document meets them:

``items`` (in ``parsers``)
    the document as one stream of paragraphs and rows; ``header_key`` for header cells.
``prose_lists``
    before the pass: the paragraphs as an outline, the step lists written in prose.
``extractor``
    the one pass over the items, handing each to its stage; ``extract_procedures``.
``state``
    the drafts (procedure, case, step) and the reading state the stages share.
``headings``
    procedure headings, names and codes; the catalog entry a name belongs to.
``step_tables``, ``step_cells``, ``branches``
    step tables, their rows, and the dossier conditions a step states.
``prose_steps``, ``key_value``, ``iso_documents``
    the other layouts.
``finishing``
    drafts to ``Procedure`` records: one per case, time limits, totals and warnings.
"""

from __future__ import annotations

from procreg.parsers.procedure.branches import dossier_branches
from procreg.parsers.procedure.extractor import extract_procedures
from procreg.parsers.procedure.step_tables import step_role

__all__ = ["dossier_branches", "extract_procedures", "step_role"]
