"""Whisper (faster-whisper on CTranslate2): utterances cut by a VAD, each decoded whole.

Streaming around a whole-utterance model:

* The endpointer (:mod:`dictation.endpoint`) cuts utterances; :data:`LEAD_IN` s of audio before its
  start goes with each, so the first syllable is not lost.
* While speech goes on, a partial: the audio so far decoded greedily, every
  :data:`PARTIAL_EVERY` seconds of audio (longer when decodes are slow, so partials cost
  at most ~1/3 of real time); with the domain prompt unless :data:`PARTIAL_PROMPT` says not.
* First text: at the first sign of a pause (:data:`FAST_PAUSE`, ~0.13 s after the last
  word) in an utterance of up to :data:`FAST_MAX`, a fast greedy decode is given as a
  tentative final, so text appears before the full decode; dropped if speech resumes,
  replaced by the full decode's text where that differs.
  Switched off while greedy decodes run too slow for text within 0.3 s of the end of speech
  (:data:`FAST_BUDGET`, measured as the recogniser runs), on again when they are quick;
  while it is off, the utterance is encoded at that first sign of a pause instead, and the
  full decode at the short pause below reuses it (:data:`EARLY_ENCODE`). A partial that
  loops is dropped, not decoded again.
* At a short pause (:class:`~dictation.endpoint.PauseTimer`) the utterance is decoded and
  given as a tentative final; when the endpointer then ends it, the same text comes again
  with Whisper's word timestamps (aligned on the kept encoder output, no second decode): the
  session's ``confirmed``. If speech resumes, the whole utterance is decoded again at the
  next pause or end, and that final revises the tentative one.
* Commands: a short utterance whose text is no command is scored against the nearest command
  phrases (:mod:`dictation.command_scorer`); a phrase that clearly wins replaces the text.
  One that signs or undoes only from a decode of its whole phrase; none from the text
  of a protocol's value.
* Shallow fusion (off unless ``dictation.whisper.fusion.<lang>`` sets a weight): beam finals
  decoded by :mod:`dictation.whisper_decoder` steered by :mod:`dictation.fusion_lm`; not
  shipped on (no held-out gain, twice the decode time: ``benchmarks/README.md``).
* Guards: no decode of an utterance in which Silero's VAD (shipped in the faster-whisper
  wheel) hears no speech; a decode is dropped when Whisper itself calls it silence (no-speech
  probability > 0.6 with average log-probability < -1), when its log-probability is very
  low, or when it repeats itself (compression ratio > 2.4, after one retry); text that only
  repeats the domain prompt (:func:`dictation.prompt.echoes_prompt`) is decoded again
  without the prompt.

Int8 on the CPU (``dictation.whisper.compute.<lang>`` may say otherwise), float16 on a CUDA
GPU. Models are local folders only (:mod:`dictation.whisper_models`); the language is fixed,
never detected.
"""

from __future__ import annotations

import collections
import logging
import os
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from core.settings import Settings
from dictation.command_score import command_of
from dictation.command_scorer import CommandScorer, written
from dictation.commands import CommandSet, tokens
from dictation.endpoint import PauseTimer, SpeechEndpointer
from dictation.engines.base import (
    SAMPLE_RATE,
    EngineOptions,
    EngineSpec,
    Recognizer,
    register_engine,
)
from dictation.errors import EngineError, ModelError
from dictation.lexicon_fix import fixer_for, pick
from dictation.prompt import build_prompt, domain_terms, echoes_prompt
from dictation.results import Result, Word
from dictation.wer import edit_distance
from dictation.whisper_models import cuda_available, model_name, resolve_model
from dictation.written import drop_final_comma

log = logging.getLogger(__name__)

BYTES_PER_SECOND = SAMPLE_RATE * 2
# s of audio before the endpointer's start of speech (which comes a little into the speech:
# 0.4 s leaves ~0.3 s of silence before the first loud sample of an espeak-ng phrase). 0.8 s
# was chosen on the 42 espeak-ng development phrases x 3 voices, streamed (tiny.en): WER
# 0.293 / 0.269 / 0.254 / 0.263 at 0.4 / 0.6 / 0.8 / 1.0 s; but on the sets it was not chosen
# on it gained nothing (held-out phrases 0.387 vs 0.374, real voices 0.197 both, Russian real
# voices 0.370 vs 0.386, Festival radiology 0.391 vs 0.386), so 0.4 stays.
LEAD_IN = 0.4
# s: the endpointer sees speech start at most about this long after it did (it needs 0.27 s
# of speech frames in its 0.3 s window), so the lead-in less this is silence.
ONSET_LAG = 0.35
# The lead-in the length limits below (FAST_MAX, EARLY_MAX, the command scorer's) were
# measured with: an utterance's length is compared with them less the lead-in beyond it.
LIMITS_LEAD_IN = 0.4
MAX_UTTERANCE = 28.0  # s: Whisper hears 30 s at most; a longer utterance is ended here
PARTIAL_EVERY = 1.0  # s of audio between partials...
PARTIAL_COST = 3.0  # ...or this many times the last decode's time, if longer
EARLY_PAUSE = 0.12  # s: the shortest pause that gives a tentative final (each costs a decode)
# s of pause for the fast tentative final (greedy, no command scorer): the pause timer's VAD
# reaches it ~0.13 s after the last word (0.23 s for EARLY_PAUSE; espeak-ng phrases), so
# first text can come ~0.1 s sooner, and the greedy decode costs about half a beam-8 one.
FAST_PAUSE = 0.03
# ...for utterances up to this long only (with the lead-in): in long sentences read with short
# pauses each pause cost a decode that speech then made void (ru-voxforge, base, load 6: the
# final a median 3.4 s after speech vs 1.7 s without fast finals).
FAST_MAX = 4.0  # s
# The fast final is for first text within the goal (0.3 s after speech): where greedy
# decodes take longer than the goal leaves after the pause timer (~0.13 s), it cannot make
# it, and it only delays the beam decode behind it (the final and commands came 0.04-0.5 s
# later under load). So it is switched off while the greedy decodes' wall time (partials
# and fast finals, a running mean) is above this, and on again once below FAST_RESUME of it:
# measured on the station as it runs, so a loaded box or a slow model (base on 2 cores)
# turns it off, a quiet one or a GPU keeps it.
FAST_BUDGET = 0.17  # s
FAST_RESUME = 0.8
# While the fast final is off (slow greedy decodes), an utterance up to FAST_MAX is encoded
# at the fast final's pause (features, Silero's check, the encoder: no text), and the full
# decode at EARLY_PAUSE, ~0.1 s later, reuses that encoder output when only silence came
# after it: the text comes up to ~0.1 s sooner where encoding takes longer than that, and a
# pause that speech then breaks costs an encode, not a whole decode (a first version that
# decoded in full at the fast pause made 3 of 30 held-out phrases decode twice).
# Measured in benchmarks/README.md ("Live feedback"). Per language: English (tiny.en) only;
# Russian base's encoder costs 2-3x as much, and in the real Russian sentences 12 of 20 early
# encodes came at pauses inside them and were thrown away (the clips used ~5 % more CPU, their
# finals came later at load 9-11).
EARLY_ENCODE: dict[str, bool] = {"en": True}
EARLY_ENCODE_MAX = FAST_MAX  # s: for utterances up to this long (as the fast final)
# A partial (live feedback only) whose greedy decode loops or echoes the prompt is dropped,
# not decoded again: the retry doubled its cost (tiny.en, load 8: 1.8 s + 1.1 s for "no
# enlarged lymph") while the end of speech waited behind it. The next partial then waits as
# long as after a retry, so dropping never brings more partials.
PARTIAL_RETRIES = False
# Partials (live feedback during speech) decoded with the domain prompt, per language (absent:
# with it). Without it a greedy decode skips the prompt's ~200 tokens (tiny.en: 0.09 instead
# of 0.16 s of CPU, load 7-12), so a partial still running when speech ends holds the first
# text up for less: English, interleaved with the prompted partials, two runs at load 5-12,
# first text sooner on all 5 sets in both (0.03-0.16 s median), the first and final text word
# for word the same (benchmarks/README.md, h15). Russian not measured. Not set: the partials'
# cost also decides whether fast tentative finals stay on under load (``_greedy_took``), and
# cheaper unprompted partials kept them on where the prompted fast decode costs more; in the
# fresh-clone CI the human digits then split at a pause and were heard "that note to one"
# (WER 0.33, the real-microphone workflow test).
PARTIAL_PROMPT: dict[str, bool] = {}
# The fast tentative final (greedy) with the prompt (absent: with it). Without it the first
# text's WER rose 0.45 vs 0.28 and 0.68 vs 0.56 on the radiology phrases for ~0.07 s of CPU:
# not set. The beam final always keeps the prompt (as PROMPT_MAX allows).
FAST_PROMPT: dict[str, bool] = {}
# Tentative finals only for utterances up to this long, and after this much new audio since
# the last one: a long sentence read with short pauses was decoded whole at each (Russian
# clips, base: 2-4 decodes of up to 12 s each, the final 12 s late under load).
EARLY_MAX = 8.0  # s
EARLY_EVERY = 0.8  # s
NO_SPEECH = 0.6  # Whisper's own silence rule: no_speech_prob above this...
LOGPROB = -1.0  # ...with the average log-probability below this
LOGPROB_DROP = -1.6  # below this the decode is not trusted at all
COMPRESSION = 2.4  # gzip ratio above which the text repeats itself
TOKENS_PER_SECOND = 12  # at most this many new tokens per second of audio (runaway loops)
SILERO_THRESHOLD = 0.5
MIN_SPEECH = 0.12  # s of speech Silero must hear in an utterance
# The encoder hears the utterance padded with >= 10 s of silence to a multiple of 5 s, not
# to 30 s: measured (2 cores) tiny.en on 10 real English clips + 28 espeak-ng phrases, WER
# 0.260 vs 0.273 at 0.42 of the CPU time; base on the 9 real Russian clips, 0.346 vs 0.354
# at 0.64. (With only 1 s of padding tiny.en falls apart: 0.58 vs 0.20 on the real clips.)
CONTEXT_MARGIN = 1000  # frames (10 ms) of silence after the speech, at least
CONTEXT_STEP = 500  # frames: the encoder's context is a multiple of this
PROMPT_TOKENS = 200  # Whisper keeps at most 223 tokens of prompt
# The domain prompt only for utterances up to this long (s, as decoded: lead-in and trailing
# pause included), per language; longer ones are decoded without it (partials too). None or
# absent: every length. Studied for Russian (base), which ships without a limit: a limit of
# 6.0 s (the next 0.5 s above the longest full decode of the 42 Festival radiology phrases,
# as is and sox-slowed: 5.90 s) cost words on the tuning sets, two sentences read with a
# 0.35 s pause (radiology pairs 0.396 vs 0.372, general pairs 0.259 vs 0.254), though the
# held-out real voices (ru-voxforge) gave 0.323 vs 0.386 (benchmarks/README.md). Decided on a
# new set by a rule fixed before it (long prose must gain >= 0.02, long report sentences lose
# <= 0.01; Festival x2): prose 0.249 vs 0.257, reports 0.342 vs 0.329, so not set.
PROMPT_MAX: dict[str, float | None] = {}
# Decode with Whisper's timestamp tokens (its training format for long-form speech;
# faster-whisper's ``without_timestamps=False``), per language; absent: without them (the
# text is the same tokens less the timestamps; word times come from the alignment either
# way). Measured for Russian base on ru-voxforge (benchmarks/dictation_ru_levers.py): dev
# speaker 16 vs 23 wrong words of 44, test speakers 27 vs 27 of 83; over 1-LSB dithers of
# the audio dev 18.5 vs 17.5, test 25.3 vs 25.3 (mean wrong words), so not set.
TIMESTAMPS: dict[str, bool] = {}
BEAM_SIZE = 5  # finals; partials are greedy (base, Russian clips: WER 0.35 vs 0.39 greedy)
# Finals where the n-best is rescored by a domain vocabulary (English): tiny.en, development
# radiology phrases, whole utterances: WER 0.303 / 0.277 / 0.257 / 0.254 / 0.240 at beam
# 3 / 5 / 8 / 10 / 16, CPU 0.31 / 0.35 / 0.38 / 0.39 / 0.51 s an utterance.
BEAM_SIZE_DOMAIN = 8
# Shallow fusion (dictation/whisper_decoder.py, dictation/fusion_lm.py): the weight of the
# station's radiology word model in the beam search of finals, per language; 0 or absent:
# CTranslate2's own beam search. The setting ``dictation.whisper.fusion.<lang>`` overrides.
# Measured in benchmarks/README.md ("Shallow fusion"); off by default (see there why).
FUSION_WEIGHT: dict[str, float] = {}
FUSION_SETTING = "dictation.whisper.fusion"
# CTranslate2's compute type on the CPU, per language (absent: "int8"; a CUDA GPU always
# runs float16). The setting ``dictation.whisper.compute.<lang>`` overrides. Measured
# (benchmarks/dictation_compute.py, streamed): int8_float32 writes the same text as int8;
# float32 was worse for base on the Russian real voices (0.362 vs 0.339) and tiny.en on the
# English development phrases (0.193 vs 0.171), better for base in English (held-out 0.218
# vs 0.230, real voices 0.197 vs 0.254) at ~1.5x base int8's CPU: a faster station's choice.
COMPUTE_TYPE_CPU: dict[str, str] = {}
COMPUTE_SETTING = "dictation.whisper.compute"
CPU_COMPUTE_TYPES = ("int8", "int8_float32", "float32")
# Whisper's well-known inventions on silence and noise (whole utterances only).
HALLUCINATIONS = {
    "thank you.", "thanks for watching!", "thank you for watching.", "you", "bye.",
    "продолжение следует...", "субтитры сделал dimatorzok", "спасибо за внимание.",
    "субтитры создавал dimatorzok", "редактор субтитров а.синецкая корректор а.егорова",
}
_MODELS: dict[tuple[Path, str, str], object] = {}
_LOCK = threading.Lock()
PREPEND = "\"'“¿([{-"
APPEND = "\"'.。,，!！?？:：”)]}、"


def cpu_compute_type(lang: str | None = None) -> str:
    """CTranslate2's compute type on the CPU for ``lang``: the setting
    ``dictation.whisper.compute.<lang>``, else :data:`COMPUTE_TYPE_CPU`, else "int8"."""
    configured = None
    if lang:
        try:
            configured = Settings().get(f"{COMPUTE_SETTING}.{lang}")
        except Exception:  # unreadable settings: the built-in default
            configured = None
    if configured in CPU_COMPUTE_TYPES:
        return str(configured)
    if configured not in (None, ""):
        log.warning("unknown Whisper compute type %r; the default is used", configured)
    return COMPUTE_TYPE_CPU.get(lang or "", "int8")


def device_and_type(lang: str | None = None) -> tuple[str, str]:
    """``("cuda", "float16")`` where a GPU is seen, else ``("cpu", <compute type>)``
    (:func:`cpu_compute_type`)."""
    forced = os.environ.get("LUCH_WHISPER_DEVICE")
    if forced == "cpu" or (forced != "cuda" and not cuda_available()):
        return "cpu", cpu_compute_type(lang)
    return "cuda", "float16"


def load_model(path: Path, lang: str | None = None, compute: str | None = None):
    """The ``faster_whisper.WhisperModel`` in ``path``, loaded once per process (per device
    and compute type: ``compute`` or :func:`device_and_type`'s for ``lang``)."""
    try:
        # deferred: faster-whisper (and CTranslate2) load only when Whisper runs
        from faster_whisper import WhisperModel
    except ImportError as err:  # pragma: no cover - a packaging fault
        raise EngineError("faster-whisper is not installed (run installer/setup.sh)") from err
    device, default = device_and_type(lang)
    compute = compute or default
    key = (Path(path).resolve(), device, compute)
    with _LOCK:
        if key not in _MODELS:
            threads = min(os.cpu_count() or 2, 8)
            try:
                _MODELS[key] = WhisperModel(
                    str(key[0]), device=device, compute_type=compute, cpu_threads=threads,
                    local_files_only=True,
                )
            except Exception as err:  # CTranslate2 raises RuntimeError/ValueError
                raise ModelError(f"the Whisper model in {path} cannot be loaded: {err}") from err
        return _MODELS[key]


@dataclass
class Decoded:
    """One decode of an utterance's audio."""

    text: str
    tokens: list[int]
    no_speech: float
    logprob: float
    compression: float
    encoder_output: object = None
    frames: int = 0
    prompt: bool = False
    command: str | None = None  # the command phrase the scorer took it for
    scored: bool = False


def collapse_repeats(text: str, min_words: int = 2) -> str:
    """Whisper's loop on a short utterance: the whole text said twice or more in a row
    ("no pleural effusion. No pleural effusion.") is given once. Measured (tiny.en): 3 of
    126 espeak-ng radiology phrases and 1 of 36 commands ("Delete word. Delete word.") came
    out doubled; a radiologist does not dictate a whole phrase twice in one breath."""
    words = text.split()
    keys = [w.strip(".,;:!?").lower() for w in words]
    n = len(words)
    if any(ch.isdigit() for ch in text):
        return text  # "90210 90210": numbers are said twice on purpose
    for size in range(min_words, n // 2 + 1):
        if n % size == 0 and keys == keys[:size] * (n // size):
            return " ".join(words[:size])
    return text


def _speech_seconds(audio: np.ndarray) -> float:
    """Seconds of speech Silero's VAD hears in ``audio`` (float32, 16 kHz)."""
    # deferred: faster-whisper (and CTranslate2) load only when Whisper runs
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    chunks = get_speech_timestamps(
        audio,
        VadOptions(threshold=SILERO_THRESHOLD, min_speech_duration_ms=60,
                   min_silence_duration_ms=100, speech_pad_ms=0),
    )
    return sum(c["end"] - c["start"] for c in chunks) / SAMPLE_RATE


class WhisperRecognizer(Recognizer):
    def __init__(self, options: EngineOptions) -> None:
        self.options = options
        self.lang = options.lang
        path = Path(options.model_dir) if options.model_dir else resolve_model(options.lang)
        self.model_path = path
        self.model = load_model(path, options.lang)
        self.name = model_name(path)
        if options.lang != "en" and not self.model.model.is_multilingual:
            raise EngineError(
                f"the Whisper model {model_name(path)} is English-only; it cannot serve "
                f"{options.lang!r}"
            )
        # deferred: faster-whisper (and CTranslate2) load only when Whisper runs
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        self.tokenizer = Tokenizer(
            self.model.hf_tokenizer, self.model.model.is_multilingual, task="transcribe",
            language=options.lang if self.model.model.is_multilingual else "en",
        )
        self._suppress = get_suppressed_tokens(self.tokenizer, [-1])
        self.phrases = [" ".join(p.split()) for p in options.grammar] if options.grammar else None
        if self.phrases:
            self.prompt = self._fit_prompt(self.phrases)
        else:
            terms = options.prompt_terms
            if terms is None:
                terms = domain_terms(options.lang)
            self.prompt = self._fit_prompt(terms)
        self.prompt_max = None if self.phrases else PROMPT_MAX.get(options.lang)
        # More of CTranslate2's generate() options (patience, length_penalty...): for studies.
        self.decode_options: dict[str, object] = {}
        # Beam size of finals; None: BEAM_SIZE_DOMAIN where the vocabulary fix runs, else
        # BEAM_SIZE (partials and fast finals are greedy either way).
        self.beam_size: int | None = None
        self.scorer = self._command_scorer(options)
        self.fusion_weight = 0.0 if self.phrases else fusion_weight(options.lang)
        self._fusion = None  # (torch decoder, word model), loaded at the first fused decode
        self._fused_suppress: list[int] | None = None
        # Misheard radiology words put right from the domain vocabulary (dictation only).
        self._fixer = None if self.phrases else fixer_for(options.lang)
        self._endpointer = SpeechEndpointer(window=options.endpoint_window)
        early = options.early_final_pause
        self._early = None if early is None else max(early, EARLY_PAUSE)
        self._pause = PauseTimer() if self._early is not None else None
        self._lead: collections.deque[bytes] = collections.deque()
        self._fed = 0  # bytes heard since this recogniser began (its clock)
        self._utt: bytearray | None = None  # the utterance's audio, from its lead-in
        self._utt_at = 0.0  # where it starts on the clock, s
        self._lead_s = 0.0  # s of it before the endpointer's start of speech
        self._next_partial = 0  # bytes of utterance before the next partial
        self._last_partial = ""
        self._decode_cost = 0.0  # seconds the last decode took
        # A tentative final: its decode, the utterance length it covers, whether one was given.
        self._tentative: tuple[Result, Decoded | None, int] | None = None
        self._revising = False
        self._next_tentative = 0  # bytes of utterance before the next tentative final
        # The fast tentative final shown (None: held back) and its decode, until revised or
        # speech resumes.
        self._fast: tuple[Result | None, Decoded] | None = None
        self.partial_every = PARTIAL_EVERY
        self.lead_in = LEAD_IN
        self.fast_pause: float | None = FAST_PAUSE  # None: no fast tentative finals
        self.fast_budget = FAST_BUDGET  # s of greedy decode above which they are off
        self.greedy_cost: float | None = None  # running mean wall time of greedy decodes, s
        self._fast_on = True
        self._next_fast = 0  # bytes of utterance before the next fast tentative final
        self.early_encode = EARLY_ENCODE.get(options.lang, False)
        self.early_encode_max = EARLY_ENCODE_MAX
        # The utterance's encoder output and frames from its first sign of a pause
        # (:data:`EARLY_ENCODE`), until speech resumes.
        self._encoded: tuple[object, int] | None = None
        self.partial_retries = PARTIAL_RETRIES
        # Whether partials and fast tentative finals (greedy) use the domain prompt
        # (PARTIAL_PROMPT, FAST_PROMPT); beam finals always do (as PROMPT_MAX allows).
        self.partial_prompt = PARTIAL_PROMPT.get(options.lang, True)
        self.fast_prompt = FAST_PROMPT.get(options.lang, True)
        self.timestamps = TIMESTAMPS.get(options.lang, False)  # see TIMESTAMPS

    def _fit_prompt(self, terms) -> str:
        """As many of ``terms`` as fit in :data:`PROMPT_TOKENS` of Whisper's tokens."""
        terms = list(terms)
        prompt = build_prompt(terms, limit=10_000)
        while terms and len(self.tokenizer.encode(" " + prompt)) > PROMPT_TOKENS:
            terms = terms[: max(len(terms) * 9 // 10, len(terms) - 1) or 0]
            prompt = build_prompt(terms, limit=10_000)
        return prompt

    def _command_scorer(self, options: EngineOptions):
        """The closed-set command scorer, with the text matcher that comes before it."""
        if not options.commands or self.phrases:
            return None
        self._command_set = CommandSet(options.lang)
        return CommandScorer(self.model, self.tokenizer, options.commands, options.lang,
                             untaken=self._command_set.destructive)

    def _unknown_name(self, text: str) -> str | None:
        """The command ``text`` would be if the name after "go to field"/"insert template"
        named a known field or template ("go to field" + a misheard name: «Перейти в поле
        дополнительной текасть» -> "go_to_field"; the text matcher leaves it text); else
        None (:meth:`dictation.commands.CommandSet.misheard_name`)."""
        return self._command_set.misheard_name(text.split())

    def _to_score(self, text: str) -> bool:
        """Whether the scorer weighs ``text``: the text matcher finds no command in it (a
        misheard name after "go to field" included: only a phrase of the same command
        naming a known field or template may then replace it, :meth:`_unknown_name`), and
        it does not say a protocol's value (Festival's «лучше» was decoded «Лучше.» and
        scored «Дальше», next field: :meth:`dictation.commands.CommandSet.names_value`)."""
        return (command_of(text, self._command_set) is None
                and not self._command_set.names_value(text.split()))

    def _command(self, decoded: Decoded) -> str | None:
        """The command phrase ``decoded`` is taken for by the scorer (once per decode),
        when the text matcher finds no command in its text (see :meth:`_to_score`)."""
        if self.scorer is None or decoded.scored:
            return decoded.command
        decoded.scored = True
        if self._to_score(decoded.text):
            seconds = self._length() if self._utt is not None else 0.0
            choice = self.scorer.choose(
                decoded.encoder_output, decoded.frames, seconds, decoded.text, decoded.tokens
            )
            same = self._unknown_name(decoded.text)
            if same is not None and choice.phrase is not None:
                does = dict(self.scorer.phrases).get(choice.phrase, "")
                if not does.startswith(same + ":"):
                    choice = replace(choice, phrase=None)  # another command: as said stands
            if choice.phrase is not None:
                log.debug("command scorer: took a command (%.2f vs free %.2f, next %.2f)",
                          choice.score, choice.free, choice.runner_up)
                decoded.command = written(choice.phrase).strip()
        return decoded.command

    # -- streaming ------------------------------------------------------------------------
    def accept(self, pcm: bytes) -> list[Result]:
        ended = self._endpointer.feed(pcm)
        pause = self._pause.feed(pcm) if self._pause is not None else 0.0
        at = self._fed
        self._fed += len(pcm)
        if self._utt is None:
            if not (self._endpointer.in_speech or ended):
                self._lead.append(pcm)
                while sum(map(len, self._lead)) > self.lead_in * BYTES_PER_SECOND + len(pcm):
                    self._lead.popleft()
                return []
            lead = b"".join(self._lead)
            self._lead.clear()
            self._utt = bytearray(lead)
            self._utt_at = (at - len(lead)) / BYTES_PER_SECOND
            self._lead_s = len(lead) / BYTES_PER_SECOND
            self._next_partial = len(lead) + round(self.partial_every * BYTES_PER_SECOND)
            self._next_tentative = self._next_fast = 0
        self._utt += pcm
        if ended or len(self._utt) >= MAX_UTTERANCE * BYTES_PER_SECOND:
            final = self._end()
            return [final] if final is not None else []
        if self._tentative is not None:
            if pause == 0.0 and self._endpointer.in_speech:  # speech resumed after the pause
                self._tentative = None
                self._next_partial = len(self._utt) + round(self.partial_every * BYTES_PER_SECOND)
            return []
        if pause == 0.0 and self._endpointer.in_speech:
            self._fast = None  # speech resumed: the next final revises the fast one
            self._encoded = None
        short = self._length() <= EARLY_MAX
        if (
            self._early is not None
            and pause >= self._early
            and short
            and len(self._utt) >= self._next_tentative
        ):
            return self._tentative_final()
        if (
            self._early is not None
            and self._fast is None
            and self.fast_pause is not None
            and self._fast_on
            and pause >= self.fast_pause
            and self._length() <= FAST_MAX
            and len(self._utt) >= self._next_fast
            and not self.phrases
        ):
            return self._fast_tentative()
        if (
            self._early is not None
            and self._early_encode_due(pause)
            and len(self._utt) >= self._next_fast
        ):
            self._encode_early(pause, len(pcm) / BYTES_PER_SECOND)
            return []
        if pause == 0.0 and len(self._utt) >= self._next_partial and not self.phrases:
            return self._partial()
        return []

    def _early_encode_due(self, pause: float) -> bool:
        """Whether to encode now for the full decode to come (:data:`EARLY_ENCODE`): the
        fast final's pause, while slow decodes keep that final off."""
        return (
            self.early_encode
            and self._encoded is None
            and self._fast is None
            and self.fast_pause is not None
            and not self._fast_on
            and not self.phrases
            and pause >= self.fast_pause
            and self._length() <= self.early_encode_max
        )

    def _encode_early(self, pause: float, block: float) -> None:
        """Encode the utterance for the full decode at the pause to come, as that decode
        would hear it: the rest of the pause (blocks of ``block`` s until :attr:`_early`)
        stood in for by noise as loud as the pause's last :data:`FAST_PAUSE` s (digital
        silence stays silence; the trailing silence the encoder hears changes a word now
        and then, and a repeated stretch of audio clicked). Nothing kept where Silero hears
        no speech (that decode checks again and gives no text)."""
        self._next_fast = len(self._utt) + round(EARLY_EVERY * BYTES_PER_SECOND)
        audio = self._audio()
        if _speech_seconds(audio) < MIN_SPEECH:
            return
        blocks = max(np.ceil((self._early - pause) / max(block, 1e-3) - 1e-6), 0)
        missing = round(blocks * block * SAMPLE_RATE)
        if missing > 0:
            tail = audio[-max(round(self.fast_pause * SAMPLE_RATE), 1):]
            level = float(np.sqrt(np.mean(tail**2)))
            noise = np.random.default_rng(len(audio)).normal(0.0, level, missing)
            audio = np.concatenate([audio, noise.astype(np.float32)])
        self._encoded = self._encode(audio)

    def _length(self) -> float:
        """The utterance's seconds as the length limits count them (:data:`LIMITS_LEAD_IN`)."""
        extra = max(self.lead_in - LIMITS_LEAD_IN, 0.0)
        return max(len(self._utt) / BYTES_PER_SECOND - extra, 0.0)

    def finish(self) -> Result | None:
        """End the utterance now (button release, end of file)."""
        self._lead.clear()
        if self._utt is None:
            return None
        return self._end()

    # -- results --------------------------------------------------------------------------
    def _audio(self) -> np.ndarray:
        return np.frombuffer(bytes(self._utt), dtype=np.int16).astype(np.float32) / 32768.0

    def _greedy_took(self, seconds: float) -> None:
        """A greedy decode took ``seconds`` (wall): the running mean, and whether fast
        tentative finals can still make the goal (:data:`FAST_BUDGET`)."""
        cost = self.greedy_cost
        self.greedy_cost = cost = seconds if cost is None else (cost + seconds) / 2
        if self._fast_on and cost > self.fast_budget:
            self._fast_on = False
            log.debug("greedy decodes take %.0f ms: no fast tentative finals", cost * 1000)
        elif not self._fast_on and cost <= self.fast_budget * FAST_RESUME:
            self._fast_on = True
            log.debug("greedy decodes take %.0f ms: fast tentative finals again", cost * 1000)

    @property
    def fast_on(self) -> bool:
        """Whether fast tentative finals are given now (see :data:`FAST_BUDGET`)."""
        return self.fast_pause is not None and self._fast_on

    def _partial(self) -> list[Result]:
        started = time.perf_counter()
        decoded = self._decode(self._audio(), beam=1, check_speech=False,
                               fast=not self.partial_retries, prompt=self.partial_prompt)
        self._decode_cost = time.perf_counter() - started
        self._greedy_took(self._decode_cost)
        # A dropped partial (a loop, an echo) is spaced as if decoded again, so dropping
        # never brings more partials.
        spent = self._decode_cost * (2 if decoded is None and not self.partial_retries else 1)
        wait = max(self.partial_every, PARTIAL_COST * spent)
        self._next_partial = len(self._utt) + round(wait * BYTES_PER_SECOND)
        text = decoded.text if decoded is not None else ""
        if not text or text == self._last_partial:
            return []
        self._last_partial = text
        return [Result(text=text, final=False)]

    def _fast_tentative(self) -> list[Result]:
        """First text at the first sign of a pause: a greedy decode, no retries and no
        command scorer, given as a tentative final that the full decode then confirms or
        replaces. Text the scorer would weigh as a misheard command is not shown (the full
        decode decides), but its encoder output is kept for that decode."""
        started = time.perf_counter()
        decoded = self._decode(self._audio(), beam=1, fast=True, prompt=self.fast_prompt)
        self._greedy_took(time.perf_counter() - started)
        self._next_fast = len(self._utt) + round(EARLY_EVERY * BYTES_PER_SECOND)
        if decoded is None:
            return []
        decoded.scored = True  # the full decode's result decides commands
        seconds = self._length()
        if (self.scorer is not None and self._to_score(decoded.text)
                and self.scorer.considers(seconds, decoded.text)):
            self._fast = (None, decoded)
            return []
        result = replace(self._result(decoded, words=False), tentative=True,
                         revises=self._revising)
        if not result.text:
            return []
        self._fast = (result, decoded)
        self._revising = True
        return [result]

    def _tentative_final(self) -> list[Result]:
        """Decode at a pause; the result stands unless speech resumes. After a fast
        tentative final with no speech since, the encoder output of its audio is decoded
        again (only silence came after it)."""
        fast, self._fast = self._fast, None
        encoded = None if fast is None else (fast[1].encoder_output, fast[1].frames)
        encoded, self._encoded = encoded or self._encoded, None
        decoded = self._decode(self._audio(), encoded=encoded)
        result = self._result(decoded, words=False)
        result = replace(result, tentative=True, revises=self._revising)
        self._tentative = (result, decoded, len(self._utt))
        self._next_tentative = len(self._utt) + round(EARLY_EVERY * BYTES_PER_SECOND)
        if fast is not None and fast[0] is not None and fast[0].text == result.text:
            return []  # the fast text stands as shown; the final confirms it
        if not result.text and not self._revising:
            return []  # nothing said after all: nothing to show or take back
        self._revising = True
        return [result]

    def _end(self) -> Result | None:
        """The utterance ended: its final, revising a tentative one if one was given."""
        tentative, self._tentative = self._tentative, None
        revises, self._revising = self._revising, False
        self._fast = self._encoded = None
        if tentative is not None:
            result, decoded, _length = tentative
            final = self._result(decoded, words=True, approx=result)
        else:
            final = self._result(self._decode(self._audio()), words=True)
        self._utt = None
        self._last_partial = ""
        if not final.text and not revises:
            return None
        return replace(final, tentative=False, revises=revises)

    def _result(self, decoded: Decoded | None, words: bool, approx: Result | None = None) -> Result:
        if decoded is None or not decoded.text:
            return Result(text="", final=True)
        text = self._command(decoded) or decoded.text
        if self.phrases is not None:
            text = self._snap(text)
            if not text:
                return Result(text="", final=True)
        timed = self._align(decoded) if words and self.phrases is None else None
        if self._fixer is not None:
            text = self._fixer.fix(text)
            timed = self._fixer.fix_timed(timed) if timed is not None else None
        text = drop_final_comma(text)  # in every language: the next utterance follows it
        if timed:
            timed = (*timed[:-1], replace(timed[-1], word=drop_final_comma(timed[-1].word)))
        if timed is None:
            timed = self._spread(text)
        elif " ".join(w.word for w in timed) != text:
            timed = self._spread(text)  # alignment split words differently: keep the text
        return Result(text=text, final=True, words=timed)

    def _spread(self, text: str) -> tuple[Word, ...]:
        """Word times spread over the utterance by length (before alignment, or without)."""
        words = text.split()
        total = len(self._utt) / BYTES_PER_SECOND if self._utt is not None else 0.0
        start = self._utt_at + min(self.lead_in, total / 4)
        span = max(total - (start - self._utt_at), 0.1)
        weights = np.cumsum([0] + [len(w) + 1 for w in words], dtype=float)
        weights /= weights[-1] or 1.0
        return tuple(
            Word(w, start + span * weights[i], start + span * weights[i + 1], 0.5)
            for i, w in enumerate(words)
        )

    def _align(self, decoded: Decoded) -> tuple[Word, ...] | None:
        # deferred: faster-whisper (and CTranslate2) load only when Whisper runs
        from faster_whisper.transcribe import merge_punctuations

        text_tokens = [t for t in decoded.tokens if t < self.tokenizer.eot]
        try:
            alignment = self.model.find_alignment(
                self.tokenizer, [text_tokens], decoded.encoder_output, decoded.frames
            )[0]
        except Exception:  # alignment is a nicety: fall back to spread times
            log.debug("Whisper word alignment failed", exc_info=True)
            return None
        if not alignment:
            return None
        merge_punctuations(alignment, PREPEND, APPEND)
        # Whisper's alignment gives the silence before the first word to that word; no word
        # starts before the speech did (the endpointer's start, less its lag).
        onset = max(self._lead_s - ONSET_LAG, 0.0)
        return tuple(
            Word(
                a["word"].strip(),
                self._utt_at + min(max(float(a["start"]), onset), float(a["end"])),
                self._utt_at + max(float(a["end"]), float(a["start"]) + 0.01),
                float(a["probability"]),
            )
            for a in alignment
            if a["word"].strip()
        )

    def _snap(self, text: str) -> str:
        """Grammar mode: the command phrase ``text`` is, within a small edit margin, else ""."""
        heard = [w.strip(".,!?;:") for w in tokens(text)]
        heard = [w for w in heard if w]
        best, best_cost = "", None
        for phrase in self.phrases:
            ref = tokens(phrase)
            cost = edit_distance(list(" ".join(ref)), list(" ".join(heard)))
            if best_cost is None or cost < best_cost:
                best, best_cost = phrase, cost
        limit = max(1, len(best) // 5)
        return best if best_cost is not None and best_cost <= limit else ""

    # -- decoding -------------------------------------------------------------------------
    def _decode(self, audio: np.ndarray, beam: int | None = None, check_speech: bool = True,
                fast: bool = False, encoded: tuple[object, int] | None = None,
                prompt: bool = True) -> Decoded | None:
        """The utterance decoded with the guards; None when it holds no speech (``fast``:
        None as well where a retry would be needed). ``encoded``: the encoder output and
        frame count of this audio, already checked for speech. ``prompt``: False decodes
        without the domain prompt whatever the length."""
        seconds = len(audio) / SAMPLE_RATE
        beam = beam or self.beam_size or (
            BEAM_SIZE_DOMAIN if self._fixer is not None else BEAM_SIZE
        )
        if check_speech and encoded is None and _speech_seconds(audio) < MIN_SPEECH:
            log.debug("no speech in a %.1f s utterance: no text", seconds)
            return None
        decoded = self._generate(audio, seconds, beam,
                                 use_prompt=prompt and self._prompted(seconds), encoded=encoded)
        if fast and (decoded.compression > COMPRESSION
                     or (decoded.prompt and echoes_prompt(decoded.text, self.prompt))):
            return None
        if decoded.compression > COMPRESSION:
            decoded = self._generate(audio, seconds, beam, use_prompt=False, temperature=0.4,
                                     encoded=encoded)
        if decoded.prompt and echoes_prompt(decoded.text, self.prompt):
            log.info("Whisper echoed the prompt; decoded again without it")
            decoded = self._generate(audio, seconds, beam, use_prompt=False, encoded=encoded)
        if self._rejected(decoded):
            return None
        return decoded

    def _prompted(self, seconds: float) -> bool:
        """Whether an utterance of ``seconds`` is decoded with the prompt (:data:`PROMPT_MAX`)."""
        return bool(self.prompt) and (self.prompt_max is None or seconds <= self.prompt_max)

    def _rejected(self, d: Decoded) -> bool:
        if d.no_speech > NO_SPEECH and d.logprob < LOGPROB:
            return True  # Whisper's own rule for silence
        if d.logprob < LOGPROB_DROP or d.compression > COMPRESSION:
            return True
        return d.text.strip().lower() in HALLUCINATIONS and d.no_speech > 0.1

    def _generate(self, audio: np.ndarray, seconds: float, beam: int, use_prompt: bool,
                  temperature: float = 0.0,
                  encoded: tuple[object, int] | None = None) -> Decoded:
        # deferred: faster-whisper (and CTranslate2) load only when Whisper runs
        from faster_whisper.transcribe import get_compression_ratio

        model = self.model
        encoder_output, frames = encoded if encoded is not None else self._encode(audio)
        previous = self.tokenizer.encode(" " + self.prompt) if use_prompt else []
        prompt = model.get_prompt(self.tokenizer, previous,
                                  without_timestamps=not self.timestamps)
        # Timestamps: two tokens a segment more (about one segment every few seconds).
        extra = 8 + (2 + int(seconds) if self.timestamps else 0)
        max_length = min(len(prompt) + int(TOKENS_PER_SECOND * seconds) + extra,
                         model.max_length)
        sampling = {"sampling_temperature": temperature, "sampling_topk": 0} if temperature else {}
        beam = 1 if temperature else beam
        fused = self._fused() if beam > 1 and not temperature else None
        if fused is not None:
            result = self._fused_generate(fused, encoder_output, prompt, beam, max_length)
        else:
            result = model.model.generate(
                encoder_output, [prompt], beam_size=beam,
                max_length=max_length, return_scores=True, return_no_speech_prob=True,
                num_hypotheses=beam if self._fixer is not None else 1, **sampling,
                **{"suppress_blank": True, "suppress_tokens": self._suppress,
                   "max_initial_timestamp_index": 50, **self.decode_options},
            )[0]
        # The beam's n-best rescored by the domain vocabulary (dictation.lexicon_fix.pick).
        texts = [collapse_repeats(self.tokenizer.decode(t).strip())
                 for t in result.sequences_ids]
        best = pick(self._fixer, texts, result.scores) if self._fixer is not None else 0
        tokens, text = result.sequences_ids[best], texts[best]
        # The guards judge the audio by the beam's best score, not the pick's (which may be
        # a little less likely): a pick never turns speech into "no text".
        scores = getattr(result, "whisper_scores", result.scores)
        score = scores[0] if scores else 0.0
        logprob = score * len(tokens) / (len(tokens) + 1)
        return Decoded(
            text=" ".join(text.split()), tokens=tokens, no_speech=result.no_speech_prob,
            logprob=logprob, compression=get_compression_ratio(text) if text else 0.0,
            encoder_output=encoder_output, frames=frames, prompt=use_prompt,
        )

    def _encode(self, audio: np.ndarray) -> tuple[object, int]:
        """The encoder output of ``audio`` and its frame count (:data:`CONTEXT_MARGIN`)."""
        # deferred: faster-whisper (and CTranslate2) load only when Whisper runs
        from faster_whisper.audio import pad_or_trim

        features = self.model.feature_extractor(audio)
        frames = min(features.shape[-1], 3000)
        context = min(3000, -(-(frames + CONTEXT_MARGIN) // CONTEXT_STEP) * CONTEXT_STEP)
        return self.model.encode(pad_or_trim(features, context)), frames

    def _fused(self):
        """The torch decoder and word model for shallow fusion, or None (no weight set, no
        model for the language, or the decoder cannot be read: CTranslate2's search)."""
        if not self.fusion_weight:
            return None
        if self._fusion is None:
            try:
                # deferred: torch and the word model load only when fusion is switched on
                from dictation.fusion_lm import fusion_lm
                from dictation.whisper_decoder import load_decoder

                lm = fusion_lm(self.lang)
                self._fusion = (load_decoder(self.model_path), lm) if lm is not None else False
            except Exception:  # torch missing, a model.bin it cannot read: no fusion
                log.warning("shallow fusion is not available; Whisper's own search is used",
                            exc_info=True)
                self._fusion = False
        return self._fusion or None

    def _fused_generate(self, fused, encoder_output, prompt: list[int], beam: int,
                        max_length: int) -> _Fused:
        """The beam search of :mod:`dictation.whisper_decoder` steered by the word model,
        in the shape of CTranslate2's result (n-best token ids, scores, no-speech)."""
        decoder, lm = fused
        tk = self.tokenizer
        vocab = decoder.embed.shape[0]
        if self._fused_suppress is None:
            self._fused_suppress = sorted(
                {t for t in self._suppress if 0 <= t < vocab}
                | set(range(tk.timestamp_begin, vocab))
            )

        def bias(tokens: list[int], finished: bool) -> float:
            return lm.score(tk.decode(tokens), finished)

        hyps, no_speech = decoder.beam_search(
            np.asarray(encoder_output), prompt, tk.eot, self._fused_suppress,
            [*tk.encode(" "), tk.eot], beam=beam, max_length=max_length, bias=bias,
            weight=self.fusion_weight, no_speech=tk.no_speech, sot_index=prompt.index(tk.sot),
        )
        return _Fused([h.tokens for h in hyps], [h.score for h in hyps], no_speech,
                      [h.logprob / max(len(h.tokens), 1) for h in hyps])

    def close(self) -> None:
        self._utt = None


@dataclass
class _Fused:
    """A fused decode in the shape of CTranslate2's ``WhisperGenerationResult``."""

    sequences_ids: list[list[int]]
    scores: list[float]  # as ranked: Whisper's and the word model's, per token
    no_speech_prob: float
    whisper_scores: list[float]  # Whisper's alone, per token (for the guards)


def fusion_weight(lang: str) -> float:
    """The shallow-fusion weight of ``lang``: the setting, else :data:`FUSION_WEIGHT`."""
    try:
        configured = Settings().get(f"{FUSION_SETTING}.{lang}")
    except Exception:  # unreadable settings: the built-in default
        configured = None
    try:
        return float(configured) if configured not in (None, "") else FUSION_WEIGHT.get(lang, 0.0)
    except (TypeError, ValueError):
        return FUSION_WEIGHT.get(lang, 0.0)


def warm_up(options: EngineOptions) -> None:
    """Load the model and run one decode (untimed), for a background thread at start-up."""
    rec = WhisperRecognizer(replace(options, early_final_pause=None))
    try:
        rec._generate(np.zeros(SAMPLE_RATE, np.float32), 1.0, 1, use_prompt=False)
        rec._fused()  # the fusion decoder and word model, where fusion is on
    finally:
        rec.close()


def _create(options: EngineOptions) -> Recognizer:
    return WhisperRecognizer(options)


SPEC = EngineSpec(name="whisper", title="Whisper", languages=("*",), factory=_create)
register_engine(SPEC)
