"""Responsible units of procedure steps: split a printed cell into units and normalise their names.

A responsible cell reads like ``- Công chức TN&TKQ - Văn thư``, ``Cán bộ TN&TKQ; Cá nhân/Tổ chức nộp hồ
sơ`` or ``Lãnh đạo phòng Phòng Kinh tế/Kinh tế, Hạ tầng và Đô thị``. Splitting happens on line breaks, ``;``
and bullets; on ``hoặc``, ``/``, ``và`` and ``,`` only where the pieces are units (``Cá nhân/Tổ chức`` and
``Văn thư hoặc Bộ phận Một cửa`` split, but the one unit ``Phòng Kinh tế/Kinh tế, Hạ tầng và Đô thị`` does
not, nor a clause such as ``cá nhân nếu phát hiện hoặc có thông tin về …``). Names go through the alias table
shipped in ``parsers/data/units.json`` (folded alias -> canonical name, then folded-text patterns for role
names such as ``Lãnh đạo phòng …``); aliases passed by the caller (the registry's own table) win. A unit
that matches nothing is kept as printed (NFC, trimmed).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

from procreg.text import fold, normalize_line

__all__ = ["default_aliases", "find_units", "resolve_unit", "split_units"]

# Words a unit name starts with: a "/" followed by one of these separates two units.
_UNIT_START = re.compile(
    r"^(?:cong chuc|can bo|chuyen vien|lanh dao|van thu|bo phan|phong|so|ubnd|uy ban|trung tam|to chuc|"
    r"ca nhan|nhan vien|nguoi|truong|pho|co quan|vien chuc|giam doc|chu tich|van phong|bo|cuc|tt)\b"
)
_BULLET_SPLIT = re.compile(r"^[-–•+]\s+|\s[-•+]\s+")
_HARD_SPLIT = re.compile(r"\n|;")
_OR_SPLIT = re.compile(r"\s+hoặc\s+", re.IGNORECASE)
_TRIM = " \t-–•+*.,:;"


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    text = resources.files("procreg.parsers").joinpath("data/units.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@lru_cache(maxsize=8192)
def _key(name: str) -> str:
    """The folded lookup key of a unit name: accents and case removed, spaces around ``/&`` squeezed."""
    folded = fold(normalize_line(name)).strip(_TRIM)
    folded = re.sub(r"\s*([/&])\s*", r"\1", folded)
    return re.sub(r"\s+", " ", folded)


def default_aliases() -> dict[str, str]:
    """The shipped alias table: folded alias -> canonical unit name."""
    return {_key(alias): canonical for alias, canonical in _table()["aliases"].items()}


@lru_cache(maxsize=1)
def _defaults() -> tuple[dict[str, str], tuple[tuple[re.Pattern[str], str], ...], tuple[str, ...]]:
    table = _table()
    patterns = tuple((re.compile(p), c) for p, c in table.get("patterns", []))
    qualifiers = tuple(sorted((str(q) for q in table.get("qualifiers", [])), key=len, reverse=True))
    return default_aliases(), patterns, qualifiers


def _lookup(name: str, aliases: Mapping[str, str] | None, *, patterns_too: bool = True) -> str | None:
    """Canonical name for one unit, or None when neither aliases nor (optionally) patterns know it."""
    defaults, patterns, qualifiers = _defaults()
    if not patterns_too:
        patterns = ()
    user = {_key(k): v for k, v in aliases.items()} if aliases else {}
    key = _key(name)
    candidates = [key]
    stripped = key
    for qualifier in qualifiers:
        if stripped.endswith(" " + qualifier):
            stripped = stripped[: -len(qualifier) - 1].strip(_TRIM)
            candidates.append(stripped)
    for cand in candidates:
        if cand in user:
            return user[cand]
    for cand in candidates:
        if cand in defaults:
            return defaults[cand]
    for pattern, canonical in patterns:
        if pattern.search(key):
            return canonical
    return None


def resolve_unit(name: str, aliases: Mapping[str, str] | None = None) -> str:
    """Normalise one unit name: user alias, shipped alias or pattern; else the name as printed."""
    clean = normalize_line(name).strip(_TRIM)
    return _lookup(clean, aliases) or clean


def _soft_split(part: str, aliases: Mapping[str, str] | None) -> list[str]:
    """Split on ``/``, ``và`` or ``,`` where every piece is a known unit (or starts like one, for ``/``)."""
    if _lookup(part, aliases, patterns_too=False) is not None:
        return [part]
    for sep in (r"\s*/\s*", r"\s+và\s+", r"\s*,\s+"):
        pieces = [p.strip(_TRIM) for p in re.split(sep, part) if p.strip(_TRIM)]
        if len(pieces) < 2:
            continue
        if sep.startswith(r"\s*/"):
            # "/" separates units only when what follows it starts like a unit name.
            if all(_UNIT_START.match(_key(p)) for p in pieces[1:]):
                return [q for p in pieces for q in _soft_split(p, aliases)]
            continue
        if all(_lookup(p, aliases) is not None for p in pieces):
            return pieces
    return [part]


def split_units(cell: str, aliases: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Split a responsible cell into normalised unit names (order kept, duplicates dropped).

    Args:
        cell: the cell as printed, e.g. ``"- Công chức TN&TKQ - Văn thư"``.
        aliases: user aliases (alias -> canonical, matched folded); they override the shipped table.

    Returns:
        Canonical unit names, e.g. ``("Bộ phận Một cửa", "Văn thư")``.
    """
    text = (
        normalize_line(cell.replace("\r", "\n").replace("\n", " ; "))
        if "\n" in cell
        else normalize_line(cell)
    )
    if not text:
        return ()
    parts: list[str] = []
    for hard in (piece for part in _HARD_SPLIT.split(text) for piece in _or_split(part, aliases)):
        hard = re.sub(r"^\s*[-–•+]\s+", "", hard).strip()
        if not hard:
            continue
        bullets = [b.strip(_TRIM) for b in _BULLET_SPLIT.split(hard) if b.strip(_TRIM)]
        # " - " separates units only when what follows starts like a unit ("Phòng Lễ tân - Lãnh sự" is one).
        if _lookup(hard, aliases, patterns_too=False) is not None or not all(
            _UNIT_START.match(_key(b)) or _lookup(b, aliases) is not None for b in bullets[1:]
        ):
            bullets = [hard.strip(_TRIM)]
        for piece in bullets:
            parts.extend(_soft_split(piece, aliases))
    out: list[str] = []
    for part in parts:
        name = resolve_unit(part, aliases)
        if name and name not in out:
            out.append(name)
    return tuple(out)


def _or_split(part: str, aliases: Mapping[str, str] | None) -> list[str]:
    """Split on ``hoặc`` only between unit names: every piece must start like a unit or be a known one.

    "Văn thư hoặc Bộ phận Một cửa" is two units; in "cá nhân nếu phát hiện hoặc có thông tin về …" the
    ``hoặc`` joins two clauses of one sentence, and splitting there would make units of its halves.
    """
    pieces = [p.strip() for p in _OR_SPLIT.split(part)]
    if len(pieces) < 2:
        return [part]

    def unit_like(piece: str) -> bool:
        bare = re.sub(r"^\s*[-–•+]\s+", "", piece).strip(_TRIM)
        return bool(bare) and (
            _UNIT_START.match(_key(bare)) is not None or _lookup(bare, aliases) is not None
        )

    return pieces if all(unit_like(p) for p in pieces) else [part]


_GENERIC = {"to chuc", "ca nhan", "nha dau tu", "giam doc", "pho giam doc", "chuyen vien", "van thu"}


def find_units(text: str, aliases: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Units named inside running text (prose steps): known multi-word aliases, in order of appearance.

    Single generic words ("tổ chức", "văn thư") are not searched: in prose they are too often not actors.
    """
    folded = " " + re.sub(r"\s+", " ", fold(normalize_line(text))) + " "
    table = dict(_defaults()[0])
    if aliases:
        table.update({_key(k): v for k, v in aliases.items()})
    keys = sorted((k for k in table if " " in k and k not in _GENERIC), key=len, reverse=True)
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for key in keys:
        if key not in folded:
            continue
        for m in re.finditer(r"(?<=[\s(,;:])" + re.escape(key) + r"(?=[\s),;:.])", folded):
            span = (m.start(), m.end())
            if any(s < span[1] and span[0] < e for s, e in taken):
                continue
            taken.append(span)
            found.append((m.start(), table[key]))
    out: list[str] = []
    for _, name in sorted(found):
        if name not in out:
            out.append(name)
    return tuple(out)
