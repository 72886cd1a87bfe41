"""The radiology trigram model: valid backoff probabilities, and it helps PocketSphinx."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pytest

from dictation.engines import EngineOptions, create_recognizer
from dictation.errors import DictationError
from dictation.lm import build_arpa, corpus_sentences, domain_lm
from dictation.synth import synthesize
from dictation.transcribe import recognize
from dictation.wer import word_error_rate


def _parse(arpa: str):
    grams: dict[int, dict[tuple, tuple[float, float]]] = defaultdict(dict)
    order = 0
    for line in arpa.splitlines():
        if line.startswith("\\") and "-grams:" in line:
            order = int(line[1])
            continue
        parts = line.split("\t")
        if order and len(parts) >= 2:
            bow = float(parts[2]) if len(parts) > 2 else 0.0
            grams[order][tuple(parts[1].split())] = (float(parts[0]), bow)
    return grams


def _prob(grams, words: tuple) -> float:
    """Backoff probability, as a decoder computes it."""
    if words in grams[len(words)]:
        return 10 ** grams[len(words)][words][0]
    bow = grams[len(words) - 1].get(words[:-1], (0.0, 0.0))[1]
    return 10**bow * _prob(grams, words[1:])


@pytest.mark.parametrize("history", [("the",), ("no",), ("the", "lungs"), ("ground", "glass")])
def test_backoff_distributions_sum_to_one(history):
    grams = _parse(build_arpa(corpus_sentences("radiology", "en")))
    vocab = [w for (w,) in grams[1] if w != "<s>"]
    total = sum(_prob(grams, (*history, w)) for w in vocab)
    assert math.isclose(total, 1.0, rel_tol=1e-3), total


def test_model_is_cached_and_unknown_domains_explained(luch_home):
    first = domain_lm("radiology", "en")
    assert first.is_file() and first.is_relative_to(luch_home)
    assert domain_lm("radiology", "en") == first
    with pytest.raises(DictationError, match="no cardiology language model"):
        domain_lm("cardiology", "en")


HELD_OUT = ["consolidation in the left upper lobe", "no pleural effusion is seen"]


def test_radiology_model_beats_the_general_one_on_held_out_phrases(luch_home):
    corpus = set(corpus_sentences("radiology", "en"))
    assert not corpus & set(HELD_OUT)  # held out: not sentences of the corpus
    silence = np.zeros(8000, np.int16)
    wer = {}
    for domain in (None, "radiology"):
        errors = 0.0
        for phrase in HELD_OUT:
            audio = np.concatenate([silence, synthesize(phrase), silence, silence])
            rec = create_recognizer("pocketsphinx", EngineOptions(domain=domain))
            hyp = " ".join(r.text for r in recognize(rec, audio))
            errors += word_error_rate(phrase, hyp)
        wer[domain] = errors / len(HELD_OUT)
    # Measured: general 1.0 (nothing right), radiology 0.38 ("consolidation the left upper
    # lobe", "no pleural acute the").
    assert wer["radiology"] < wer[None] and wer["radiology"] <= 0.5, wer
