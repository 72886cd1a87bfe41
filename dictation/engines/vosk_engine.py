"""Vosk (Kaldi): any language with an installed model; grammar through ``SetGrammar``.

With a grammar, a whole phrase that begins no longer phrase is final at a short pause (a
fast 10 ms VAD), before the endpointer's silence window ends. Open dictation gives its
running hypothesis (the partial) as a tentative final at that pause, without decoding
anything twice: the decoder goes on, and the final that ends the utterance (Vosk's own
endpoint, the endpointer's, or :meth:`finish`) revises it, with word times. While the pause
lasts, a partial that changes (the decoder catching up with the audio) revises it at once.
Vosk 0.3.45 gives no word times with a partial, so a tentative final has none.

Where the time goes (profiled, Korean small model, 2 cores): nearly all of it in
``AcceptWaveform``, in the on-the-fly composition of the model's two graphs (``HCLr.fst`` with
``Gr.fst``), whose cache lives in each recogniser; the first utterances of a new recogniser cost
about three times what later ones do. ``PartialResult`` costs ~0.02 ms a call, ``FinalResult``
20-60 ms; the block size changes nothing. So a closed recogniser is kept, reset, for the next
one on the same model and grammar (:func:`_idle`).
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from core.settings import Settings
from dictation.endpoint import PauseTimer, SpeechEndpointer
from dictation.engines.base import (
    SAMPLE_RATE,
    EngineOptions,
    EngineSpec,
    Recognizer,
    phrase_prefixes,
)
from dictation.errors import DictationError, EngineError, GrammarError, ModelError
from dictation.models import ModelManager, model_problems
from dictation.results import Result, Word

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


def load_model(path: Path):
    """The ``vosk.Model`` in ``path``, loaded once per process."""
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
        self._tentative: str | None = None  # the tentative final given in this utterance
        self._endpointer = SpeechEndpointer(window=options.endpoint_window)
        self._early = options.early_final_pause
        self._pause = PauseTimer() if self._early is not None else None

    def accept(self, pcm: bytes) -> list[Result]:
        pause = self._pause.feed(pcm) if self._pause is not None else 0.0
        try:
            ended = self._rec.AcceptWaveform(pcm)
        except Exception:
            self._faulted = True  # never reused
            raise
        if ended:
            self._last_partial = ""
            final = self._final(self._rec.Result())
            self._endpointer.feed(pcm)
            return [final] if final else []
        if self._endpointer.feed(pcm):
            # Our endpointer heard the end of speech before Vosk's slower rules did.
            final = self.finish()
            return [final] if final else []
        text = _text(json.loads(self._rec.PartialResult()).get("partial", ""))
        if self._early is not None and pause >= self._early:
            if self._phrases is None:
                if text and text != self._tentative:
                    return [self._give_tentative(text)]
            elif text in self._phrases and text not in self._prefixes:
                final = self.finish()  # a whole phrase that no longer one begins with
                return [final] if final else []
        if text and text != self._last_partial:
            self._last_partial = text
            return [Result(text=text, final=False)]
        return []

    def _give_tentative(self, text: str) -> Result:
        """The running hypothesis at a pause, as a tentative final (no word times)."""
        revises = self._tentative is not None
        self._tentative = self._last_partial = text
        return Result(text=text, final=True, tentative=True, revises=revises)

    def _final(self, raw: str) -> Result | None:
        revises, self._tentative = self._tentative is not None, None
        data = json.loads(raw)
        words = tuple(w for w in _words(data.get("result", [])) if w.word != "[unk]")
        text = " ".join(w.word for w in words)
        if self._phrases is not None and words and text not in self._phrases:
            # Vosk's grammar is a loop over the phrases' words; only a whole phrase counts.
            log.info("grammar mode: %d words fit no phrase; dropped", len(words))
            words, text = (), ""
        if not words and not revises:
            return None
        # A final that revises a tentative one stands even when empty: it takes it back.
        return Result(text=text, final=True, words=words, revises=revises)

    def finish(self) -> Result | None:
        self._last_partial = ""
        try:
            raw = self._rec.FinalResult()
        except Exception:
            self._faulted = True
            raise
        return self._final(raw)

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
    import numpy as np

    if speech is None:
        try:
            from dictation.synth import synthesize

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
