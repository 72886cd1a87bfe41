"""Vosk (Kaldi): any language with an installed model; grammar through ``SetGrammar``.

With a grammar, a whole phrase that begins no longer phrase is final at a short pause (a
fast 10 ms VAD), before the endpointer's silence window ends. Open dictation waits for the
window: an early final there would need the utterance decoded twice, and the open model
already runs near real time on 2 cores.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

from core.settings import Settings
from dictation.endpoint import PauseTimer, SpeechEndpointer
from dictation.engines.base import (
    SAMPLE_RATE,
    EngineOptions,
    EngineSpec,
    Recognizer,
    phrase_prefixes,
)
from dictation.errors import EngineError, GrammarError, ModelError
from dictation.models import ModelManager, model_problems
from dictation.results import Result, Word

log = logging.getLogger(__name__)
MODEL_SETTING = (
    "dictation.vosk.model"  # + ".<lang>": a model folder used in place of the installed one
)
_MODELS: dict[Path, object] = {}  # loaded models are large: share one per folder
_LOCK = threading.Lock()


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
        model = load_model(resolve_model_dir(options))
        self._phrases: set[str] | None = None
        self._prefixes: set[str] = set()  # word prefixes of longer phrases: these wait
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
            self._rec = vosk.KaldiRecognizer(
                model, SAMPLE_RATE, json.dumps(phrases, ensure_ascii=False)
            )
        else:
            self._rec = vosk.KaldiRecognizer(model, SAMPLE_RATE)
        self._rec.SetWords(True)
        self._last_partial = ""
        self._endpointer = SpeechEndpointer(window=options.endpoint_window)
        self._early = options.early_final_pause if self._phrases else None
        self._pause = PauseTimer()

    def accept(self, pcm: bytes) -> list[Result]:
        pause = self._pause.feed(pcm)
        if self._rec.AcceptWaveform(pcm):
            self._last_partial = ""
            final = self._final(self._rec.Result())
            self._endpointer.feed(pcm)
            return [final] if final else []
        if self._endpointer.feed(pcm):
            # Our endpointer heard the end of speech before Vosk's slower rules did.
            final = self.finish()
            return [final] if final else []
        text = json.loads(self._rec.PartialResult()).get("partial", "")
        if (
            self._early is not None
            and pause >= self._early
            and text in self._phrases
            and text not in self._prefixes
        ):
            final = self.finish()  # a whole phrase that no longer one begins with
            return [final] if final else []
        if text and text != self._last_partial:
            self._last_partial = text
            return [Result(text=text, final=False)]
        return []

    def _final(self, raw: str) -> Result | None:
        data = json.loads(raw)
        words = tuple(w for w in _words(data.get("result", [])) if w.word != "[unk]")
        if not words:
            return None
        text = " ".join(w.word for w in words)
        if self._phrases is not None and text not in self._phrases:
            # Vosk's grammar is a loop over the phrases' words; only a whole phrase counts.
            log.info("grammar mode: %d words fit no phrase; dropped", len(words))
            return None
        return Result(text=" ".join(w.word for w in words), final=True, words=words)

    def finish(self) -> Result | None:
        self._last_partial = ""
        return self._final(self._rec.FinalResult())


def _create(options: EngineOptions) -> Recognizer:
    return VoskRecognizer(options)


SPEC = EngineSpec(name="vosk", title="Vosk", languages=("*",), factory=_create)
