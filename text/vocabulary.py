"""Vietnamese words that more than one layer recognises, each rule written once.

Patterns named ``*_FOLDED`` match *folded* text (``procreg.text.fold``: lowercase, no accents, đ -> d);
the others match text as printed (NFC, accents kept).
"""

from __future__ import annotations

import re

from procreg.text.fold import fold

__all__ = [
    "NO_WORDS",
    "YES_WORDS",
    "CONDITION_OPENER",
    "CONDITION_THEN",
    "CONDITION_WORDS",
    "DOSSIER_FALLS_SHORT_FOLDED",
    "DOSSIER_SHORT_CONDITION",
    "IF_THEN",
    "INTERNAL_TTHC",
    "RETURN_ACTION_FOLDED",
    "SEND_BACK_ACTION_FOLDED",
    "AUDIT_FORMAT_WORDS",
    "DIAGRAM_FORMAT_WORDS",
    "EXPORT_FORMAT_WORDS",
    "OCR_WORDS",
    "ROLE_WORDS",
    "STATUS_WORDS",
    "canonical_word",
    "mentions_internal_tthc",
    "word_key",
]

# "thủ tục hành chính nội bộ" / "TTHC nội bộ": what makes a catalog, a group row or a decision internal.
# Real documents also print the typo "nộ bộ" and break the phrase across lines.
INTERNAL_TTHC = re.compile(r"\b(?:thu tuc hanh chinh|tthc)\s+(?:noi|no)\s+bo\b")


def mentions_internal_tthc(text: str) -> bool:
    """True when ``text`` speaks of internal administrative procedures (TTHC nội bộ), accents optional.

    >>> mentions_internal_tthc("Danh mục thủ tục hành chính nội bộ")
    True
    """
    return INTERNAL_TTHC.search(" ".join(fold(text).split())) is not None


# ------------------------------------------------------------------------------------------------
# Branch words: a step that says what happens when the dossier falls short.
#
#   "Nếu hồ sơ chưa đầy đủ thì hướng dẫn bổ sung"      condition opener … "thì" … action
#   "Trường hợp hồ sơ không hợp lệ: trả lại hồ sơ"      opener … ":" … action
#   "Hồ sơ không đầy đủ, hợp lệ thì trả hồ sơ …"        a dossier condition without an opener
#
# The parsers keep such clauses on each step (``Step.branches``); the catalog graph draws the ones whose
# action sends the dossier back.

#: Words that open a condition in a step's text, as printed ("Nếu …", "Trường hợp …").
CONDITION_WORDS: tuple[str, ...] = ("Nếu", "Trường hợp")
#: The word between a condition and what is done then ("Nếu … thì …").
CONDITION_THEN = "thì"

_OPENERS = "|".join(w for word in CONDITION_WORDS for w in (word, word[:1].lower() + word[1:]))
#: A condition word starting a clause, capitalised or not, with the spaces after it.
CONDITION_OPENER = re.compile(rf"\b(?:{_OPENERS})\s+")

#: A whole "condition thì action" sentence (``cond`` and ``act`` groups), any case; the action ends at a
#: dash item, a sentence end, a semicolon or the next condition. "Trong trường hợp" also opens one here.
IF_THEN = re.compile(
    r"(?:" + "|".join(rf"\b{w}" for w in (*CONDITION_WORDS, "Trong trường hợp")) + r")"
    rf"\s+(?P<cond>.+?)\s*,?\s+{CONDITION_THEN}\s+(?P<act>.+?)"
    r"(?=\s+-\s|\.\s|\.$|;|$|\s(?:" + "|".join(CONDITION_WORDS) + r")\s)",
    re.IGNORECASE,
)

#: A clause about a dossier that falls short, stated without a condition word:
#: "(Đối với) hồ sơ chưa/không/còn thiếu/thiếu … thì …" or "… : …" (group 1: the clause).
DOSSIER_SHORT_CONDITION = re.compile(
    rf"^(?:Đối với\s+)?(hồ sơ\s+(?:chưa|không|còn thiếu|thiếu)\b.*?(?:\s{CONDITION_THEN}\s|:).+)$", re.I
)

#: The dossier falls short: incomplete, invalid, refused, late, missing parts (folded).
DOSSIER_FALLS_SHORT_FOLDED = re.compile(
    r"chua day du|khong hop le|khong day du|khong du dieu kien|tu choi|khong dap ung|"
    r"qua han|khong bo sung|chua hop le|thieu"
)

_SEND_BACK = ("tra lai", "chuyen lai", "quay lai", "hoan tra")
#: The dossier goes back to an earlier step or handler: "trả lại", "chuyển lại", "quay lại" (folded).
SEND_BACK_ACTION_FOLDED = re.compile("|".join(_SEND_BACK))
#: An action that ends the happy path: supplement, refusal, or the dossier sent back (folded).
RETURN_ACTION_FOLDED = re.compile("|".join(("bo sung", "tu choi", *_SEND_BACK, "tra ho so")))


# ------------------------------------------------------------------------------------------------
# Words a user types for a value procreg keeps in English (a status, a format, a kind), with or without
# accents: ``list --status "hiệu lực"``, ``search status:"thu hoi"``. The first word of each is the one help
# shows in Vietnamese (the name itself when it is the same in both languages, such as ``html``).

#: A procedure's status (the registry keeps the English name) and the Vietnamese words for it.
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "active": ("hiệu lực", "còn hiệu lực", "đang hiệu lực", "hiện hành"),
    "superseded": ("thay thế", "đã thay thế", "bị thay thế", "đã được thay thế"),
    "abolished": ("bãi bỏ", "đã bãi bỏ", "bị bãi bỏ"),
    "withdrawn": ("thu hồi", "đã thu hồi", "bị thu hồi"),
}

#: The text format (of a diagram's units overview, of an audit): the words for "plain text".
_TEXT_WORDS = ("văn bản", "chữ", "văn bản thuần")
#: ``diagram --format``.
DIAGRAM_FORMAT_WORDS: dict[str, tuple[str, ...]] = {
    "svg": (),
    "mermaid": (),
    "dot": ("dot", "graphviz"),
    "bpmn": (),
    "text": _TEXT_WORDS,
}
#: ``export --format``.
EXPORT_FORMAT_WORDS: dict[str, tuple[str, ...]] = {"json": (), "graphml": (), "csv": ()}
#: ``audit --format``: the report's file formats (docx is the official báo cáo, xlsx a workbook).
AUDIT_FORMAT_WORDS: dict[str, tuple[str, ...]] = {
    "text": _TEXT_WORDS,
    "md": ("md", "markdown"),
    "html": ("html", "trang web", "web"),
    "csv": (),
    "json": (),
    "docx": ("docx", "word"),
    "xlsx": ("xlsx", "excel", "bảng tính"),
}
#: ``--ocr``: when scanned pages are read by OCR.
OCR_WORDS: dict[str, tuple[str, ...]] = {
    "auto": ("tự động",),
    "always": ("luôn", "luôn luôn", "mọi trang"),
    "never": ("không", "không bao giờ", "không dùng"),
}

#: ``user add --role``: what an account of the web page may do.
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "viewer": ("xem", "người xem", "chỉ xem"),
    "editor": ("biên tập", "người biên tập", "ghi nhận"),
    "admin": ("quản trị", "người quản trị", "quản trị viên"),
}


def word_key(text: str) -> str:
    """How a typed word is compared: folded, lower case, without spaces, hyphens or underscores.

    >>> word_key("Hiệu lực") == word_key("hieu-luc") == "hieuluc"
    True
    """
    return "".join(ch for ch in fold(text).lower() if ch not in " \t-_")


def canonical_word(text: str, words: dict[str, tuple[str, ...]]) -> str | None:
    """The name in ``words`` that ``text`` is, or is one of the words for; None when it is none of them.

    >>> canonical_word("hieu luc", STATUS_WORDS), canonical_word("Withdrawn", STATUS_WORDS)
    ('active', 'withdrawn')
    """
    key = word_key(text)
    for name, aliases in words.items():
        if key == word_key(name) or any(key == word_key(alias) for alias in aliases):
            return name
    return None


# Yes and no as a setting's value, folded (accents and đ aside, lower case): "có", "không", "yes", "no"…
YES_WORDS = frozenset({"yes", "y", "true", "1", "on", "co"})
NO_WORDS = frozenset({"no", "n", "false", "0", "off", "khong"})
