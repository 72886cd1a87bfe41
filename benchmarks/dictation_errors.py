"""Where the dictation word errors are: per voice, per reference word, and by kind.

    .venv/bin/python benchmarks/dictation.py --table engines --lang en \\
        --only "held-out phrases, espeak-ng x3 voices: Whisper" -v > run.txt
    .venv/bin/python benchmarks/dictation_errors.py run.txt [--all]

Reads the verbose lines of a ``dictation.py`` run (``'reference' -> 'hypothesis'``), scores
them as that script does (:func:`benchmarks.dictation.norm_words`, so a run made before a
scoring change is scored again with the current rules) and sorts each aligned error into a
rough kind: a number or unit, a plural/singular, a word split or joined, a word written that
is in the domain prompt but not in the phrase (an upper bound on what the prompt leaked:
"new", "high", "send" are in it), a function word, or another acoustic error. Voices cycle
as in the benchmark (:data:`benchmarks.dictation.EN_VOICES`). ``--all`` prints each error.
"""

from __future__ import annotations

import argparse
import ast
import collections
import os
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("LUCH_HOME", tempfile.mkdtemp(prefix="luch-bench-"))

from benchmarks.dictation import EN_VOICES, norm_words
from dictation.options import build_options

LINE = re.compile(r"^    .*?: ('.*'|\".*\") -> ('.*'|\".*\")(  \[\d+\])?")
FUNCTION = {"a", "the", "in", "of", "no", "and", "to", "is", "are", "on", "or", "with", "at",
            "that", "this"}
Op = tuple[str, str, str]  # S/D/I, reference word, hypothesis word


def align(ref: list[str], hyp: list[str]) -> list[Op]:
    """The edit operations of a minimal alignment of ``hyp`` to ``ref``."""
    d = [[i + j if not i or not j else 0 for j in range(len(hyp) + 1)]
         for i in range(len(ref) + 1)]
    for i in range(1, len(ref) + 1):
        for j in range(1, len(hyp) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]))
    i, j, ops = len(ref), len(hyp), []
    while i or j:
        if i and j and d[i][j] == d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            if ref[i - 1] != hyp[j - 1]:
                ops.append(("S", ref[i - 1], hyp[j - 1]))
            i, j = i - 1, j - 1
        elif i and d[i][j] == d[i - 1][j] + 1:
            ops.append(("D", ref[i - 1], ""))
            i -= 1
        else:
            ops.append(("I", "", hyp[j - 1]))
            j -= 1
    return ops[::-1]


def kind(op: Op, ref_words: set[str], prompt_words: set[str]) -> str:
    _o, a, b = op
    if any(ch.isdigit() for ch in a + b) or {a, b} & {"mm", "cm", "ml", "hu"}:
        return "number or unit"
    if b and b in prompt_words and b not in ref_words and b not in FUNCTION:
        return "a prompt word written"
    if a and b and a.rstrip("s") == b.rstrip("s"):
        return "plural/singular"
    if (a and b and (a in b or b in a)) or (not a and any(b in r for r in ref_words)):
        return "word split or joined"
    if a in FUNCTION or b in FUNCTION:
        return "function word"
    return "other (acoustic)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("log", type=Path)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--all", action="store_true", help="print each utterance's errors")
    args = parser.parse_args()
    prompt = {w.lower() for t in build_options(args.lang).prompt_terms or ()
              for w in re.findall(r"\w+", t)}
    by_voice: collections.Counter[str] = collections.Counter()
    words: collections.Counter[str] = collections.Counter()
    wrong: collections.Counter[str] = collections.Counter()
    kinds: dict[str, list[str]] = collections.defaultdict(list)
    n = 0
    for line in args.log.read_text(encoding="utf-8").splitlines():
        m = LINE.match(line)
        if not m:
            continue
        ref, hyp = ast.literal_eval(m.group(1)), ast.literal_eval(m.group(2))
        voice, n = EN_VOICES[n % len(EN_VOICES)], n + 1
        r, h = norm_words(ref, args.lang), norm_words(hyp, args.lang)
        ops = align(r, h)
        by_voice[voice] += len(ops)
        words[voice] += len(r)
        for op in ops:
            wrong[op[1] or "(inserted)"] += 1
            kinds[kind(op, set(r), prompt)].append(f"{op[1]}>{op[2]}")
        if args.all and ops:
            print(f"[{voice}] {ref} -> {hyp} | " + "; ".join(f"{a}>{b}" for _o, a, b in ops))
    total, ref_total = sum(by_voice.values()), sum(words.values())
    print(f"{n} utterances, {total}/{ref_total} = {total / max(ref_total, 1):.3f}")
    for voice in by_voice:
        print(f"  {voice}: {by_voice[voice]}/{words[voice]} = "
              f"{by_voice[voice] / max(words[voice], 1):.3f}")
    print("reference words most often wrong:", wrong.most_common(25))
    for name, found in sorted(kinds.items(), key=lambda k: -len(k[1])):
        print(f"{name}: {len(found)}, e.g. {found[:12]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
