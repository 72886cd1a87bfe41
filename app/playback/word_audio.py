"""Click a dictated word, hear it: word links of the protocol form's text fields.

When dictation writes a field's transcript, :meth:`WordAudio.placed` is told where (the
field, the offset and length of the transcript in its text) and links each written word
to its time in the session's recording (:mod:`app.playback.word_links`). Ctrl+click on a
word plays it with a little padding; "play the word at the cursor" does the same from the
keyboard, and "play back" from a word plays from there on. Dictated words with audio are
underlined with dots.

The links survive a restart: they are written per study (``word-links/<hash>.json`` under
the app data dir) with the draft autosave and read back when the study's report is opened;
each link is checked against the restored text and dropped where the word is no longer
there. Links refer to the FLAC kept with the report (``dictations/``); words dictated in a
session that never ended (a crash) have no kept audio and are not written.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from app.playback.player import Player
from app.playback.word_links import FieldLinks, WordLink
from core.crypto import SealError
from core.paths import app_home, app_subdir
from core.private_names import find_moved, private_path
from core.vault import read_private_json, write_private_json
from dictation.errors import DictationError
from dictation.recording import DictationRecording

log = logging.getLogger(__name__)
FILE_VERSION = 1


class TextFields(Protocol):
    """What the word links need of a form (:class:`app.panels.protocol_form.ProtocolForm`,
    a QObject that becomes their parent): its editors by field key, and which has focus."""

    editors: dict[str, QWidget]

    def text_editors(self) -> dict[str, QPlainTextEdit]: ...

    def current_key(self) -> str | None: ...


class WordAudio(QObject):
    """Word links of a form's text fields (:class:`TextFields`), and playing them."""

    message = Signal(str)
    changed = Signal()  # links were added, moved or dropped (for the autosave)
    about_to_play = Signal()  # (direct) the loudspeaker is about to sound: mute the dictation

    def __init__(self, form: TextFields, player: Player | None = None) -> None:
        super().__init__(form)
        self.form = form
        self.player = player or Player()
        self.fields: dict[str, FieldLinks] = {}
        self._recordings: dict[str, DictationRecording] = {}  # source -> audio
        self._live: dict[str, object] = {}  # session key -> DictationSession still dictating
        self._aliases: dict[str, str] = {}  # session key -> source once the audio is kept
        self._study_uid: str | None = None  # whose links were restored last
        self._viewports: dict[QObject, str] = {}
        for key, editor in form.text_editors().items():
            self.fields[key] = FieldLinks(editor.toPlainText())
            editor.textChanged.connect(lambda k=key: self._edited(k))
            editor.viewport().installEventFilter(self)
            self._viewports[editor.viewport()] = key
            editor.setToolTip(self.tr("Ctrl+click a dictated word (dotted underline) to hear it; "
                                      "Ctrl+F10 plays the word at the cursor"))

    # -- links ------------------------------------------------------------------------------------
    def _edited(self, key: str) -> None:
        links = self.fields[key]
        before = len(links.links)
        links.edit(self.form.editors[key].toPlainText())
        if links.links or before:
            self._underline(key)  # a rewrite (setPlainText) resets the marks' cursors
        if len(links.links) != before:
            self.changed.emit()

    def placed(self, source: str, key: str, offset: int, length: int,
               spans: Iterable[tuple[int, int, float | None, float | None]]) -> bool:
        """Dictation just wrote a transcript into the text field ``key``, at ``offset`` of
        its text, ``length`` characters; ``spans`` are its words (chars within the
        transcript, times in ``source``). Returns False for a field without word links."""
        links = self.fields.get(key)
        if links is None:
            return False
        links.edit(self.form.editors[key].toPlainText())
        links.place(offset, [(a, b, t0, t1) for a, b, t0, t1 in spans
                             if t0 is not None and t1 is not None and b <= length],
                    self._aliases.get(source, source))
        self._underline(key)
        self.changed.emit()
        return True

    def dictating(self, key: str, session: object) -> None:
        """A session (audio still growing) speaks for the source ``key``."""
        self._live[key] = session

    def kept(self, key: str, recording: DictationRecording, path: Path | None) -> None:
        """The session ``key`` ended; its audio is ``recording``, kept at ``path`` (if any)."""
        self._live.pop(key, None)
        source = _source_name(path) if path is not None else key
        self._recordings[source] = recording
        if source != key:
            self._aliases[key] = source
            for links in self.fields.values():
                links.rename(key, source)
            self.changed.emit()

    def link_at_cursor(self) -> tuple[str, WordLink] | None:
        """The dictated word at the cursor of the focused text field."""
        key = self.form.current_key()
        if key not in self.fields:
            return None
        editor = self.form.editors[key]
        link = self.fields[key].at(editor.textCursor().position())
        return (key, link) if link is not None else None

    # -- playing ----------------------------------------------------------------------------------
    def recording(self, source: str) -> DictationRecording | None:
        source = self._aliases.get(source, source)
        if source in self._live:
            return self._live[source].recording()  # the audio so far
        if source not in self._recordings:
            if source.startswith("session:"):
                return None
            path = find_moved(Path(source) if Path(source).is_absolute()
                              else app_home() / source)  # its folder renamed since
            try:
                self._recordings[source] = DictationRecording.load(path)
            except DictationError as err:
                log.warning("word audio unavailable (%s): %s",
                            "file present" if path.is_file() else "no such file", err)
                return None
        return self._recordings[source]

    def play_word(self, link: WordLink) -> bool:
        """Play one word with a little padding."""
        return self._play_link(link, to_end=False)

    def play_from(self, link: WordLink) -> bool:
        """Play from ``link`` to the end of its recording."""
        return self._play_link(link, to_end=True)

    def play_word_at_cursor(self) -> bool:
        found = self.link_at_cursor()
        if found is None:
            self.message.emit(self.tr("No dictated word at the cursor"))
            return False
        return self.play_word(found[1])

    def _play_link(self, link: WordLink, to_end: bool) -> bool:
        self.about_to_play.emit()
        recording = self.recording(link.source)
        if recording is None:
            self.message.emit(self.tr("The audio of this word is not on this station"))
            return False
        start, end = recording.bounds(link.t0, link.t1)
        try:
            return self.player.play(recording, start, None if to_end else end) > 0
        except OSError as err:
            self.message.emit(self.tr("Cannot play the dictation: %s") % err)
            return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        key = self._viewports.get(watched)
        if key is not None and event.type() == QEvent.Type.MouseButtonPress and \
                event.button() == Qt.MouseButton.LeftButton and \
                event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            editor = self.form.editors[key]
            cursor = editor.cursorForPosition(event.position().toPoint())
            editor.setFocus(Qt.FocusReason.MouseFocusReason)
            editor.setTextCursor(cursor)
            link = self.fields[key].at(cursor.position())
            if link is not None:
                self.play_word(link)
            return True
        return super().eventFilter(watched, event)

    def _underline(self, key: str) -> None:
        editor: QPlainTextEdit = self.form.editors[key]
        marks = []
        for link in self.fields[key].links:
            mark = QTextEdit.ExtraSelection()
            mark.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            cursor = QTextCursor(editor.document())
            cursor.setPosition(link.start)
            cursor.setPosition(link.end, QTextCursor.MoveMode.KeepAnchor)
            mark.cursor = cursor
            marks.append(mark)
        editor.setExtraSelections(marks)

    # -- persistence ------------------------------------------------------------------------------
    def save(self, study_uid: str) -> None:
        """Write the links whose audio is kept (not those of a session still dictating)."""
        data = {key: [x.as_dict() for x in links.links if not x.source.startswith("session:")]
                for key, links in self.fields.items()}
        write_private_json(_path(study_uid), {"version": FILE_VERSION,
                                              "fields": {k: v for k, v in data.items() if v}})

    def restore(self, study_uid: str) -> int:
        """Read the study's links back against the text now in the fields; returns how many
        still hold. Links whose word changed, or a damaged file, are dropped."""
        if study_uid != self._study_uid:  # another study: its audio loads from disk when played
            self._recordings.clear()
        self._study_uid = study_uid
        fields: dict = {}
        path = _path(study_uid)
        if path.is_file():
            try:
                fields = read_private_json(path).get("fields", {})
            except (ValueError, AttributeError, SealError) as err:
                log.warning("word links unreadable, dropped: %s", type(err).__name__)
        count = 0
        for key, editor in self.form.text_editors().items():
            try:
                links = [WordLink.from_dict(d) for d in fields.get(key, [])]
            except (KeyError, TypeError, ValueError):
                links = []
            self.fields[key] = FieldLinks(editor.toPlainText(), links)
            count += len(self.fields[key].links)
            self._underline(key)
        return count


def _source_name(path: Path) -> str:
    """A kept recording's name in the links: relative to the app data dir when inside it,
    so the links still hold when that folder moves (``LUCH_HOME``)."""
    try:
        return Path(path).resolve().relative_to(app_home().resolve()).as_posix()
    except ValueError:
        return str(path)


def _path(study_uid: str) -> Path:
    return private_path(app_subdir("word-links"), study_uid, ".json")
