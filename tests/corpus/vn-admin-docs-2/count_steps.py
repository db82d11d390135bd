"""Independent count of the steps and catalog rows of vn-admin-docs-2 (standard library only).

This script never imports procreg: it reads the raw ``.txt`` lines with its own small rules, so its counts
can check the parser. ``python tests/corpus/vn-admin-docs-2/count_steps.py`` prints, per document, every
step it found with its line number; ``--write`` rewrites ``COUNTS.json`` beside it. What a step is (the
definition the counts follow, written before the parser was changed):

1. **Step-table rows.** A table row whose first filled cell is a step id: ``B1``, ``B.1``, ``Bước 1``
   (``Bước 3 (Giảng bài mới)`` too). In a table that follows a line naming the work order (``Quy trình
   xử lý công việc``, ``Trình tự thực hiện``, ``Các bước …``) a bare ``1``, ``2`` … counts too, when the
   row also has a duration cell (``5 ngày``, ``01 ngày làm việc``, ``Giờ hành chính``).
2. **Bước lines.** A line that starts with ``Bước N`` (after an optional ``-``) followed by ``.``, ``:``,
   ``)`` or a dash; a ``-`` alone on the line before it is its bullet. ``Bước 5`` named inside a sentence
   ("không cần thực hiện Bước 5") is no step.
3. **Lists under a work-order lead-in.** A lead-in is a heading (``Điều 5. Quy trình …``, ``4. Trình tự
   thực hiện``, ``b) Thủ tục, trình tự thực hiện``, ``Quy trình cấp mới …:``) whose title names the work
   order (``quy trình``, ``trình tự``, ``các bước``), or a sentence ending in ``:`` that announces steps
   (``… theo các bước sau:``, ``… trình tự sau:``, ``Quy trình … như sau:``); an ordering of content
   ("Nội dung được trình bày theo trình tự sau:") is no lead-in. Its steps are the items of the first
   list under it (``a)``, ``1.``, ``1.1.``, ``-``), up to the next heading of its rank or above:

   - an item that opens a case (``Đối với …``, ``Trường hợp …``) and has a list of its own: that list
     gives the case's steps (a case with fewer than two steps gives none);
   - an item that is an alternative (``Trường hợp …``, ``Nếu …`` with no list of its own) is a branch of
     the step before it, not a step;
   - an item with a list of its own that holds actions (``2. Sở Nội vụ: a) … b) …``): its actions are the
     steps; when its list holds only alternatives, the item is one step;
   - a nested lead-in wins over the one above it; ``Bước`` lines under a lead-in win over its list;
   - fewer than two steps make no procedure; articles (``Điều``) and chapters are never steps.

The lines this script prints were read against the text; where the text needs a human eye (a list that
the line-joining here reads wrong) ``REVIEW`` below says what was decided and why.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent


def fold(text: str) -> str:
    """Lower case without accents (đ -> d)."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


# ------------------------------------------------------------------------------------------ tables

STEP_ID = re.compile(r"^(?:B\.?\s?\d{1,2}|Bước\s*\d{1,2}(?:\s*\(.*\))?)\s*[.:]?$", re.IGNORECASE)
BARE = re.compile(r"^\d{1,2}\.?$")
DURATION = re.compile(
    r"\d+(?:[.,]\d+)?\s*(?:ngày|giờ|phút)|giờ hành chính|không tính thời gian|trong ngày", re.IGNORECASE
)
WORK_ORDER = re.compile(r"quy trinh xu ly|trinh tu thuc hien|cac buoc|quy trinh giai quyet")


def cells_of(line: str) -> list[str]:
    return [c.strip() for c in line.strip()[1:-1].split("|")]


def is_row(line: str) -> bool:
    s = line.strip()
    return len(s) >= 2 and s.startswith("|") and s.endswith("|")


def table_steps(lines: list[str]) -> list[tuple[int, str]]:
    """(line number, id) of every step-table row (rule 1)."""
    out: list[tuple[int, str]] = []
    before = ""  # the texts just before the table
    work_order = False  # a text before the table or a row of it names the work order
    for no, line in enumerate(lines, 1):
        if not is_row(line):
            if STEP_ID.match(line.strip()) and not BUOC_LINE.match(line.strip()):
                out.append((no, line.strip()))  # a row cut before its cells: the id alone on a line
                continue
            before = (before + " " + fold(line))[-200:] if line.strip() else before
            work_order = False
            continue
        cells = cells_of(line)
        filled = [c for c in cells if c]
        if not filled:
            continue
        work_order = (
            work_order
            or bool(WORK_ORDER.search(before))
            or any(WORK_ORDER.search(fold(c)) and len(c) < 80 for c in filled)
        )
        before = ""
        first = filled[0]
        if (
            STEP_ID.match(first)
            or BARE.match(first)
            and work_order
            and any(DURATION.search(c) and len(c) < 60 for c in filled[1:])
        ):
            out.append((no, first))
    return out


# ------------------------------------------------------------------------------------------- prose

BUOC_LINE = re.compile(r"^(?:[-–]\s*)?Bước\s*(\d{1,2})\s*(?:[.:)–]|-\s)", re.IGNORECASE)

MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chuong", re.compile(r"^(?:Chương|CHƯƠNG)\s+(?P<n>[IVXLC\d]+)\b\.?\s*")),
    ("phan", re.compile(r"^(?:Phần|PHẦN)\s+(?P<n>[IVXLC\d]+)\b\.?\s*")),
    ("dieu", re.compile(r"^Điều\s+(?P<n>\d{1,3})\s*[.:]?\s*")),
    ("buoc", re.compile(r"^(?:[-–]\s*)?Bước\s*(?P<n>\d{1,2})\s*(?:[.:)–]|-\s)\s*", re.IGNORECASE)),
    ("roman", re.compile(r"^(?P<n>[IVX]{1,5})\.\s+")),
    ("dotted3", re.compile(r"^\d{1,2}\.\d{1,2}\.(?P<n>\d{1,2})\.?\s+")),
    ("dotted", re.compile(r"^\d{1,2}\.(?P<n>\d{1,2})\.?\s+")),
    ("num", re.compile(r"^(?P<n>\d{1,2})\.\s*(?=[^\W\d_])")),
    ("paren", re.compile(r"^\(?(?P<n>\d{1,2})\)\s+")),
    ("letter", re.compile(r"^(?P<n>[a-zđ])\)\s*")),
    ("dash", re.compile(r"^[-–]\s*")),
    ("plus", re.compile(r"^[+•]\s*")),
)
BARE_MARKER = re.compile(
    r"^(?:Điều|Chương|CHƯƠNG|\d{1,2}\.|[a-zđ]\)|[-–+]|Điều\s+\d{1,3}\.?|Chương\s+[IVX]+)$"
)
FIXED_RANK = {"phan": 0, "chuong": 1, "dieu": 2}
LETTERS = "abcdđefghiklmnopqrstuvxy"


def ordinal(kind: str | None, n: str | None) -> int | None:
    """The position a marker's number gives in its list (1 for "1.", "a)", "I."), or None."""
    if n is None or kind in (None, "dash", "plus"):
        return None
    if n.isdigit():
        return int(n)
    if kind == "letter":
        return LETTERS.index(n) + 1 if n in LETTERS else None
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for a, b in zip(n, n[1:] + " ", strict=True):
        total += -values[a] if b != " " and values.get(b, 0) > values[a] else values[a]
    return total


@dataclass
class Para:
    no: int  # first line number
    kind: str | None
    text: str  # without the marker
    number: int | None = None
    head: str = ""  # the first line's text (a heading's title before any wrapped sentence)
    quote_open: bool = False  # starts a quoted block (an amended article: "“Điều 6. …")
    quote_close: bool = False  # ends one ("… theo quy định.”")
    children: list[Para] = field(default_factory=list)
    parent: Para | None = None


def marker_of(text: str, open_paren: bool) -> tuple[str | None, int | None, str]:
    """(kind, number, text after the marker) of a paragraph's first line."""
    text = text.lstrip("“”\"'‘’ ")
    for kind, pattern in MARKERS:
        if kind == "paren" and open_paren:
            continue  # "(lần" / "2) đến …": the bracket closes the line above, it opens no item
        m = pattern.match(text)
        if m:
            n = m.groupdict().get("n")
            return kind, ordinal(kind, n), text[m.end() :].strip()
    return None, None, text


def joins(previous: str, line: str) -> bool:
    """A hard-wrapped line goes on the paragraph before it: the previous line ends no sentence and this
    one starts in lower case, with a digit or a bracket (``02 (hai) ngày``, ``(qua …)``)."""
    if previous.rstrip().endswith((".", ":", ";", "./.", "”", ".”")):
        return False
    return line[:1].islower() or line[:1] in "(0123456789"


def paragraphs(lines: list[str]) -> list[Para]:
    """Logical paragraphs of the text lines (table rows end a paragraph; a bare marker line such as
    ``2.``, ``a)``, ``-`` or ``Điều`` goes on the line after it)."""
    out: list[Para] = []
    pending_marker = ""
    previous = ""
    for no, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or is_row(line):
            previous = "."
            continue
        if BARE_MARKER.match(line):
            pending_marker = (pending_marker + " " + line).strip()
            continue
        open_paren = bool(out) and out[-1].text.count("(") > out[-1].text.count(")")
        if pending_marker:
            line = f"{pending_marker} {line}"
            pending_marker = ""
        kind, number, text = marker_of(line, open_paren)
        if out and (kind is None or (kind == "paren" and open_paren)) and joins(previous, line):
            out[-1].text += " " + line
        else:
            out.append(Para(no, kind, text, number, head=text, quote_open=line.startswith("“")))
        out[-1].quote_close = line.rstrip().endswith(("”", "”.", "”;", "”,"))
        previous = line
    return out


def outline(paras: list[Para]) -> Para:
    """Nest paragraphs by marker kind: a kind met in the open branch closes back to it when its number
    goes on from there; a new kind, or a list restarting at 1 after a ``:``, nests. A quoted block (an
    amended article) nests under the item that quotes it and closes with its closing quote."""
    root = Para(0, "root", "")
    stack: list[Para] = [root]
    for p in paras:
        if p.quote_open:
            frame = Para(p.no, "quote", "")
            stack[-1].children.append(frame)
            frame.parent = stack[-1]
            stack.append(frame)
        if p.kind is None:
            stack[-1].children.append(p)  # body text of the open item
            p.parent = stack[-1]
        else:
            barrier = max(i for i, s in enumerate(stack) if s.kind in ("root", "quote"))
            if p.kind in FIXED_RANK:
                while len(stack) - 1 > barrier and (
                    stack[-1].kind not in FIXED_RANK or FIXED_RANK[stack[-1].kind] >= FIXED_RANK[p.kind]  # type: ignore[index]
                ):
                    stack.pop()
            else:
                same = [s for s in stack[barrier:] if s.kind == p.kind]
                nests = (
                    p.number == 1
                    and same
                    and (same[-1].number or 0) >= 1
                    and stack[-1] is not same[-1]
                    and stack[-1].text.rstrip().endswith(":")
                )
                if same and not nests:
                    while stack[-1] is not same[-1]:
                        stack.pop()
                    stack.pop()
            stack[-1].children.append(p)
            p.parent = stack[-1]
            stack.append(p)
        if p.quote_close:
            quotes = [i for i, s in enumerate(stack) if s.kind == "quote"]
            if quotes:
                del stack[quotes[-1] :]
    return root


SEQ_TITLE = re.compile(r"^(?:[^,:]{0,30},\s*)*(?:quy trinh|trinh tu|cac buoc)\b")
NOT_SEQ_TITLE = re.compile(r"^(?:ten|noi dung(?: cua)?|ky hieu|ma(?: so)?)\s+quy trinh|^quy trinh\s*:")
SEQ_SENTENCE = re.compile(r"(?:cac buoc|buoc sau|trinh tu sau|quy trinh[^:]{0,120}nhu sau)\s*:\s*$")
CONTENT_ORDER = re.compile(r"\b(?:trinh bay|sap xep|ghi)\b[^:]{0,40}trinh tu")
CASE = re.compile(r"^(?:doi voi|truong hop)\b")
ALTERNATIVE = re.compile(r"^(?:truong hop|neu)\b")
NEVER_STEPS = ("dieu", "chuong", "phan")


def is_lead_in(p: Para) -> bool:
    """A heading or sentence that announces the work order (see the module docstring)."""
    folded = fold(p.text).strip()
    if CONTENT_ORDER.search(folded):
        return False
    if SEQ_SENTENCE.search(folded):
        return True
    head = fold(p.head).strip()
    if p.kind in (None, "dash", "plus", "buoc") or not SEQ_TITLE.search(head) or NOT_SEQ_TITLE.search(head):
        return False
    title = p.text.strip().rstrip(" :")
    # A title, not a sentence that mentions a procedure: short, with no full stop.
    return len(title) <= 200 and not re.search(r"\.(?:\s|$)", title)


def items(p: Para) -> list[Para]:
    """The list items under a paragraph; for a lead-in sentence (no marker), the items after it."""
    if p.kind is None and p.parent is not None:
        after = p.parent.children[p.parent.children.index(p) + 1 :]
        return [c for c in after if c.kind is not None and c.kind not in NEVER_STEPS]
    return [c for c in p.children if c.kind is not None and c.kind not in NEVER_STEPS]


def walk(node: Para) -> list[Para]:
    out = [node]
    for c in node.children:
        out.extend(walk(c))
    return out


def buoc_runs(nodes: list[Para]) -> list[list[Para]]:
    """Runs of Bước items in document order, cut where the numbering does not go up."""
    runs: list[list[Para]] = []
    for p in nodes:
        if p.kind != "buoc":
            continue
        if not runs or (p.number or 0) <= (runs[-1][-1].number or 0):
            runs.append([])
        runs[-1].append(p)
    return [r for r in runs if len(r) >= 2]


def steps_under(lead: Para) -> list[list[Para]]:
    """The step lists (one per case) of a lead-in, per the rules in the module docstring."""
    runs = buoc_runs(walk(lead)[1:])
    if runs:
        return runs
    if any(c.kind is None and CONTENT_ORDER.search(fold(c.text)) for c in lead.children):
        return []  # the list under it orders content, not work
    kids = items(lead)
    if not kids:
        return []
    first_list = [c for c in kids if c.kind == kids[0].kind]
    cases: list[list[Para]] = []
    steps: list[Para] = []
    for item in first_list:
        folded = fold(item.text)
        sub = items(item)
        if CASE.match(folded):
            case_steps = [c for c in sub if not ALTERNATIVE.match(fold(c.text))]
            if len(case_steps) >= 2:
                cases.append(case_steps)
            continue
        if ALTERNATIVE.match(folded):
            continue
        actions = [c for c in sub if not ALTERNATIVE.match(fold(c.text))]
        steps.extend(actions or [item])
    if len(steps) >= 2:
        cases.insert(0, steps)
    return cases


def prose_steps(lines: list[str]) -> list[list[tuple[int, str]]]:
    """Step lists in prose: lists under lead-ins, and runs of Bước lines (rules 2 and 3)."""
    root = outline(paragraphs(lines))
    found: list[list[tuple[int, str]]] = []
    claimed: set[int] = set()
    for node in walk(root):
        if node is root or not is_lead_in(node) or any(is_lead_in(n) for n in walk(node)[1:]):
            continue
        for case in steps_under(node):
            claimed.update(p.no for p in case)
            found.append([(p.no, p.text[:70]) for p in case])
    for run in buoc_runs(walk(root)):
        if not any(p.no in claimed for p in run):
            found.append([(p.no, p.text[:70]) for p in run])
    return sorted(found)


# ---------------------------------------------------------------------------------------- catalogs

TTHC_CODE = re.compile(r"(?<![\d.])[123]\.\d{6}(?:\.H\d{2})?(?![\d])")
CATALOG_HEADER = re.compile(r"^ten (?:nhom |cac )?(?:thu tuc|tthc|quy trinh)")
ORDER = re.compile(r"^\d{1,3}\.?$")


def catalog_rows(lines: list[str]) -> list[int]:
    """Line numbers of the entries of TTHC lists (rule 4): in a table (consecutive rows) that has a
    header cell naming the procedures (``Tên thủ tục hành chính``, ``Tên TTHC``, ``Tên quy trình``,
    ``Tên nhóm thủ tục …``; a header swallowed into a layout row counts) or whose rows carry national
    codes (``1.013401``, ``2.002402.H05``), every row after the header whose first filled cell is an order
    number (``41.`` alone on its row, its name on the next row, is one entry)."""
    out: list[int] = []
    in_table = counting = False
    for no, line in enumerate(lines, 1):
        if not is_row(line):
            if line.strip():
                in_table = counting = False
            continue
        filled = [c for c in cells_of(line) if c]
        if not in_table:
            in_table, counting = True, False
        if any(CATALOG_HEADER.match(fold(c)) for c in filled):
            counting = True
            continue
        if filled and ORDER.match(filled[0]) and (counting or TTHC_CODE.search(line)):
            counting = True
            out.append(no)
    return out


# What a look at the text decided, per document (the script's lists were read against the text).
REVIEW: dict[str, str] = {
    "byt_qd3621-2025_quytrinh-tthc_thiduakhenthuong.txt": (
        "The step table has no header row: '| 7 | Quy trình xử lý công việc |' then phase rows 'A | Các "
        "bước chuẩn bị', 'B | Tại Cơ quan chuyên môn …', 'C | Tại Cục …' whose steps are numbered 1-3, 1-6, "
        "1-9 with a duration cell each; the closing 'Tổng thời gian thực hiện TTHC: | 150 ngày' is the sum "
        "of all 18, so the phases are one procedure."
    ),
    "btgdvtw_qd1147-2025_quyche-boiduong-giangday_trungtamchinhtri.txt": (
        "A lesson-plan template: 'Bước lên lớp | Nội dung | Phương pháp | Phương tiện | Thời gian', steps "
        "'Bước 1' … 'Bước 5' ('Bước 3 (Giảng bài mới)' spans four 'Nội dung' rows; 'Bước 4' is shifted "
        "right by an empty cell)."
    ),
    "bct_qd3361-2025_congbo-tthc-suadoi_xuatnhapkhau.txt": (
        "'Bước 1:' stands alone with its two '-' items under it; 'Bước 2' holds a 1.-5. list of outcomes; "
        "'Bước 5 và Bước 6' inside Bước 4's text are references, not steps."
    ),
    "bvhttdl_qd4422-2025_nhom-tthc-lienthong-dientu_hokinhdoanh-karaoke.txt": (
        "'1. Trình tự thực hiện' then the sentence '… Quy trình giải quyết nhóm thủ tục hành chính như "
        "sau:' and the three linked procedures 1.1, 1.2, 1.3 (their a)/b)/c) items are cases 'Trường hợp "
        "hồ sơ đầy đủ / chưa đầy đủ / không cấp', alternatives)."
    ),
    "dongthap_qd137-2025-qdubnd_quytrinh-thongbao-dungban_xangdau.txt": (
        "'Điều 5. Quy trình thông báo …': case 1 ('Đối với các trường hợp … khoản 1') has steps a), b), "
        "c); cases 2 and 3 are one sentence each (no list). A hard wrap '(lần' / '2) đến' is no '2)' item."
    ),
    "dongthap_qd143-2025-qdubnd_quyche-thudientu-congvu.txt": (
        "Điều 8 khoản 2 'Quy trình cấp mới, thay đổi, thu hồi hộp thư …:' a) to e): a) and e) are steps, "
        "b)-đ) are cases 'Trường hợp …' of the request in a). Điều 11 'Quy trình xử lý hệ thống thư điện "
        "tử công vụ tỉnh' gives two cases ('1. Đối với hộp thư … cơ quan' a) b); '2. Đối với hộp thư … cá "
        "nhân' a) b)), counted as the definition says although they read as rules rather than steps."
    ),
    "nghean_qd97-2025-qdubnd_trinhtu-hotro-tuvanphapluat.txt": (
        "NO STEPS: '4. Trình tự thực hiện' lists two outcomes only ('a) Trường hợp đủ điều kiện …', 'b) "
        "Trường hợp không đủ điều kiện …'): alternatives, not steps."
    ),
    "hanoi_qd71-2025-qdubnd_quyche-xettang-congdanthudouutu.txt": (
        "'Điều' alone on its line, then '5. Quy trình xét tặng': step 1 (the proposers), then '2. Sở Nội "
        "vụ thành phố Hà Nội:' whose a)-d) are its four actions."
    ),
    "hue-hdnd_nq37-2025_quytrinh-hotro-giamngheo.txt": (
        "An amending resolution: each quoted replacement ('“Điều 6. Quy trình thực hiện', '“b) Thủ tục, "
        "trình tự thực hiện', '“3. Quy trình thực hiện') is read on its own, up to its closing quote; "
        "'- Trường hợp không phê duyệt …' and 'Trường hợp có khiếu nại …' are branches, not steps."
    ),
    "hue_qd125-2025-qdubnd_quytrinh-rasoat-doituong_dtts.txt": (
        "Two procedures of 'Bước 1.' … lines (7 and 5), each under 'd) Thời hạn rà soát đối tượng' of an "
        "article 'Quy trình rà soát …'; the Bước lines win over the article's a)-d) points."
    ),
    "cantho_qd2610-2025_quyche-hethong-layykien-dientu.txt": (
        "'Điều 5. Quy trình lấy ý kiến điện tử' 1.-2. and 'Điều 8. Quy trình tiếp nhận, gửi nội dung góp "
        "ý kiến điện tử' '… thực hiện các bước sau:' 1.-3.; the articles that detail each step (Điều 6, 7, "
        "9-11) are articles, not items."
    ),
    "quangninh_qd96-2025-qdubnd_quydinh-pccc-rung.txt": (
        "'… theo trình tự sau:' then '-' alone on a line before each 'Bước 1:' / 'Bước 2:'."
    ),
    "bct_tt56-2025_quytrinh-kiemtra-chuyennganh.txt": (
        "NO STEPS: the inspection procedure is a chapter of articles (Chương II 'QUY TRÌNH KIỂM TRA', Điều "
        "5-11); articles are never steps by the definition."
    ),
    "nghean_qd98-2025-qdubnd_quyche-kiennghi-cutri.txt": (
        "NO STEPS: deadlines are given per agency in articles of responsibilities; no lead-in announces a "
        "work order."
    ),
    "laichau_qd88-2025-qdubnd_quyche-phoihop-vpdkdd-ubndxa.txt": (
        "NO STEPS: coordination duties per agency; no lead-in announces a work order."
    ),
    "ninhbinh_qd161-2025-qdubnd_quyche-hethong-qlvb-dieuhanh.txt": (
        "NO STEPS: 'd) Quy trình điện tử xử lý văn bản đến được thực hiện …' is a sentence, not a heading; "
        "the a)-d) points of 'Xử lý văn bản đến' refer to Nghị định 30/2020/NĐ-CP."
    ),
    "dongthap_qd144-2025-qdctubnd_quyche-chukyso-congvu.txt": (
        "'Điều' / '11. Khôi phục …', then '2. Trình tự, thủ tục khôi phục thiết bị lưu khóa bí mật' a) b); "
        "the other 'trình tự, thủ tục' of Điều 9, 10, 12 refer to Nghị định 68/2024/NĐ-CP."
    ),
    "haiphong_qd211-2025-qdubnd_quyche-csdl-congchung-chungthuc.txt": (
        "NO STEPS: clock deadlines per actor in articles; no lead-in announces a work order."
    ),
    "dongnai_qd2806-2025_phuluc-danhmuc-tthc-khongphuthuocdiagioi_xaydung.txt": (
        "Catalog: 'Số TT | Mã TTHC | Tên TTHC | Lĩnh vực | Cấp thực hiện | Hình thức thực hiện không phụ "
        "thuộc vào địa giới | Ghi chú' with two more header rows of sub-columns and 'x' tick rows; 177 "
        "numbered rows."
    ),
    "dongnai_qd2808-2025_phuluc-danhmuc-tthc-dvc-toantrinh_xaydung.txt": (
        "Catalog: 'Stt | Mã TTHC | Tên TTHC | Lĩnh vực | Cấp thực hiện | DVC trực tuyến', 'Toàn trình | Một "
        "phần' sub-header, tick rows, some rows shifted right by an empty cell; 174 numbered rows."
    ),
    "hanoi_qd5742-2025_phuluc-uyquyen-tthc_congthuong.txt": (
        "Catalog of 129 rows; row 41 is cut: '| 41. |' alone, its name on the next row (one entry)."
    ),
    "btc_qd4014-2025_congbo-tthc-baibo_ketoan-kiemtoan.txt": (
        "Catalog of one row; its header sits at the end of the signature row ('… | STT | Số hồ sơ TTHC | "
        "Tên thủ tục hành chính bị bãi bỏ | … | Số quyết định đã công bố TTHC bị bãi bỏ |')."
    ),
    "bacninh_qd456-2025_danhmuc-dichvu-sunghiepcong_xaydung.txt": (
        "NO CATALOG ROWS: a list of public services (dịch vụ sự nghiệp công), not TTHC."
    ),
    "bnnmt_qd4831-2025_congbo-bosung-tthc_diachat-khoangsan.txt": (
        "NO CATALOG ROWS: the crawl kept the 'PHẦN I. DANH MỤC …' heading without its table; 'a) Trình tự "
        "thực hiện: Ủy ban nhân dân cấp tỉnh quy định chi tiết …' gives no steps."
    ),
    "hcm_qd2842-2025_phuongan-dongianhoa-tthc_sokhoahoc.txt": (
        "NO CATALOG ROWS: the annex lists TTHC as '-' lines in prose, not table rows."
    ),
}


def count(path: Path) -> dict[str, object]:
    """The counts of one document."""
    lines = path.read_text(encoding="utf-8").splitlines()
    table = table_steps(lines)
    prose = prose_steps(lines)
    catalog = catalog_rows(lines)
    lists = ([[no for no, _ in table]] if table else []) + [[no for no, _ in run] for run in prose]
    out: dict[str, object] = {
        "steps": len(table) + sum(len(run) for run in prose),
        "step_lines": lists,
        "catalog_rows": len(catalog),
    }
    if path.name in REVIEW:
        out["note"] = REVIEW[path.name]
    return out


def main(argv: list[str]) -> int:
    counts: dict[str, dict[str, object]] = {}
    for path in sorted(HERE.glob("*.txt")):
        counts[path.name] = count(path)
        lines = path.read_text(encoding="utf-8").splitlines()
        if counts[path.name]["steps"] or "-v" in argv:
            found = counts[path.name]
            print(f"== {path.name}: {found['steps']} steps, {found['catalog_rows']} rows")
            for run in counts[path.name]["step_lines"]:  # type: ignore[attr-defined]
                print("   --- list")
                for no in run:
                    print(f"   {no:5} {lines[no - 1].strip()[:80]}")
    if "--write" in argv:
        data = {
            "_provenance": (
                "Counted by tests/corpus/vn-admin-docs-2/count_steps.py (standard library only, never "
                "imports procreg) from the .txt files of this folder, then read against the text: 'note' "
                "says what the look decided. Regenerate with: "
                "python tests/corpus/vn-admin-docs-2/count_steps.py --write"
            ),
            "_definition": "see the docstring of count_steps.py",
            "documents": counts,
        }
        (HERE / "COUNTS.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
