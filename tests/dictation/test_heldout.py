"""The held-out English radiology phrases of the dictation benchmark stay held out: none of
them appears verbatim in what the recogniser is given or tuned with (the Whisper prompt, the
radiology lexicon and LM corpus, the user dictionary, the written forms, the protocols, the
dictation code's own tables)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from dictation.options import prompt_terms

ROOT = Path(__file__).resolve().parents[2]


def heldout(name: str = "RADIOLOGY_HELDOUT_EN") -> list[str]:
    """A held-out list (``RADIOLOGY_HELDOUT_EN``, ``NEGATION_RU``, ``NEGATION_EN``) read from
    the benchmark's source (not imported: the benchmark sets up its own environment on
    import)."""
    tree = ast.parse((ROOT / "benchmarks" / "dictation.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            getattr(t, "id", None) == name for t in node.targets
        ):
            return list(ast.literal_eval(node.value))
    raise AssertionError(f"{name} not found in benchmarks/dictation.py")


def _key(text: str) -> str:
    """Lower-case words separated by single spaces, framed by spaces (whole-word search)."""
    return " " + " ".join(re.sub(r"[^\w%]+", " ", text.lower()).split()) + " "


def sources() -> dict[str, str]:
    files = [
        *sorted((ROOT / "resources" / "dictation").glob("*")),
        *sorted((ROOT / "resources" / "protocols").rglob("*.yaml")),
        *sorted((ROOT / "dictation").rglob("*.py")),
    ]
    out = {str(p.relative_to(ROOT)): _key(p.read_text(encoding="utf-8")) for p in files
           if p.is_file()}
    out["the English prompt terms"] = _key(", ".join(prompt_terms("en")))
    out["the Russian prompt terms"] = _key(", ".join(prompt_terms("ru")))
    return out


def test_heldout_set_is_large_and_distinct():
    phrases = heldout()
    assert len(phrases) >= 40
    assert len({_key(p) for p in phrases}) == len(phrases)


def test_no_heldout_phrase_is_in_a_prompt_lexicon_or_table():
    found = [
        (phrase, name)
        for name, text in sources().items()
        for phrase in heldout()
        if _key(phrase) in text
    ]
    assert found == []


def test_the_check_finds_a_phrase_that_is_there():
    """The search is not vacuous: a development phrase that is in the lexicon is found."""
    text = sources()["resources/dictation/radiology-en.txt"]
    assert _key("emphysema in the upper lobes") in text
    assert _key("Emphysema, in the upper lobes.") in text


def test_negation_sets_are_large_held_out_and_hold_both_kinds():
    """The negation sets (h18-neg): >= 30 sentences with a negation and some without in
    each language, none of them verbatim in a prompt, lexicon, protocol or table."""
    negations = {"NEGATION_RU": (" не ", " нет ", " без ", " ни "),
                 "NEGATION_EN": (" no ", " not ", " without ", " negative ")}
    for name, words in negations.items():
        sentences = heldout(name)
        with_one = [s for s in sentences if any(w in _key(s) for w in words)]
        assert len(with_one) >= 30 and len(sentences) - len(with_one) >= 10, name
        assert len({_key(s) for s in sentences}) == len(sentences), name
        found = [(s, src) for src, text in sources().items() for s in sentences
                 if _key(s) in text]
        assert found == [], name
