"""The parts of an official báo cáo (Nghị định 30/2020/NĐ-CP, Phụ lục I) that every report format prints.

Agency block, national motto, "Số: …/BC-…", place and date, "BÁO CÁO" with its subject, the opening
sentence, "Nơi nhận" and the signature block, as text; the .docx, .html and .xlsx writers lay them out.
The agency, its parent body, the place, the report symbol, the recipients and the signer come from the
registry's settings (``procreg config``); an unset one prints as a dotted line, as blank templates do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from procreg.procedures.audit import USER_TARGET_SOURCE, AuditReport
from procreg.registry.results import ReportSettings
from procreg.text import fold
from procreg.text.dates import vn_date
from procreg.text.safe import xml_text

__all__ = [
    "BLANK",
    "MOTTO",
    "NATION",
    "REPORT_KIND",
    "SUBJECT",
    "Official",
    "official",
    "period_phrase",
    "place_date",
    "recipient_lines",
]

BLANK = "……………"  # what an unset setting prints as, like the dotted lines of a blank template
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
REPORT_KIND = "BÁO CÁO"
SUBJECT = "Kết quả rà soát, công bố, công khai thủ tục hành chính nội bộ"
# "Số:" then room for the number the văn thư gives on issuing, then the symbol (ô số 3).
_NUMBER_ROOM = "\u00a0" * 8
_ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True, slots=True, kw_only=True)
class Official:
    """The text of the official blocks of one report, ready to lay out."""

    parent: str  # parent body in capitals (ô 2, first line), "UBND TỈNH HÀ TĨNH"
    agency: str  # issuing agency in capitals, bold (ô 2, second line), "SỞ NGOẠI VỤ"
    number: str  # "Số:        /BC-SNgV" (ô 3)
    place_date: str  # "Hà Tĩnh, ngày 31 tháng 12 năm 2023" (ô 4)
    subject: str  # "Kết quả rà soát, … năm 2023" (ô 5a, under BÁO CÁO)
    intro: str  # the opening sentence of the body
    recipients: tuple[str, ...]  # "- UBND tỉnh (để b/c);" … "- Lưu: VT." (ô 9a)
    position: tuple[str, ...]  # signer's authority and position in capitals (ô 7a, 7b)
    signer: str  # signer's name (ô 7c)


def _one_line(value: str | None) -> str | None:
    """A setting as one line of legal text (control characters out, spaces squeezed); None when blank."""
    if not value:
        return None
    text = " ".join(xml_text(value).split())
    return text or None


def place_date(place: str | None, dated: str | None) -> str:
    """``Hà Tĩnh, ngày 05 tháng 3 năm 2023``: a day below 10 and the months 1 and 2 take a leading zero.

    >>> place_date("Hà Tĩnh", "2023-02-05"), place_date(None, "2023-12-31")
    ('Hà Tĩnh, ngày 05 tháng 02 năm 2023', '……………, ngày 31 tháng 12 năm 2023')
    >>> place_date("Hà Tĩnh", None)
    'Hà Tĩnh, ngày … tháng … năm …'
    """
    if not dated:
        return f"{_one_line(place) or BLANK}, ngày … tháng … năm …"
    year, month, day = int(dated[0:4]), int(dated[5:7]), int(dated[8:10])
    month_text = f"{month:02d}" if month < 3 else str(month)
    return f"{_one_line(place) or BLANK}, ngày {day:02d} tháng {month_text} năm {year}"


def period_phrase(date_from: str, date_to: str) -> str:
    """The period as the subject names it: ``năm 2023``, ``6 tháng đầu năm 2023``, ``quý III năm 2023``.

    >>> period_phrase("2023-01-01", "2023-12-31"), period_phrase("2023-07-01", "2023-09-30")
    ('năm 2023', 'quý III năm 2023')
    >>> period_phrase("2023-03-05", "2023-04-30")
    'từ ngày 05/03/2023 đến ngày 30/04/2023'
    """
    year = date_from[:4]
    if year == date_to[:4]:
        span = (date_from[5:], date_to[5:])
        if span == ("01-01", "12-31"):
            return f"năm {year}"
        if span == ("01-01", "06-30"):
            return f"6 tháng đầu năm {year}"
        if span == ("07-01", "12-31"):
            return f"6 tháng cuối năm {year}"
        quarters = [("01-01", "03-31"), ("04-01", "06-30"), ("07-01", "09-30"), ("10-01", "12-31")]
        if span in quarters:
            return f"quý {_ROMAN[quarters.index(span)]} năm {year}"
    return f"từ ngày {vn_date(date_from)} đến ngày {vn_date(date_to)}"


def recipient_lines(recipients: str | None) -> tuple[str, ...]:
    """The "Nơi nhận" list: ``- X;`` lines, the last one ``- Lưu: VT.`` (added when the setting lacks it).

    >>> recipient_lines("UBND tỉnh (để b/c); Sở Nội vụ")
    ('- UBND tỉnh (để b/c);', '- Sở Nội vụ;', '- Lưu: VT.')
    """
    parts = [p for p in re.split(r"[;\n]", xml_text(recipients or "")) if p.strip(" -–;.\t")]
    names = [" ".join(p.strip(" -–;.\t").split()) for p in parts] or [BLANK]
    if not any(fold(n).startswith("luu") for n in names):
        names.append("Lưu: VT")
    return tuple(f"- {n};" for n in names[:-1]) + (f"- {names[-1]}.",)


def official(report: AuditReport, settings: ReportSettings | None, dated: str | None) -> Official:
    """The official blocks of a report issued on ``dated`` (ISO date; None leaves the date blank)."""
    s = settings or ReportSettings()
    agency = _one_line(s.agency)
    subject = f"{SUBJECT} {period_phrase(report.period_from, report.period_to)}"
    basis = _one_line(report.target.source)
    lead = f"Thực hiện chỉ tiêu tại {basis}, " if basis and basis != USER_TARGET_SOURCE else ""
    intro = f"{lead}{agency or BLANK} báo cáo {subject[0].lower()}{subject[1:]} như sau:"
    positions = [" ".join(line.split()).upper() for line in xml_text(s.signer_position or "").splitlines()]
    return Official(
        parent=(_one_line(s.parent_agency) or BLANK).upper(),
        agency=(agency or BLANK).upper(),
        number=f"Số:{_NUMBER_ROOM}/BC-{_one_line(s.report_symbol) or BLANK}",
        place_date=place_date(s.place, dated),
        subject=subject,
        intro=intro,
        recipients=recipient_lines(s.recipients),
        position=tuple(p for p in positions if p) or (BLANK,),
        signer=_one_line(s.signer_name) or BLANK,
    )
