"""Write tests/data/search_judgments.json: queries people type, each paired with the procedure it must find.

The queries are made from the corpus alone (tests/corpus/vn-admin-docs), by scripted transformations of
procedure and catalog names, codes, units and fields, with a fixed random seed; nothing here looks at
how procreg ranks. Run it again after the corpus changes:

    .venv/bin/python tests/data/build_search_judgments.py

Targets are procedures (quy trình) and catalog entries (TTHC of a danh mục). A query "finds" its target
when a hit within the first ten is a procedure or catalog entry of the same name (accents and case
aside), of the same national TTHC code or of the same procedure code: the same procedure published in
two decisions, as a catalog line and its quy trình, or as the cases of one quy trình, is one procedure
to the person searching.
"""

from __future__ import annotations

import json
import random
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted((ROOT / "tests" / "corpus" / "vn-admin-docs").glob("*.txt"))
OUT = Path(__file__).with_name("search_judgments.json")
SEED = 15

sys.path.insert(0, str(ROOT.parent))
from procreg import Registry, parse  # noqa: E402
from procreg.text import fold  # noqa: E402

_WORD = re.compile(r"[^\W_]+")
LEADING = ("thu tuc", "quy trinh")
ABBREVIATIONS = {
    "thủ tục hành chính": "TTHC",
    "ủy ban nhân dân": "UBND",
    "uỷ ban nhân dân": "UBND",
    "giám định": "GĐ",
}
NEIGHBOURS = {
    "a": "s",
    "s": "a",
    "n": "m",
    "m": "n",
    "i": "o",
    "o": "i",
    "e": "r",
    "t": "y",
    "h": "j",
    "c": "v",
}


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _targets() -> list[dict[str, Any]]:
    """Every procedure and catalog entry of the corpus with its name, codes, units, field and source."""
    out: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        reg = Registry(Path(tmp) / "home")
        reg.ingest(CORPUS)
        for p in reg.procedures():
            out.append(
                {"kind": "procedure", "name": p.name, "code": p.code, "national": p.catalog_code,
                 "units": list(p.units), "field": p.field, "document": p.document_number}
            )  # fmt: skip
    for path in CORPUS:
        doc = parse(path)
        for entry in doc.catalog:
            units = [entry.agency] if entry.agency else []
            out.append(
                {"kind": "catalog", "name": entry.name, "code": None, "national": entry.code,
                 "units": units, "field": entry.field, "document": doc.number}
            )  # fmt: skip
    return out


def _start(words: list[str]) -> int:
    """Skip a leading "Thủ tục"/"Quy trình" (people rarely type it)."""
    head = fold(" ".join(words[:2])).lower()
    return 2 if head in LEADING and len(words) > 5 else 0


def _window(name: str, names: list[str]) -> list[str]:
    """The shortest run of at least four words from the start of ``name`` that no other name holds
    (folded); [] when none of up to 12 words is (the name cannot be told from another by its start)."""
    words = _words(name)
    first = _start(words)
    mine = " ".join(_words(fold(name).lower()))
    others = [f" {' '.join(_words(fold(n).lower()))} " for n in names]
    others = [o for o in others if o.strip() != mine]
    for size in range(4, 13):
        run = words[first : first + size]
        key = f" {fold(' '.join(run)).lower()} "
        if not any(key in other for other in others):
            return run
        if first + size >= len(words):
            break
    return []


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    how = rng.choice(("swap", "drop", "double", "near"))
    if how == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if how == "drop":
        return word[:i] + word[i + 1 :]
    if how == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + NEIGHBOURS.get(word[i], "x") + word[i + 1 :]


def _entry(category: str, query: str, target: dict[str, Any], method: str) -> dict[str, Any]:
    keep = {k: target[k] for k in ("kind", "name", "code", "national", "document")}
    return {"category": category, "query": query, "method": method, "target": keep}


def _unaccented(targets: list[dict[str, Any]], names: list[str], rng: random.Random) -> list[dict[str, Any]]:
    picked = rng.sample(targets, 22)
    return [
        _entry(
            "unaccented", fold(" ".join(_window(t["name"], names))).lower(), t, "shortest unique run, folded"
        )
        for t in picked
    ]


def _typos(targets: list[dict[str, Any]], names: list[str], rng: random.Random) -> list[dict[str, Any]]:
    out = []
    for t in rng.sample(targets, 22):
        words = [fold(w).lower() for w in _window(t["name"], names)]
        long = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
        if not long:
            continue
        i = rng.choice(long)
        words[i] = _typo(words[i], rng)
        out.append(_entry("typo", " ".join(words), t, "shortest unique run, folded, one typo"))
    return out


def _abbreviations(
    targets: list[dict[str, Any]], names: list[str], rng: random.Random
) -> list[dict[str, Any]]:
    """The name's unique run, stretched to hold the long form, written with the abbreviation (or the
    abbreviation a name holds, spelled out)."""
    out = []
    for t in targets:
        words = _words(t["name"])
        first = _start(words)
        unique = len(_window(t["name"], names))
        low = [w.lower() for w in words]
        for long, short in ABBREVIATIONS.items():
            size = len(long.split())
            spots = [i for i in range(first, len(low)) if low[i : i + size] == long.split()]
            shorts = [i for i in range(first, len(low)) if low[i] == short.lower() and short != "GĐ"]
            if spots:
                end = max(first + unique, spots[0] + size)
                query = " ".join(low[first:end]).replace(long, short)
                method = f"shortest unique run holding «{long}», written «{short}»"
            elif shorts:
                end = max(first + unique, shorts[0] + 1)
                query = " ".join(low[first:end]).replace(short.lower(), long)
                method = f"shortest unique run holding «{short}», spelled out"
            else:
                continue
            folded = rng.random() < 0.5
            out.append(
                _entry(
                    "abbreviation",
                    fold(query) if folded else query,
                    t,
                    method + (", folded" if folded else ""),
                )
            )
    unique_queries = {e["query"]: e for e in out}
    return rng.sample(sorted(unique_queries.values(), key=lambda e: e["query"]), min(18, len(unique_queries)))


def _loose_code(code: str, rng: random.Random) -> tuple[str, str]:
    if re.fullmatch(r"\d\.\d{6}", code):
        return rng.choice(((code.replace(".", ""), "national code without its dot"),
                           (f"code:{code.replace('.', '')}", "code: filter without the dot")))  # fmt: skip
    variants = (
        (code.replace(".", "").replace("-", ""), "dots and dashes dropped"),
        (re.sub(r"[.\-]", " ", fold(code)), "spaces for dots, đ as d"),
        (fold(code).lower().replace(".", "").replace("-", ""), "lower case, no dots, đ as d"),
        (re.sub(r"\.(\d+)$", r"\1", code), "last dot dropped"),
        (f"code:{fold(code)}", "code: filter, đ as d"),
    )
    return rng.choice(variants)


def _codes(targets: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    with_code = [t for t in targets if t["code"]]
    national = [t for t in targets if t["national"] and re.fullmatch(r"\d\.\d{6}", t["national"])]
    out = []
    for t in with_code:
        query, method = _loose_code(t["code"], rng)
        out.append(_entry("code", query, t, f"procedure code {t['code']}: {method}"))
    for t in rng.sample(national, min(len(national), 22 - len(out))):
        query, method = _loose_code(t["national"], rng)
        out.append(_entry("code", query, t, f"national code {t['national']}: {method}"))
    return out


def _joined(targets: list[dict[str, Any]], names: list[str], rng: random.Random) -> list[dict[str, Any]]:
    out = []
    for t in rng.sample(targets, 18):
        words = [fold(w).lower() for w in _window(t["name"], names)]
        pairs = [i for i in range(len(words) - 1) if words[i].isalpha() and words[i + 1].isalpha()]
        i = rng.choice(pairs)
        words[i : i + 2] = [words[i] + words[i + 1]]
        out.append(_entry("joined", " ".join(words), t, "shortest unique run, folded, two syllables joined"))
    return out


def _filters(targets: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    usable = [t for t in targets if t["units"] and t["field"] and t["kind"] == "procedure"]
    usable += [t for t in targets if t["units"] and t["field"] and t["kind"] == "catalog"]
    out = []
    for t in rng.sample(usable, min(18, len(usable))):
        words = _words(t["name"])
        first = _start(words)
        unit = rng.choice(t["units"])
        start = fold(" ".join(words[first : first + 3])).lower()
        query = f'{start} unit:"{fold(unit).lower()}" field:"{t["field"]}"'
        out.append(
            _entry("unit+field", query, t, "first three words, one of its units and its field as filters")
        )
    return out


def main() -> None:
    targets = _targets()
    names = [t["name"] for t in targets]
    distinct = [
        t for t in {fold(t["name"]).lower(): t for t in targets}.values() if _window(t["name"], names)
    ]
    rng = random.Random(SEED)
    queries = (
        _unaccented(distinct, names, rng)
        + _typos(distinct, names, rng)
        + _abbreviations(distinct, names, rng)
        + _codes(targets, rng)
        + _joined(distinct, names, rng)
        + _filters(targets, rng)
    )
    data = {
        "provenance": {
            "corpus": "tests/corpus/vn-admin-docs (25 documents)",
            "made_by": "tests/data/build_search_judgments.py",
            "seed": SEED,
            "method": __doc__,
        },
        "queries": queries,
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    counts: dict[str, int] = {}
    for q in queries:
        counts[q["category"]] = counts.get(q["category"], 0) + 1
    print(f"{len(queries)} queries: {counts}")


if __name__ == "__main__":
    main()
