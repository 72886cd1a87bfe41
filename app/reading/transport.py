"""The playback transport of dictations: play / pause (from the dictated word at the cursor),
rewind and fast-forward; playing stops hands-free dictation."""

from __future__ import annotations

from PySide6.QtCore import QObject

from app.panels.dictation_panel import DictationPanel
from app.playback.player import SEEK_SECONDS, Player
from app.playback.word_audio import WordAudio
from app.shell.main_window import MainWindow


class Transport(QObject):
    """F10, Ctrl+F10-F12 and the microphone's play, rewind, fast-forward buttons."""

    def __init__(self, window: MainWindow, player: Player, words: WordAudio,
                 dictation: DictationPanel) -> None:
        super().__init__(window)
        self.window, self.player, self.words, self.dictation = window, player, words, dictation
        self._play_anchor = None  # the word "play back" last started from

    def play_back(self) -> None:
        """Play / pause. Plays from the dictated word at the cursor when the cursor moved to
        one, else resumes the paused playback, else plays the last dictation."""
        player = self.player
        if player.playing:
            player.pause()
            return
        self.stop_listening()
        found = self.words.link_at_cursor()
        link = found[1] if found is not None else None
        unfinished = player.programme is not None and \
            (player.position() or 0.0) < player.programme.end
        if link is not None and (link != self._play_anchor or not unfinished):
            self._play_anchor = link
            self.words.play_from(link)
            return
        try:
            seconds = player.resume() if unfinished else player.play()
        except OSError as err:
            self.window.statusBar().showMessage(self.tr("Cannot play the dictation: %s") % err)
            return
        if not seconds:
            self.window.statusBar().showMessage(self.tr("Nothing dictated to play back yet"))

    def stop_listening(self) -> None:
        """Playback and hands-free dictation exclude each other: the microphone would take
        the loudspeaker's words for the reader's. Push-to-talk only listens while held."""
        session = self.dictation.session
        if session is not None and getattr(session, "hands_free", False):
            self.dictation.stop()
            self.window.statusBar().showMessage(self.tr("Dictation stopped for playback"))

    def rewind(self) -> None:
        self._seek(-SEEK_SECONDS)

    def fast_forward(self) -> None:
        self._seek(SEEK_SECONDS)

    def _seek(self, delta: float) -> None:
        if self.player.programme is None:
            self.window.statusBar().showMessage(self.tr("Nothing is being played back"))
            return
        try:
            position = self.player.seek(delta)
        except OSError as err:
            self.window.statusBar().showMessage(self.tr("Cannot play the dictation: %s") % err)
            return
        self.window.statusBar().showMessage(
            self.tr("Playback at %s s") % f"{position:.1f}", 2000)
