"""A small trigram language model (ARPA) for dictation in a domain, built from sentences.

PocketSphinx's general US-English model knows everyday speech; report dictation is far
narrower. ``build_arpa`` turns a corpus (``resources/dictation/radiology-en.txt`` plus
spoken numbers and the voice commands) into a backoff trigram model with absolute
discounting; :func:`domain_lm` caches it under the app data dir.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from core.paths import RESOURCES, app_subdir
from dictation.commands import CommandSet
from dictation.errors import DictationError
from dictation.numbers import EN_TENS, EN_UNITS

DISCOUNT = 0.5
BOS, EOS = "<s>", "</s>"
CORPORA = {"radiology": {"en": RESOURCES / "dictation" / "radiology-en.txt"}}



def spoken_numbers_en() -> list[str]:
    """0..100 as spoken, plus a few decimals."""
    units = EN_UNITS[:10]
    out = list(EN_UNITS)
    for t in EN_TENS:
        out.append(t)
        out.extend(f"{t} {u}" for u in units[1:])
    out.append("one hundred")
    out.extend(f"{a} point {b}" for a in units[:6] for b in units)
    return out


def corpus_sentences(domain: str, lang: str) -> list[str]:
    path = CORPORA.get(domain, {}).get(lang)
    if path is None:
        raise DictationError(f"no {domain} language model for language {lang!r}")
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    base = [ln for ln in lines if ln and not ln.startswith("#")]
    numbers = spoken_numbers_en()
    out = list(base)
    out += [f"{s} period" for s in base]  # sentences end with spoken punctuation
    out += [f"{n} percent" for n in numbers]
    out += [f"involvement of {n} percent" for n in numbers[::3]]
    out += [f"measures {n} millimeters" for n in numbers[::2]]
    out += CommandSet(lang).grammar()
    return out


def _ngrams(sentences: Iterable[str]) -> list[Counter]:
    counts = [Counter(), Counter(), Counter()]
    for s in sentences:
        words = [BOS, *s.split(), EOS]
        for n in (1, 2, 3):
            for i in range(len(words) - n + 1):
                counts[n - 1][tuple(words[i : i + n])] += 1
    return counts


def build_arpa(sentences: Iterable[str]) -> str:
    """A backoff trigram model in ARPA text format."""
    uni, bi, tri = _ngrams(sentences)
    total = sum(c for (w,), c in uni.items() if w != BOS)
    p1 = {w: c / total for (w,), c in uni.items() if w != BOS}
    p1[BOS] = 0.0

    def discounted(counts: Counter, order: int) -> tuple[dict, dict]:
        ctx_total: Counter = Counter()
        ctx_types: Counter = Counter()
        followers: dict[tuple, list] = defaultdict(list)
        for gram, c in counts.items():
            ctx_total[gram[:-1]] += c
            ctx_types[gram[:-1]] += 1
            followers[gram[:-1]].append(gram)
        probs = {g: (c - DISCOUNT) / ctx_total[g[:-1]] for g, c in counts.items()}
        left = {h: DISCOUNT * ctx_types[h] / ctx_total[h] for h in ctx_total}
        return probs, {"left": left, "followers": followers}

    p2, info2 = discounted(bi, 2)
    p3, info3 = discounted(tri, 3)

    def bow(h: tuple, lower) -> float:
        seen = sum(lower(g[1:]) for g in (info2 if len(h) == 1 else info3)["followers"][h])
        return (info2 if len(h) == 1 else info3)["left"][h] / max(1e-9, 1 - seen)

    bow1 = {h: bow(h, lambda g: p1[g[0]]) for h in info2["left"]}

    def p2_full(g: tuple) -> float:
        return p2[g] if g in p2 else bow1.get(g[:1], 1.0) * p1[g[1]]

    bow2 = {h: bow(h, p2_full) for h in info3["left"]}
    lg = lambda p: math.log10(p) if p > 0 else -99.0  # noqa: E731
    lines = [
        "\\data\\",
        f"ngram 1={len(p1)}",
        f"ngram 2={len(p2)}",
        f"ngram 3={len(p3)}",
        "",
        "\\1-grams:",
    ]
    for w, p in sorted(p1.items()):
        lines.append(f"{lg(p):.4f}\t{w}\t{lg(bow1.get((w,), 1.0)):.4f}")
    lines += ["", "\\2-grams:"]
    for g, p in sorted(p2.items()):
        lines.append(f"{lg(p):.4f}\t{' '.join(g)}\t{lg(bow2.get(g, 1.0)):.4f}")
    lines += ["", "\\3-grams:"]
    lines += [f"{lg(p):.4f}\t{' '.join(g)}" for g, p in sorted(p3.items())]
    lines += ["", "\\end\\", ""]
    return "\n".join(lines)


def domain_lm(domain: str = "radiology", lang: str = "en") -> Path:
    """The ARPA model for ``domain``, built once per corpus version and cached."""
    sentences = corpus_sentences(domain, lang)
    digest = hashlib.sha256("\n".join(sentences).encode()).hexdigest()[:12]
    path = app_subdir("cache") / "dictation" / f"{domain}-{lang}-{digest}.lm"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(build_arpa(sentences), encoding="utf-8")
        tmp.replace(path)
    return path
