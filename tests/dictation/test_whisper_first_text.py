"""Whisper's first text: a fast greedy tentative final at the first sign of a pause, before
the full decode, confirmed or replaced by the final. Real tiny.en on espeak-ng speech; times
are stream times (the block that gave a result), never wall-clock."""

from __future__ import annotations

import numpy as np
import pytest

from dictation.engines import EngineOptions, create_recognizer
from dictation.results import APPEND, revision
from dictation.session import DictationSession
from dictation.synth import synthesize
from dictation.transcript import DictationProcessor
from tests.plugins import ci_guard

ci_guard.importorskip("faster_whisper", "faster-whisper")
RATE = 16_000
BLOCK = 320  # 20 ms, as live capture delivers
LEAD = np.zeros(RATE // 2, np.int16)


@pytest.fixture(scope="module")
def english(english_model):
    def make(fast: bool = True, adaptive: bool = False):
        rec = create_recognizer("whisper", EngineOptions(lang="en", model_dir=english_model))
        if not fast:
            rec.fast_pause = None  # as before the fast tentative final
        elif not adaptive:
            rec.fast_budget = float("inf")  # on however slow this box's decodes are
        return rec

    make().close()
    return make


def _words(text: str) -> list[str]:
    return [w.strip(".,;:!?").lower() for w in text.split()]


def _trimmed(text: str) -> np.ndarray:
    speech = synthesize(text)
    loud = np.flatnonzero(np.abs(speech) > 500)
    return speech[: loud[-1] + 1]


def _stream(rec, audio: np.ndarray) -> list[tuple[float, object]]:
    """(stream time in s of the block that gave it, result) for every final."""
    out = []
    for i in range(0, len(audio), BLOCK):
        out += [((i + BLOCK) / RATE, r) for r in rec.accept(audio[i : i + BLOCK].tobytes())]
    return [(t, r) for t, r in out if r.final]


def _shown(finals) -> str:
    """The text a session shows after these finals (revisions replace, never append)."""
    shown: list = []
    pending = None
    for _, r in finals:
        kind = revision(r, pending)
        if kind != APPEND and shown and shown[-1] is pending:
            shown.pop()
        if r.text:
            shown.append(r)
        pending = r if r.tentative else None
    return " ".join(r.text for r in shown)


def test_tentative_text_comes_sooner_and_the_final_stands_in_its_place(english):
    speech = _trimmed("no enlarged lymph nodes")
    audio = np.concatenate([LEAD, speech, np.zeros(RATE * 3 // 2, np.int16)])
    end = (len(LEAD) + len(speech)) / RATE  # the last loud sample
    fast, slow = _stream(english(), audio), _stream(english(fast=False), audio)
    (first_at, first), (_, last) = fast[0], fast[-1]
    assert first.tentative and not first.revises and first.text
    assert first_at - end <= 0.2  # the pause timer's first sign of a pause: ~0.13 s
    assert first_at < slow[0][0] - 0.05  # the full decode's pause comes ~0.1 s later
    assert not last.tentative and last.revises and last.words  # the final, with word times
    assert _words(_shown(fast)) == ["no", "enlarged", "lymph", "nodes"]
    assert _words(_shown(fast)) == _words(_shown(slow))


def test_speech_that_resumes_after_fast_text_is_decoded_whole_once(english):
    first, second = _trimmed("no pleural effusion"), _trimmed("the heart size is normal")
    pause = np.zeros(int(0.25 * RATE), np.int16)  # shorter than the endpointer's silence
    audio = np.concatenate([LEAD, first, pause, second, np.zeros(RATE * 3 // 2, np.int16)])
    finals = _stream(english(), audio)
    assert finals[0][1].tentative and finals[0][0] < (len(LEAD) + len(first)) / RATE + 0.25
    assert any(r.revises for _, r in finals[1:])
    shown = _words(_shown(finals))
    assert shown[-5:] == ["the", "heart", "size", "is", "normal"], shown
    assert shown.count("effusion") + shown.count("diffusion") == 1, shown  # nothing doubled


def test_silence_and_noise_give_no_fast_text(english):
    rng = np.random.default_rng(11)
    rec = english()
    silence = np.zeros(2 * RATE, np.int16)
    hiss = rng.normal(0, 2500, 2 * RATE).astype(np.int16)
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 4 * np.arange(2 * RATE) / RATE)
    babble = (np.convolve(rng.normal(0, 1, 2 * RATE), np.ones(8) / 8, "same") * envelope * 8000)
    for audio in (silence, hiss, babble.astype(np.int16)):
        framed = np.concatenate([LEAD, audio, np.zeros(RATE, np.int16)])
        assert [r.text for _, r in _stream(rec, framed) if r.text] == []


def test_the_session_shows_the_fast_text_then_the_final_in_its_place(english):
    """The app's path: recogniser -> session events, as the dictation panel takes them."""
    speech = _trimmed("consolidation in the left upper lobe")
    audio = np.concatenate([LEAD, speech, np.zeros(RATE * 3 // 2, np.int16)])
    events: list = []
    session = DictationSession(english(), DictationProcessor("en"), events.append)
    for i in range(0, len(audio), BLOCK):
        session.queue.put(audio[i : i + BLOCK].tobytes())
    session.start_recogniser()
    session.stop(timeout=60)
    shown = [e for e in events if e.kind in ("final", "confirmed")]
    assert shown[0].kind == "final" and shown[0].result.tentative and shown[0].text
    assert not shown[-1].result.tentative  # the final (confirmed or revising) ends it
    assert all(e.revises for e in shown[1:] if e.kind == "final")  # replaced, not appended
    assert _words(shown[-1].text) == ["consolidation", "in", "the", "left", "upper", "lobe"]


def test_a_long_utterance_waits_for_the_full_decode(english):
    """Past FAST_MAX (a sentence read with pauses) no fast decode: each would be made void
    by the speech after it, and the final came later."""
    speech = _trimmed(
        "findings are consistent with viral pneumonia with bilateral ground glass opacities "
        "in the lower lobes"
    )
    assert len(speech) / RATE > 4.5
    audio = np.concatenate([LEAD, speech, np.zeros(RATE * 3 // 2, np.int16)])
    fast, slow = _stream(english(), audio), _stream(english(fast=False), audio)
    assert [t for t, _ in fast] == [t for t, _ in slow]  # the same finals, at the same blocks


def test_a_misheard_command_never_shows_as_text_first(english_model):
    """tiny.en's greedy decode writes "end dictation" as text no command matches; the fast
    final holds it back (the scorer, on the full decode, decides), so no stray text flashes
    before the command. ("strike that", heard "strike, no.", is no longer one: the scorer
    makes no deleting command from other words, tests/dictation/test_command_scorer.py.)"""
    from dictation.command_score import command_of
    from dictation.commands import CommandSet
    from dictation.options import build_options

    commands = CommandSet("en")
    rec = create_recognizer("whisper", build_options("en", model_dir=english_model))
    rec.fast_budget = float("inf")  # the fast final on however slow this box's decodes are
    for phrase in ("end dictation", "next field"):
        speech = _trimmed(phrase)
        audio = np.concatenate([LEAD, speech, np.zeros(RATE * 3 // 2, np.int16)])
        finals = [r for _, r in _stream(rec, audio) if r.text]
        assert finals, phrase
        expected = command_of(phrase, commands)
        assert [command_of(r.text, commands) for r in finals] == [expected] * len(finals), (
            phrase, [r.text for r in finals])


def test_slow_greedy_decodes_switch_the_fast_final_off(english):
    """Where greedy decodes take longer than the goal leaves (here a budget no real decode
    meets), the fast final cannot make first text within 0.3 s and only delays the beam
    decode: after one measured decode the recogniser gives the finals it gives without it."""
    rec, slow_rec = english(adaptive=True), english(fast=False)
    rec.fast_budget = 1e-4
    rec.early_encode = False  # nothing done at the fast pause, as without the fast final
    first = _trimmed("no pleural effusion")
    for r in (rec, slow_rec):  # both hear the same stream
        _stream(r, np.concatenate([LEAD, first, np.zeros(RATE * 3 // 2, np.int16)]))
    assert rec.greedy_cost is not None and rec.greedy_cost > rec.fast_budget
    assert not rec.fast_on
    speech = _trimmed("no enlarged lymph nodes")
    audio = np.concatenate([LEAD, speech, np.zeros(RATE * 3 // 2, np.int16)])
    got, slow = _stream(rec, audio), _stream(slow_rec, audio)
    assert [(t, r.text, r.tentative) for t, r in got] == [
        (t, r.text, r.tentative) for t, r in slow
    ]


def test_the_fast_final_comes_back_when_greedy_decodes_are_quick_again(english):
    """Switched off, the partials' greedy decodes keep measuring; once quick (a budget every
    real decode meets), the next utterance has its fast text at the first sign of a pause."""
    rec = english(adaptive=True)
    rec.fast_budget = 1e-4
    warm = _trimmed("no pleural effusion")
    _stream(rec, np.concatenate([LEAD, warm, np.zeros(RATE * 3 // 2, np.int16)]))
    assert not rec.fast_on
    rec.fast_budget = 1e3
    speech = _trimmed("consolidation in the left upper lobe")  # long enough for a partial
    assert len(speech) / RATE + len(LEAD) / RATE > 1.5
    audio = np.concatenate([LEAD, speech, np.zeros(RATE * 3 // 2, np.int16)])
    got, slow = _stream(rec, audio), _stream(english(fast=False), audio)
    assert rec.fast_on
    end = (len(LEAD) + len(speech)) / RATE
    assert got[0][1].tentative and got[0][0] - end <= 0.2
    assert got[0][0] < slow[0][0] - 0.05


def _switched_off(english, early_encode: bool = True):
    """A recogniser whose fast final slow greedy decodes have switched off."""
    rec = english(adaptive=True)
    rec.fast_budget = 1e-4
    rec.early_encode = early_encode
    warm = _trimmed("no pleural effusion")
    _stream(rec, np.concatenate([LEAD, warm, np.zeros(RATE * 3 // 2, np.int16)]))
    assert not rec.fast_on
    return rec


def _encodes(rec) -> list[float]:
    """Times (s) at which ``rec`` encodes audio (partials' included), in the stream fed from
    now on."""
    at: list[float] = []
    real, start = rec._encode, rec._fed

    def encode(audio, _real=real):
        at.append((rec._fed - start) / (2 * RATE))
        return _real(audio)

    rec._encode = encode
    return at


def test_with_the_fast_final_off_the_utterance_is_encoded_at_the_first_sign_of_a_pause(english):
    """Fast final off (slow greedy decodes): the utterance is encoded at the fast final's
    pause, ~0.1 s before the full decode's, which then reuses it (one encode, no text of its
    own), so on a slow box the text is not held up by that 0.1 s; the same words, confirmed
    by the endpointer's final with word times."""
    rec, before = _switched_off(english), _switched_off(english, early_encode=False)
    encoded, encoded_before = _encodes(rec), _encodes(before)
    speech = _trimmed("no enlarged lymph nodes")
    audio = np.concatenate([LEAD, speech, np.zeros(RATE * 3 // 2, np.int16)])
    end = (len(LEAD) + len(speech)) / RATE
    got, old = _stream(rec, audio), _stream(before, audio)
    assert not rec.fast_on
    encoded = [t for t in encoded if t > end]  # not the partials during speech
    encoded_before = [t for t in encoded_before if t > end]
    assert len(encoded) == 1 and encoded[0] - end <= 0.2, encoded  # once, at the first sign
    assert len(encoded_before) == 1 and encoded_before[0] > encoded[0] + 0.05
    (first_at, first), (_, last) = got[0], got[-1]
    assert first.tentative and first.text and first_at == old[0][0]  # at the same pause
    assert not last.tentative and last.revises and last.words
    assert _words(_shown(got)) == _words(_shown(old)) == ["no", "enlarged", "lymph", "nodes"]


def test_with_the_fast_final_off_speech_after_the_pause_is_decoded_whole_once(english):
    """The tentative final after an early encode is revised when speech resumes (the
    encoder output of the first part is not reused): nothing doubled or lost."""
    rec = _switched_off(english)
    first, second = _trimmed("no pleural effusion"), _trimmed("the heart size is normal")
    pause = np.zeros(int(0.25 * RATE), np.int16)  # shorter than the endpointer's silence
    audio = np.concatenate([LEAD, first, pause, second, np.zeros(RATE * 3 // 2, np.int16)])
    finals = _stream(rec, audio)
    assert finals[0][1].tentative and finals[0][0] < (len(LEAD) + len(first)) / RATE + 0.3
    assert any(r.revises for _, r in finals[1:]) and not finals[-1][1].tentative
    shown = _words(_shown(finals))
    assert shown[-5:] == ["the", "heart", "size", "is", "normal"], shown
    assert shown.count("effusion") + shown.count("diffusion") == 1, shown


def test_a_looping_partial_is_dropped_not_decoded_again(english):
    """A partial is live feedback only: when its greedy decode loops it is dropped, not
    decoded a second time (the end of speech would wait behind both); finals still retry."""
    speech = _trimmed("consolidation in the left upper lobe")  # long enough for a partial
    audio = np.concatenate([LEAD, speech, np.zeros(RATE * 3 // 2, np.int16)])
    for retries in (False, True):
        rec = english(fast=False)
        rec.partial_retries = retries
        real, calls = rec._generate, []

        def looping(audio, seconds, beam, use_prompt, temperature=0.0, encoded=None,
                    _real=real, _calls=calls):
            decoded = _real(audio, seconds, beam, use_prompt, temperature, encoded)
            _calls.append((beam, temperature))
            if beam == 1 and not temperature:  # a partial's greedy decode: looping
                decoded.compression = 9.9
            return decoded

        rec._generate = looping
        results = []
        for i in range(0, len(audio), BLOCK):
            results += rec.accept(audio[i : i + BLOCK].tobytes())
        greedy = [c for c in calls if c[0] == 1 and not c[1]]
        assert greedy, "no partial was decoded"
        retried = [c for c in calls if c[1]]
        assert bool(retried) == retries, calls
        if not retries:
            assert not any(r.text for r in results if not r.final)  # no looping partial
        finals = [(0.0, r) for r in results if r.final]
        assert _words(_shown(finals)) == ["consolidation", "in", "the", "left", "upper", "lobe"]


def _prompts_by_path(rec) -> dict[str, set[bool]]:
    """Spy on ``rec``: for each path (partial, fast, beam), whether its decodes had the prompt."""
    seen: dict[str, set[bool]] = {}
    path = ["beam"]
    real_generate = rec._generate

    def generate(audio, seconds, beam, use_prompt, **kw):
        seen.setdefault(path[0] if beam == 1 else "beam", set()).add(use_prompt)
        return real_generate(audio, seconds, beam, use_prompt, **kw)

    def on(name: str, label: str):
        real = getattr(rec, name)

        def wrapped(*a, **kw):
            path[0] = label
            try:
                return real(*a, **kw)
            finally:
                path[0] = "beam"

        setattr(rec, name, wrapped)

    rec._generate = generate
    on("_partial", "partial")
    on("_fast_tentative", "fast")
    return seen


def test_partials_may_go_without_the_prompt_and_first_text_and_final_keep_it(english):
    """PARTIAL_PROMPT (not set by default): a partial (live feedback only) may skip the domain
    prompt's ~200 tokens, so one still running at the end of speech holds the first text up
    for less; the fast tentative final and the beam final keep the prompt."""
    rec = english()
    assert rec.partial_prompt, "English partials are prompted by default"
    rec.partial_prompt = False
    seen = _prompts_by_path(rec)
    speech = _trimmed("small bilateral pleural effusions with adjacent atelectasis")
    audio = np.concatenate([LEAD, speech, np.zeros(RATE * 3 // 2, np.int16)])
    finals = _stream(rec, audio)
    assert seen["partial"] == {False}
    assert seen["fast"] == {True} and seen["beam"] == {True}
    assert finals[0][1].tentative and finals[0][1].text
    assert "pleural" in _words(_shown(finals))


def test_greedy_decodes_may_all_go_without_the_prompt(english):
    """``fast_prompt`` (FAST_PROMPT, not set: the first text's WER rose): the fast final
    without the prompt too; the beam final keeps it."""
    rec = english()
    rec.fast_prompt = rec.partial_prompt = False
    seen = _prompts_by_path(rec)
    speech = _trimmed("the lungs are clear bilaterally")
    audio = np.concatenate([LEAD, speech, np.zeros(RATE * 3 // 2, np.int16)])
    finals = _stream(rec, audio)
    assert seen["fast"] == {False} and seen["beam"] == {True}
    assert finals[0][1].tentative and finals[0][1].text
    assert _words(_shown(finals))[:3] == ["the", "lungs", "are"]
