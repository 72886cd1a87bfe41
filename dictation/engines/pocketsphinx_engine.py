"""PocketSphinx: the built-in default, with the US-English model its PyPI wheel carries.

Utterances are cut by PocketSphinx's own voice-activity endpointer; a grammar is compiled to
JSGF so that only the given phrases can be recognised. At a short pause (a fast 10 ms VAD)
the decoder ends the utterance early and gives a tentative final; the audio is kept, and if
speech resumes before the endpointer's silence window ends, the whole utterance is decoded
again and its final revises the tentative one. With a grammar, a whole phrase that begins no
longer phrase is final at that pause (more speech is another phrase); a shorter one waits.
With a domain language model or a grammar the decoder skips the flat-lexicon second pass
(``fwdflat``): on the radiology phrases and the human digits it changed no word, and it cost
50-150 ms at every end of utterance; the endpointer's final is a decode of the whole
utterance again (with the silence after it), which confirms or revises the tentative one.
Letting that tentative final stand instead (as the general model's does) was measured and
rejected: the re-decode changed 22 of 88 tentative finals (4 espeak-ng voices, radiology
sentences), to fewer word errors in 12 and more in 3, and standing finals made 292 word
errors instead of 274 in 628 words (those sentences and the human digits). It is not the
silence alone: a batch decode at the pause, standing, made 287.
The general model keeps that pass (without it, 0.50-0.52 WER instead of 0.46 on 387 words
of espeak-ng English), so its early end at the pause is the full decode (first pass,
``fwdflat``, best path), and that final stands when the endpointer ends the utterance
without more speech: nothing is decoded again, only the silence after the pause on its own
(so that the live cepstral mean counts it, as before: without it, the digits said again
began "what" for "one"). The pass looks for successor words within 5 frames of the first
pass's (``fwdflatsfwin``, default 25): it then costs ~0.6x (median ~80 ms CPU a sentence).
Measured against the engine before (final at the endpointer, default pass): 177 vs 176 word
errors in those 387 words, 2 vs 2 of 15 on the human digits, 8 vs 8 of 45 on the digits
said three times in a row. Speech that resumes is decoded again from the utterance's start,
and each early end runs the second pass, so the general model ends early only utterances up
to 5 s (a 12.6 s sentence with a comma every ~2 s cost 1.65x the CPU with 5 s, 3.3x with
10 s). (Its first pass's running hypothesis at the pause, given as a tentative final, was
measured before and rejected: the final revised 12 of 15.)
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import replace
from pathlib import Path

from dictation.endpoint import PauseTimer, ratio_for
from dictation.engines.base import (
    SAMPLE_RATE,
    EngineOptions,
    EngineSpec,
    Recognizer,
    phrase_prefixes,
    register_engine,
)
from dictation.errors import EngineError, GrammarError, ModelError
from dictation.lm import domain_lm
from dictation.results import Result, Word

FRAME_RATE = 100  # PocketSphinx feature frames per second (-frate)
PARTIAL_EVERY = 0.2  # seconds of speech between partial hypotheses
LEAD_IN = 0.15  # seconds of audio before the detected speech start given to the decoder
# Early finals only in utterances up to this long: speech that resumes is decoded again
# from the utterance's start, and that must stay cheap (~0.3 s of CPU at RTF 0.03).
EARLY_MAX_BYTES = 10 * SAMPLE_RATE * 2
# The general model's first pass costs more (~RTF 0.1), and each early end runs its second
# pass: its early finals stop sooner (see above).
GENERAL_EARLY_MAX_BYTES = 5 * SAMPLE_RATE * 2
# The general model's second pass (fwdflat) looks for successor words within 5 frames of
# where the first pass started them (default 25): ~0.6x the cost at the end of an utterance,
# no more word errors measured (see above).
GENERAL_SEARCH: dict[str, object] = {"fwdflatsfwin": 5}
_FILLERS = {"<s>", "</s>", "<sil>", "[NOISE]", "(NULL)"}
_ALT_PRON = re.compile(r"\(\d+\)$")


def _model_kwargs(model_dir: Path | None) -> dict[str, str]:
    """Decoder arguments for a custom model folder (acoustic model dir + .dict + .lm.bin)."""
    if model_dir is None:
        return {}
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise ModelError(f"PocketSphinx model folder not found: {model_dir}")
    hmm = next((p.parent for p in model_dir.rglob("mdef")), None)
    dic = next(iter(sorted(model_dir.rglob("*.dict"))), None)
    lm = next(iter(sorted(model_dir.rglob("*.lm.bin"))), None)
    missing = [
        n
        for n, v in (
            ("acoustic model (mdef)", hmm),
            ("dictionary (*.dict)", dic),
            ("language model (*.lm.bin)", lm),
        )
        if v is None
    ]
    if missing:
        raise ModelError(f"PocketSphinx model folder {model_dir} lacks: {', '.join(missing)}")
    return {"hmm": str(hmm), "dict": str(dic), "lm": str(lm)}


def jsgf_for(phrases: list[str]) -> str:
    """A JSGF grammar whose one public rule matches exactly one of ``phrases``."""
    alternatives = " | ".join(" ".join(p.split()) for p in phrases)
    return f"#JSGF V1.0;\ngrammar luch;\npublic <phrase> = {alternatives};\n"


class PocketSphinxRecognizer(Recognizer):
    def __init__(self, options: EngineOptions) -> None:
        try:
            # deferred: PocketSphinx loads only when it is the engine
            import pocketsphinx
        except ImportError as err:  # pragma: no cover - a packaging fault
            raise EngineError("PocketSphinx is not installed (pip install pocketsphinx)") from err
        self.options = options
        kwargs = _model_kwargs(options.model_dir)
        if options.domain and not options.grammar:
            kwargs["lm"] = str(domain_lm(options.domain, options.lang))
        self._early = options.early_final_pause
        # With a domain LM or a grammar the endpointer's final comes from a decode of the
        # whole utterance again; the general model's full decode at the pause stands.
        self._stands = not (options.domain or options.grammar)
        if not self._stands:
            kwargs["fwdflat"] = False
        else:
            kwargs.update(GENERAL_SEARCH)
        self._early_max = GENERAL_EARLY_MAX_BYTES if self._stands else EARLY_MAX_BYTES
        self._decoder = pocketsphinx.Decoder(samprate=SAMPLE_RATE, loglevel="FATAL", **kwargs)
        for word, phones in (options.extra_words or {}).items():
            self._add_word(word.lower(), phones)
        window = options.endpoint_window
        self._endpointer = pocketsphinx.Endpointer(
            window=window, ratio=ratio_for(window), sample_rate=SAMPLE_RATE
        )
        self._frame_bytes = self._endpointer.frame_bytes
        self._phrases: set[str] | None = None
        self._prefixes: set[str] = set()  # word prefixes of longer grammar phrases
        if options.grammar:
            self._use_grammar([p.lower() for p in options.grammar])
        self._pending = b""
        self._time = 0.0  # stream time of the next frame, seconds
        self._recent: deque[tuple[float, bytes]] = deque(maxlen=32)
        self._utt_start = 0.0
        self._since_partial = 0.0
        self._last_partial = ""
        self._pause = PauseTimer() if self._early is not None else None
        self._utt_frames: list[bytes] = []  # what the decoder got this utterance (to redo it)
        self._cmn = ""  # the decoder's cepstral mean when the utterance started
        self._ended_early = False  # the decoder ended this utterance at a pause
        self._tentative: Result | None = None  # the tentative final given then, if any
        self._revising = False  # the next final replaces a tentative one
        self._early_frames = 0  # how many of the utterance's frames the decoder had then

    def _add_word(self, word: str, phones: str) -> None:
        """Add ``word``, or another pronunciation (``word(2)``...) if the dictionary has it."""
        name, alt = word, 1
        while (known := self._decoder.lookup_word(name)) is not None:
            if known == phones:
                return
            alt += 1
            name = f"{word}({alt})"
        try:
            self._decoder.add_word(name, phones, True)
        except RuntimeError as err:
            raise GrammarError(f"cannot add the word {word!r} with phones {phones!r}") from err

    def _use_grammar(self, phrases: list[str]) -> None:
        unknown = sorted(
            {w for p in phrases for w in p.split() if self._decoder.lookup_word(w) is None}
        )
        if unknown:
            raise GrammarError(
                "PocketSphinx does not know these grammar words: "
                + ", ".join(unknown)
                + "; add them with a pronunciation to the user dictionary"
            )
        self._phrases = {" ".join(p.split()) for p in phrases}
        self._prefixes = phrase_prefixes(self._phrases)
        self._decoder.add_jsgf_string("luch_grammar", jsgf_for(phrases))
        self._decoder.activate_search("luch_grammar")

    # -- streaming -----------------------------------------------------------------------
    def accept(self, pcm: bytes) -> list[Result]:
        results: list[Result] = []
        data = self._pending + pcm
        n = len(data) - len(data) % self._frame_bytes
        self._pending = data[n:]
        for i in range(0, n, self._frame_bytes):
            result = self._frame(data[i : i + self._frame_bytes])
            if result is not None:
                results.append(result)
        return results

    def _frame(self, frame: bytes, last: bool = False) -> Result | None:
        """Endpoint one frame. The decoder gets the raw audio from a little before the
        endpointer's speech start to its end decision, so soft word onsets and endings
        (which the voice-activity detector trims) reach it."""
        ep = self._endpointer
        t = self._time
        self._time += len(frame) / (2 * SAMPLE_RATE)
        self._recent.append((t, frame))
        was_in_speech = ep.in_speech
        if last:
            # end_stream needs at least one sample: audio that ended exactly on a frame
            # boundary leaves nothing pending, and an empty buffer makes it raise.
            ep.end_stream(frame or b"\x00\x00")
        else:
            ep.process(frame)
        pause = self._pause.feed(frame) if self._pause is not None else 0.0
        if not was_in_speech:
            if not ep.in_speech:
                return None
            self._start_utterance(
                [(ft, f) for ft, f in self._recent if ft >= ep.speech_start - LEAD_IN]
            )
        elif self._ended_early:
            self._utt_frames.append(frame)
            if pause == 0.0 and ep.in_speech and not last:
                if self._phrases is None:
                    self._resume()  # speech went on after a pause: decode it all again
                else:  # a whole phrase was said: this is the next one
                    self._ended_early = False
                    self._start_utterance([(ft, f) for ft, f in self._recent if ft >= t - LEAD_IN])
        elif frame:
            self._decode(frame)
        if not ep.in_speech or last:
            if self._ended_early:
                return self._confirm()
            return self._end_utterance()
        if (
            self._early is not None
            and not self._ended_early
            and pause >= self._early
            and len(self._utt_frames) * self._frame_bytes <= self._early_max
            and not self._may_go_on()
        ):
            self._ended_early = True
            self._early_frames = len(self._utt_frames)
            if self._phrases is not None:  # a phrase that no longer phrase begins with
                return self._end_utterance()
            self._tentative = self._end_utterance(tentative=True)
            return self._tentative
        if self._ended_early:
            return None
        self._since_partial += len(frame) / (2 * SAMPLE_RATE)
        if self._since_partial >= PARTIAL_EVERY:
            self._since_partial = 0.0
            hyp = self._decoder.hyp()
            text = hyp.hypstr if hyp is not None else ""
            if text and text != self._last_partial:
                self._last_partial = text
                return Result(text=text, final=False)
        return None

    def _may_go_on(self) -> bool:
        """With a grammar: the words so far begin a longer phrase ("insert template ...")."""
        if not self._prefixes:
            return False
        hyp = self._decoder.hyp()
        return hyp is not None and " ".join(hyp.hypstr.split()) in self._prefixes

    def _start_utterance(self, lead: list[tuple[float, bytes]]) -> None:
        self._decoder.start_utt()
        self._since_partial = 0.0
        self._last_partial = ""
        self._utt_start = lead[0][0]
        self._utt_frames = []
        self._cmn = self._decoder.get_cmn()
        for _, f in lead:
            self._decode(f)

    def _decode(self, frame: bytes) -> None:
        self._decoder.process_raw(frame, False, False)
        self._utt_frames.append(frame)

    def _resume(self) -> None:
        self._ended_early = False
        self._revising = self._revising or self._tentative is not None
        self._tentative = None
        self._redecode()

    def _redecode(self) -> None:
        """Decode the utterance's audio again from its start, with the cepstral mean it
        started with, so the result is the one an uninterrupted decode gives."""
        self._decoder.set_cmn(self._cmn)
        self._decoder.start_utt()
        self._decoder.process_raw(b"".join(self._utt_frames), False, False)

    def _confirm(self) -> Result | None:
        """The endpointer ended an utterance that had ended early at a pause. The general
        model's tentative final (its full decode) stands as it was. Otherwise decode it whole
        (with the silence after it, as without early finals); the final revises the tentative
        one (the same text: confirmed, with exact word times). A grammar phrase already given
        stays as it was."""
        self._ended_early = False
        tentative, self._tentative = self._tentative, None
        if self._stands and tentative is not None:
            self._revising = False
            self._hear_the_rest()
            return replace(tentative, tentative=False, revises=True)
        self._redecode()
        if self._phrases is not None:
            self._decoder.end_utt()  # only for the decoder's state (cepstral mean)
            return None
        self._revising = self._revising or tentative is not None
        return self._end_utterance()

    def _hear_the_rest(self) -> None:
        """Give the decoder the audio since the early end (mostly silence) as an utterance of
        its own, its words unused: the live cepstral mean then counts those frames, as it
        does when the endpointer ends the utterance (without them, the next utterance began
        with a mean ~1.3 higher in c0, and the human digits said again lost a word)."""
        rest = self._utt_frames[self._early_frames :]
        if not rest:
            return
        self._decoder.start_utt()
        self._decoder.process_raw(b"".join(rest), False, False)
        self._decoder.end_utt()

    def _end_utterance(self, tentative: bool = False) -> Result | None:
        self._decoder.end_utt()
        words = self._words()
        text = " ".join(w.word for w in words)
        revises, self._revising = self._revising, False
        if self._phrases is not None and text not in self._phrases:
            # The grammar search returns its best partial path when no phrase fits the audio;
            # a prefix such as "go" is not a command, so nothing was recognised.
            if not revises:
                return None
            text, words = "", ()  # it still replaces the tentative phrase heard before
        return Result(text=text, final=True, words=words, tentative=tentative, revises=revises)

    def _words(self) -> tuple[Word, ...]:
        """The words of the decoder's best path."""
        words = []
        for seg in self._decoder.seg() or ():
            if seg.word in _FILLERS or seg.word.startswith(("++", "[")):
                continue
            words.append(
                Word(
                    word=_ALT_PRON.sub("", seg.word),
                    start=self._utt_start + seg.start_frame / FRAME_RATE,
                    end=self._utt_start + (seg.end_frame + 1) / FRAME_RATE,
                    confidence=min(1.0, max(0.0, float(seg.prob))),
                )
            )
        return tuple(words)

    def finish(self) -> Result | None:
        frame, self._pending = self._pending, b""
        if self._endpointer.in_speech:
            return self._frame(frame, last=True)
        return None


def _create(options: EngineOptions) -> Recognizer:
    return PocketSphinxRecognizer(options)


SPEC = EngineSpec(
    name="pocketsphinx",
    title="PocketSphinx (built-in US English)",
    languages=("en",),
    factory=_create,
)
register_engine(SPEC)
