"""Dictation around the report: each session's word times reach the word links, and each
finished session's audio is kept (FLAC + word times) on record with the study's report."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal

from app.report_panel import ReportPanel
from app.word_audio import WordAudio
from core.errors import LuchError
from records import Store


class DictationGlue(QObject):
    """Wraps the dictation session factory and keeps the recordings of ended sessions."""

    # Words just placed by dictation: session key, field transcript, its word spans with
    # times. Emitted on the recogniser thread right after the dictation panel's own event,
    # so it arrives (queued) after the panel has written the transcript into the field.
    _words_placed = Signal(str, str, object)

    def __init__(self, parent: QObject, store: Store, report: ReportPanel, words: WordAudio,
                 study_uid: Callable[[], str | None], player: Callable[[], object]) -> None:
        super().__init__(parent)
        self.store, self.report, self.words = store, report, words
        self._study_uid, self._player = study_uid, player
        self._session_key: str | None = None
        self._sessions = 0
        self._words_placed.connect(self.words.placed, Qt.ConnectionType.QueuedConnection)

    def with_word_times(self, factory):
        """Wrap the dictation session factory so each final result's word spans (with their
        times in the session's audio) reach the word links after the text is placed."""
        factory = factory or _no_dictation

        def make(on_event, hands_free: bool = True):
            self._sessions += 1
            key = f"session:{self._sessions}"
            made: list = []

            def relay(event) -> None:  # on the recogniser thread
                spans = _rendered_spans(made[0], event.text) \
                    if made and event.kind == "final" else None
                on_event(event)
                if spans is not None:
                    self._words_placed.emit(key, event.text, spans)

            session = factory(on_event=relay, hands_free=hands_free)
            made.append(session)
            self._session_key = key
            self.words.dictating(key, session)
            return session

        return make

    def keep_recording(self, recording, engine: str) -> None:
        """Dictated audio is kept (FLAC + word times) and recorded with the study's report."""
        self._player().last = recording
        study_uid = self._study_uid()
        if study_uid is None:
            self.words.kept(self._session_key or "", recording, None)
            return
        from datetime import UTC, datetime

        from core.files import uid_name
        from core.paths import app_subdir

        folder = app_subdir("dictations") / uid_name(study_uid)
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
