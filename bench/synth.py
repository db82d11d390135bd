"""A synthetic catalog of internal procedures for benchmarks, in realistic Vietnamese.

``make_procedures(n, seed)`` returns ``n`` ``ProcedureRecord``s (ids 1..n, deterministic for a seed)
built at bench time from the corpus in ``tests/corpus``: procedure names, fields, step texts and
units come from what the parsers find there, recombined, and extra text is drawn from a word-bigram
chain of the corpus, so word frequencies look like the real documents (a few very common syllables,
a long tail). Units are the canonical names of ``parsers/data/units.json``.

About 5% of the procedures have a superseded first version (so ``n`` records hold fewer than ``n``
current procedures), and events follow the lifecycle: every version is published by its decision,
most are reviewed, many publicized.

    from synth import make_procedures
    records = make_procedures(20_000, seed=1)
"""

from __future__ import annotations

import random
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests")]  # synth, fixtures

from procreg.registry.models import Event, ProcedureRecord, Step  # noqa: E402
from procreg.text import fold, normalize_text  # noqa: E402

__all__ = ["Vocabulary", "load_vocabulary", "make_procedures"]

CORPUS = ROOT / "tests" / "corpus"
_WORD = re.compile(r"[^\W\d_][\w]*|\d+", re.UNICODE)
_SENTENCE = re.compile(r"[.;:!?\n|]+")

STEP_VERBS = (
    "Tiếp nhận hồ sơ",
    "Thẩm định hồ sơ",
    "Xem xét, trình ký",
    "Phê duyệt kết quả",
    "Ban hành văn bản",
    "Trả kết quả",
    "Kiểm tra tính hợp lệ",
    "Lấy ý kiến các cơ quan liên quan",
    "Tổng hợp, báo cáo",
    "Chuyển hồ sơ",
)
DURATIONS = (
    (4.0, "04 giờ"),
    (8.0, "01 ngày làm việc"),
    (16.0, "02 ngày làm việc"),
    (24.0, "03 ngày"),
    (None, ""),
)


@dataclass(frozen=True)
class Vocabulary:
    """Material harvested from the corpus."""

    names: tuple[str, ...]
    fields: tuple[str, ...]
    steps: tuple[str, ...]
    units: tuple[str, ...]
    chain: dict[str, tuple[str, ...]]
    starts: tuple[str, ...]

    def sentence(self, rng: random.Random, low: int = 8, high: int = 22) -> str:
        """A sentence of ``low``..``high`` words walked along the corpus's word bigrams."""
        word = rng.choice(self.starts)
        words = [word]
        target = rng.randint(low, high)
        while len(words) < target:
            nxt = self.chain.get(word.lower())
            word = rng.choice(nxt) if nxt else rng.choice(self.starts)
            words.append(word)
        text = " ".join(words)
        return text[:1].upper() + text[1:]


def _corpus_texts() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*.txt"))


def _harvest_with_parsers(paths: list[Path]) -> tuple[set[str], set[str], set[str]]:
    """Names, fields and step texts as the project's parsers find them (a file they fail on adds nothing)."""
    from procreg.parsers.document import parse_document

    names: set[str] = set()
    fields: set[str] = set()
    steps: set[str] = set()
    for path in paths:
        try:
            doc = parse_document(path)
        except Exception:  # noqa: BLE001 - a parser gap only means less material
            continue
        for entry in doc.catalog:
            names.add(entry.name)
            if entry.field:
                fields.add(entry.field)
        for proc in doc.procedures:
            names.add(proc.name)
            if proc.field:
                fields.add(proc.field)
            steps.update(s.text for s in proc.steps if 3 <= len(s.text.split()) <= 60)
    return names, fields, steps


def _harvest_with_regex(texts: list[str]) -> tuple[set[str], set[str]]:
    names: set[str] = set()
    fields: set[str] = set()
    for text in texts:
        for line in text.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if (
                len(cells) >= 3
                and cells[0].isdigit()
                and 4 <= len(cells[1].split()) <= 25
                and cells[1][:1].isupper()
            ):
                names.add(cells[1])
        for m in re.finditer(r"Lĩnh vực ([^|,.;:()\n]{3,40})", text):
            fields.add(m.group(1).strip())
    return names, fields


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """Read the corpus once per process and keep what the generator needs."""
    paths = _corpus_texts()
    texts = [normalize_text(p.read_text(encoding="utf-8")) for p in paths]
    names, fields, steps = _harvest_with_parsers(paths)
    more_names, more_fields = _harvest_with_regex(texts)
    names |= more_names
    fields |= more_fields
    chain: dict[str, list[str]] = defaultdict(list)
    starts: list[str] = []
    for text in texts:
        for sentence in _SENTENCE.split(text):
            words = [w.lower() if w.isupper() and len(w) > 1 else w for w in _WORD.findall(sentence)]
            if len(words) < 4:
                continue
            starts.append(words[0])
            for a, b in zip(words, words[1:], strict=False):
                chain[a.lower()].append(b)
    from procreg.parsers.units import default_aliases

    units = sorted(set(default_aliases().values()))
    return Vocabulary(
        names=tuple(sorted(n for n in names if 3 <= len(n.split()) <= 40)),
        fields=tuple(sorted(f for f in fields if len(f) <= 80)) or ("Công tác văn phòng",),
        steps=tuple(sorted(steps)),
        units=tuple(units),
        chain={k: tuple(v) for k, v in chain.items()},
        starts=tuple(starts),
    )


def _abbrev(field: str) -> str:
    letters = [w[0] for w in field.split() if w[:1].isalpha()]
    return "".join(letters[:3]).upper() or "VP"


def _steps(rng: random.Random, vocab: Vocabulary, units: list[str]) -> tuple[Step, ...]:
    out: list[Step] = []
    for order in range(1, rng.randint(4, 9) + 1):
        if vocab.steps and rng.random() < 0.5:
            text = rng.choice(vocab.steps)
        else:
            text = f"{rng.choice(STEP_VERBS)}: {vocab.sentence(rng)}"
        responsible = tuple(rng.sample(units, k=min(len(units), rng.choice((1, 1, 2)))))
        hours, duration = rng.choice(DURATIONS)
        out.append(
            Step(
                order=order,
                label=f"B{order}",
                text=text,
                responsible=responsible,
                responsible_text=", ".join(responsible),
                hours=hours,
                duration_text=duration or "Không tính thời gian",
            )
        )
    return tuple(out)


def _events(rng: random.Random, number: str, issued: date, *, superseded: bool) -> tuple[Event, ...]:
    events = [Event(kind="published", on=issued.isoformat(), evidence=number)]
    if rng.random() < 0.75:
        on = issued + timedelta(days=rng.randint(30, 500))
        events.append(Event(kind="reviewed", on=on.isoformat(), by="Văn phòng - Thanh tra Sở"))
    if rng.random() < 0.6:
        on = issued + timedelta(days=rng.randint(1, 30))
        events.append(Event(kind="publicized", on=on.isoformat(), where="https://dichvucong.gov.vn"))
    if superseded:
        events.append(Event(kind="superseded", on=(issued + timedelta(days=400)).isoformat()))
    return tuple(sorted(events, key=lambda e: (e.on, e.kind)))


def make_procedures(n: int, seed: int) -> list[ProcedureRecord]:
    """``n`` synthetic procedure records (ids 1..n, sorted), the same for the same ``seed``."""
    rng = random.Random(seed)
    vocab = load_vocabulary()
    records: list[ProcedureRecord] = []
    codes: dict[str, int] = defaultdict(int)
    start = date(2022, 1, 1)
    while len(records) < n:
        field = rng.choice(vocab.fields)
        abbr = _abbrev(fold(field).upper() if rng.random() < 0.3 else field)
        codes[abbr] += 1
        code = f"QT.{abbr}.{codes[abbr]:02d}"
        name = rng.choice(vocab.names) if vocab.names and rng.random() < 0.6 else vocab.sentence(rng, 6, 14)
        if rng.random() < 0.5:
            name = f"{name} {vocab.sentence(rng, 2, 5).lower()}"
        units = rng.sample(vocab.units, k=min(len(vocab.units), rng.randint(2, 4)))
        issued = start + timedelta(days=rng.randint(0, 1400))
        versions = 2 if rng.random() < 0.05 and len(records) + 2 <= n else 1
        prev_id: int | None = None
        for version in range(1, versions + 1):
            rid = len(records) + 1
            superseded = version < versions
            number = f"{rng.randint(100, 4999)}/QĐ-UBND"
            steps = _steps(rng, vocab, units)
            day = issued + timedelta(days=400 * (version - 1))
            records.append(
                ProcedureRecord(
                    id=rid,
                    key=code,
                    code=code,
                    catalog_code=f"1.0{rng.randint(10000, 99999)}",
                    name=name,
                    field=field,
                    version=version,
                    status="superseded" if superseded else "active",
                    internal=True,
                    time_limit=f"{rng.choice((5, 7, 10, 15, 20, 30))} ngày làm việc kể từ ngày nhận đủ hồ sơ",
                    steps=steps,
                    units=tuple(dict.fromkeys(u for s in steps for u in s.responsible)),
                    issuer="Ủy ban nhân dân tỉnh Hà Tĩnh",
                    document_id=rid,
                    document_number=number,
                    document_date=day.isoformat(),
                    supersedes_id=prev_id,
                    events=_events(rng, number, day, superseded=superseded),
                )
            )
            prev_id = rid
    return records


if __name__ == "__main__":
    import json

    from procreg.registry.models import to_jsonable

    sample = make_procedures(int(sys.argv[1]) if len(sys.argv) > 1 else 3, seed=1)
    print(json.dumps(to_jsonable(sample[:3]), ensure_ascii=False, indent=2)[:4000])
