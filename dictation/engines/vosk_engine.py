"""Vosk (Kaldi): any language with an installed model; grammar through ``SetGrammar``.

Early finals: at a short pause (a fast 10 ms VAD), before the endpointer's silence window
ends, a grammar phrase that begins no longer phrase is final. Open dictation ends the
utterance there (``FinalResult``) and gives its final as a tentative one, with word times.
If the endpointer then ends the utterance, that final stands as it was (nothing decoded
again); if speech resumes within the window, the utterance's audio (from a lead-in before
it: in silence a new Vosk utterance begins every ``LEAD_IN_BYTES``) is decoded again, and
its next final revises the tentative one (only utterances up to ``EARLY_MAX_BYTES``, so the
second decode stays short). Measured on the Korean model: the
final at the pause was the endpointer's in 7 of 8 phrases (two decodes of one clip differ
as often: Kaldi dithers), 0.22-0.31 s after the last loud sample instead of ~0.5 s. (Its
partial at the pause was no good as a tentative final: the decoder lags the audio by
~0.24 s, the final differed in 6 of 8.)

Where the time goes (profiled, Korean small model, 2 cores): nearly all of it in
``AcceptWaveform``, in the on-the-fly composition of the model's two graphs (``HCLr.fst`` with
``Gr.fst``), whose cache lives in each recogniser; the first utterances of a new recogniser cost
about three times what later ones do. ``PartialResult`` costs ~0.02 ms a call, ``FinalResult``
20-60 ms; the block size changes nothing. So a closed recogniser is kept for the next one on
the same model and grammar (:func:`_idle`), and :func:`warm_up` can fill it ahead.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from core.settings import Settings
from dictation.endpoint import PauseTimer, SpeechEndpointer
from dictation.engines.base import (
    SAMPLE_RATE,
    EngineOptions,
    EngineSpec,
    Recognizer,
    phrase_prefixes,
    register_engine,
)
from dictation.errors import DictationError, EngineError, GrammarError, ModelError
from dictation.models import ModelManager, model_problems
from dictation.results import Result, Word
from dictation.synth import synthesize

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)
MODEL_SETTING = (
    "dictation.vosk.model"  # + ".<lang>": a model folder used in place of the installed one
)
_MODELS: dict[Path, object] = {}  # loaded models are large: share one per folder
_LOCK = threading.Lock()
_IDLE: dict[tuple[Path, str | None], object] = {}  # (model, grammar) -> a closed recogniser
MAX_IDLE = 4  # recognisers kept: open dictation and commands, per language
# Open dictation ends utterances early only up to this long (a resumed one is decoded again:
# 1-2 s of CPU at most on 2 cores, warm), with this much audio before speech (1 s).
EARLY_MAX_BYTES = 8 * SAMPLE_RATE * 2
LEAD_IN_BYTES = SAMPLE_RATE * 2


def load_model(path: Path):
    """The ``vosk.Model`` in ``path``, loaded once per process."""
    # deferred: Vosk loads only when it is the engine
    import vosk

    path = Path(path).resolve()
    with _LOCK:
        if path not in _MODELS:
            problems = model_problems(path)
            if problems:
                raise ModelError(f"the Vosk model in {path} is not usable: " + "; ".join(problems))
            vosk.SetLogLevel(-1)
            try:
                _MODELS[path] = vosk.Model(str(path))
            except Exception as err:  # vosk raises a bare Exception
                raise ModelError(f"Vosk could not load the model in {path}: {err}") from err
        return _MODELS[path]


def resolve_model_dir(options: EngineOptions) -> Path:
    """``--model``, else the folder set in settings for the language, else the installed one."""
    if options.model_dir is not None:
        return Path(options.model_dir)
    configured = Settings().get(f"{MODEL_SETTING}.{options.lang}")
    if configured:
        return Path(configured)
    path = ModelManager().model_for(options.lang)
    if path is None:
        raise EngineError(
            f"no Vosk model is installed for language {options.lang!r}; install one "
            "(Settings > Dictation > Models, or point --model at its folder)"
        )
    return path


def _words(items: list[dict]) -> tuple[Word, ...]:
    return tuple(
        Word(str(w["word"]), float(w["start"]), float(w["end"]), float(w.get("conf", 1.0)))
        for w in items
    )


class VoskRecognizer(Recognizer):
    def __init__(self, options: EngineOptions) -> None:
        try:
            # deferred: Vosk loads only when it is the engine
            import vosk
        except ImportError as err:  # pragma: no cover - a packaging fault
            raise EngineError("Vosk is not installed (pip install vosk)") from err
        self.options = options
        model_dir = resolve_model_dir(options)
        model = load_model(model_dir)
        self._phrases: set[str] | None = None
        self._prefixes: set[str] = set()  # word prefixes of longer phrases: these wait
        grammar = None
        if options.grammar:
            phrases = [" ".join(p.lower().split()) for p in options.grammar]
            unknown = sorted(
                {w for p in phrases for w in p.split() if model.vosk_model_find_word(w) < 0}
            )
            if unknown:
                raise GrammarError(
                    "the Vosk model does not know these grammar words: " + ", ".join(unknown)
                )
            self._phrases = set(phrases)
            self._prefixes = phrase_prefixes(phrases)
            if model.vosk_model_find_word("[unk]") >= 0:
                phrases.append("[unk]")  # lets non-command speech fall outside the grammar
            grammar = json.dumps(phrases, ensure_ascii=False)
        self._key = (Path(model_dir).resolve(), grammar)
        self._rec = _idle(self._key)
        if self._rec is None:
            args = (model, SAMPLE_RATE) if grammar is None else (model, SAMPLE_RATE, grammar)
            self._rec = vosk.KaldiRecognizer(*args)
            self._rec.SetWords(True)
        self._faulted = False
        self._last_partial = ""
        self._endpointer = SpeechEndpointer(window=options.endpoint_window)
        self._early = options.early_final_pause
        self._pause = PauseTimer() if self._early is not None else None
        # Open dictation with early finals: the utterance's audio (to decode it again if
        # speech resumes), the tentative final it ended with at a pause, whether the next
        # final revises one, and how far Vosk's clock runs ahead (audio fed twice), in s.
        self._utt = bytearray()
        self._ended_early: Result | None = None
        self._revising = False
        self._ahead = 0.0

    def accept(self, pcm: bytes) -> list[Result]:
        pause = self._pause.feed(pcm) if self._pause is not None else 0.0
        if self._ended_early is not None:
            return self._after_early_end(pcm, pause)
        early_open = self._early is not None and self._phrases is None
        if early_open:
            self._utt += pcm
        if self._feed(pcm):
            final = self._final(self._rec.Result())
            self._endpointer.feed(pcm)
            return [final] if final else []
        if self._endpointer.feed(pcm):
            # Our endpointer heard the end of speech before Vosk's slower rules did.
            final = self.finish()
            return [final] if final else []
        text = _text(json.loads(self._rec.PartialResult()).get("partial", ""))
        silent = not text and not self._endpointer.in_speech
        if early_open and silent and len(self._utt) > LEAD_IN_BYTES:
            # Begin the utterance anew, so that decoding it again replays it from a lead-in.
            final = self._final(self._finish_raw())  # nothing, unless a word was on its way
            return [final] if final else []
        if self._early is not None and pause >= self._early and text:
            if self._phrases is None:
                if len(self._utt) <= EARLY_MAX_BYTES:
                    return self._end_early()
            elif text in self._phrases and text not in self._prefixes:
                final = self.finish()  # a whole phrase that no longer one begins with
                return [final] if final else []
        if text and text != self._last_partial:
            self._last_partial = text
            return [Result(text=text, final=False)]
        return []

    def _feed(self, pcm: bytes) -> bool:
        try:
            return self._rec.AcceptWaveform(pcm)
        except Exception:
            self._faulted = True  # never reused
            raise

    def _end_early(self) -> list[Result]:
        """End the utterance at a pause; its final is tentative until the endpointer's."""
        final = self._final(self._finish_raw(), keep_audio=True)
        if final is None or not final.text:  # nothing was said after all
            self._utt.clear()
            return [final] if final else []
        self._ended_early = replace(final, tentative=True)
        return [self._ended_early]

    def _after_early_end(self, pcm: bytes, pause: float) -> list[Result]:
        """The utterance ended at a pause: the endpointer confirms it, or speech resumes.
        Vosk hears the audio meanwhile (its clock goes on) as a new utterance."""
        self._utt += pcm
        stray = self._final(self._rec.Result()) if self._feed(pcm) else None
        if self._endpointer.feed(pcm):
            early, self._ended_early = self._ended_early, None
            stray = stray or self.finish()
            confirmed = replace(early, tentative=False, revises=True)
            return [confirmed] + ([stray] if stray and stray.text else [])
        if pause == 0.0 and self._endpointer.in_speech and stray is None:
            self._resume()
            return []
        return [stray] if stray and stray.text else []

    def _resume(self) -> None:
        """Speech went on after the pause: decode the whole utterance again (its final
        revises the tentative one, so nothing is doubled or lost)."""
        self._ended_early = None
        self._revising = True
        self._finish_raw()  # drop what Vosk made of the audio since the pause
        replay = bytes(self._utt)
        self._ahead += len(replay) / (2 * SAMPLE_RATE)
        if self._feed(replay):  # not expected: Vosk's endpoint inside the replayed audio
            log.debug("Vosk ended a replayed utterance; its words come with the next final")

    def _final(self, raw: str, keep_audio: bool = False) -> Result | None:
        revises, self._revising = self._revising, False
        if not keep_audio:
            self._utt.clear()
        data = json.loads(raw)
        words = tuple(
            replace(w, start=w.start - self._ahead, end=w.end - self._ahead)
            for w in _words(data.get("result", []))
            if w.word != "[unk]"
        )
        text = " ".join(w.word for w in words)
        if self._phrases is not None and words and text not in self._phrases:
            # Vosk's grammar is a loop over the phrases' words; only a whole phrase counts.
            log.info("grammar mode: %d words fit no phrase; dropped", len(words))
            words, text = (), ""
        if not words and not revises:
            return None
        # A final that revises a tentative one stands even when empty: it takes it back.
        return Result(text=text, final=True, words=words, revises=revises)

    def _finish_raw(self) -> str:
        self._last_partial = ""
        try:
            return self._rec.FinalResult()
        except Exception:
            self._faulted = True
            raise

    def finish(self) -> Result | None:
        early, self._ended_early = self._ended_early, None
        last = self._final(self._finish_raw())
        if early is None:
            return last
        # Released during the pause: the early final stands, with any words heard since.
        extra = last.words if last is not None else ()
        text = " ".join(w.word for w in early.words + extra)
        return replace(early, text=text, words=early.words + extra, tentative=False, revises=True)

    def close(self) -> None:
        """Keep the Kaldi recogniser for the next one like it (its graph cache is what
        makes later utterances ~3x cheaper), unless it raised. ``FinalResult`` ends the
        utterance in progress: the next one starts on a new feature pipeline (``Reset``
        alone would leave its undecoded audio to begin the next utterance)."""
        rec, self._rec = self._rec, None
        if rec is not None and not self._faulted:
            try:
                rec.FinalResult()
            except Exception:
                log.debug("a Vosk recogniser failed to end its utterance; not kept", exc_info=True)
                return
            with _LOCK:
                _IDLE.setdefault(self._key, rec)
                while len(_IDLE) > MAX_IDLE:  # grammars change (templates): drop the oldest
                    del _IDLE[next(iter(_IDLE))]


def _text(partial: str) -> str:
    return " ".join(w for w in partial.split() if w != "[unk]")


def _idle(key: tuple[Path, str | None]):
    """The recogniser a closed one left on this model and grammar, if any."""
    with _LOCK:
        return _IDLE.pop(key, None)


WARM_UP_TEXT = "no pleural effusion, the heart size is normal, no enlarged lymph nodes"


def warm_up(options: EngineOptions, speech: np.ndarray | None = None) -> None:
    """Decode ``speech`` (default: espeak-ng English, else noise) once, untimed, and keep
    the recogniser for the first dictation (for a background thread after start-up).

    Measured on the Korean model: first utterances then cost CPU RTF 0.15 instead of 0.23
    (English speech warms a Korean model almost as well as Korean, 0.14; noise, 0.19), for
    ~2 s of CPU once."""
    if speech is None:
        try:
            speech = synthesize(WARM_UP_TEXT)
        except DictationError:  # no espeak-ng: noise warms it a little
            speech = np.random.default_rng(0).normal(0, 3000, 4 * SAMPLE_RATE).astype(np.int16)
    rec = VoskRecognizer(replace(options, early_final_pause=None))
    try:
        rec.accept(np.asarray(speech, dtype=np.int16).tobytes())
        rec.finish()
    finally:
        rec.close()


def _create(options: EngineOptions) -> Recognizer:
    return VoskRecognizer(options)


SPEC = EngineSpec(name="vosk", title="Vosk", languages=("*",), factory=_create)
register_engine(SPEC)
