"""Dictation around the report: each session's word times reach the word links, and each
finished session's audio is kept (FLAC + word times) on record with the study's report.

The word spans of a final are taken on the recogniser thread (where the session's
transcript is not changing) and wait here until the dictation panel says where it wrote
that final (:attr:`app.panels.dictation_panel.DictationPanel.written`): the words are linked
there, in that field at that offset, not where similar text is found later."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QObject

from app.panels.report_panel import ReportPanel
from app.playback.word_audio import WordAudio
from core.errors import LuchError
from core.paths import app_subdir
from core.private_names import private_path
from records import Store

MAX_WAITING = 256  # finals whose words wait for the panel to place them


class DictationGlue(QObject):
    """Wraps the dictation session factory, links the words of each final where the panel
    wrote them (:meth:`link_words`) and keeps the recordings of ended sessions."""

    def __init__(self, parent: QObject, store: Store, report: ReportPanel, words: WordAudio,
                 study_uid: Callable[[], str | None], player: Callable[[], object]) -> None:
        super().__init__(parent)
        self.store, self.report, self.words = store, report, words
        self._study_uid, self._player = study_uid, player
        self._session_key: str | None = None
        self._sessions = 0
        # (final event, session key, its word spans), in the order the finals were sent;
        # appended on the recogniser thread, taken on the UI thread. Finals placed into
        # value fields are never taken; the oldest go when it is full.
        self._spans: deque[tuple[object, str, list]] = deque(maxlen=MAX_WAITING)
        self._lock = threading.Lock()

    def with_word_times(self, factory):
        """Wrap the dictation session factory so each final result's word spans (with their
        times in the session's audio) wait for :meth:`link_words`."""
        factory = factory or _no_dictation

        def make(on_event, hands_free: bool = True):
            self._sessions += 1
            key = f"session:{self._sessions}"
            made: list = []

            def relay(event) -> None:  # on the recogniser thread
                if made and event.kind in ("final", "confirmed"):  # text, or exact times
                    spans = _rendered_spans(made[0], event.text)
                    with self._lock:  # before the panel can see the event
                        self._spans.append((event, key, spans))
                on_event(event)

            session = factory(on_event=relay, hands_free=hands_free)
            made.append(session)
            self._session_key = key
            self.words.dictating(key, session)
            return session

        return make

    def link_words(self, event, field: str, offset: int, length: int, skip: int = 0) -> bool:
        """The panel wrote ``event``'s transcript into ``field`` at ``offset`` (``length``
        characters), or it stands there confirmed: link its words there. Finals queued
        before it were not written into a text field and are dropped. False if the event's
        words are not known here. ``skip``: the transcript's first characters the panel did
        not write again (an edit of the field holds them): their words keep their links."""
        with self._lock:
            found = next((n for n, item in enumerate(self._spans) if item[0] is event), None)
            if found is None:
                return False
            for _ in range(found):
                self._spans.popleft()
            _event, key, spans = self._spans.popleft()
        if skip:
            spans = [(a - skip, b - skip, t0, t1) for a, b, t0, t1 in spans if a >= skip]
            offset, length = offset + skip, length - skip
        self.words.placed(key, field, offset, length, spans)
        return True

    def keep_recording(self, recording, engine: str) -> None:
        """Dictated audio is kept (FLAC + word times) and recorded with the study's report."""
        self._player().last = recording
        study_uid = self._study_uid()
        if study_uid is None:
            self.words.kept(self._session_key or "", recording, None)
            return
        folder = private_path(app_subdir("dictations"), study_uid)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = recording.save(folder / f"{stamp}.flac")
        self.words.kept(self._session_key or "", recording, path)
        self.store.save_dictation(
            study_uid, audio_path=path, transcript=" ".join(w.word for w in recording.words),
            timings=[w.as_dict() for w in recording.words], engine=engine,
            report_uid=self.report.report_uid)


def _no_dictation(on_event, hands_free: bool = True):
    raise LuchError("no speech engine is configured")


def _rendered_spans(session, text: str) -> list[tuple[int, int, float | None, float | None]]:
    """The word spans of the session's field transcript, if it renders to ``text`` (called on
    the recogniser thread, where the transcript is not being changed)."""
    transcript = getattr(getattr(session, "processor", None), "transcript", None)
    if transcript is None:
        return []
    rendered, spans = transcript.render()
    if rendered != text:
        return []
    return [(s.char_start, s.char_end, s.start, s.end) for s in spans]
