"""The Qt adapter of dictation: a record button, a level meter, live partial text, and the
glue that turns recognised text into field edits and voice commands into form actions.

The recogniser runs on its own thread (:class:`dictation.session.DictationSession`); its
events cross to the UI thread through a queued signal. Dictated text goes into the form
field that has focus: a text field receives the running transcript of that field after
what it already held; a number or choice field takes the value it recognises. Text fields
outside the report may be given to it (:meth:`DictationPanel.add_outside_editor`, e.g. an
expert's review findings and comment): with the focus in one, the words go there, and
stay there while it is given (a click on the images does not send them back to the report).

"Undo that" / «отменить», and Ctrl+Z in the field being dictated (when the field has no typing
of its own to undo: Qt's own undo goes first), take back the last change there, step by step:
the session's transcript goes back (:meth:`dictation.transcript.Transcript.undo`) and a value
set by voice meanwhile is set back here (:meth:`DictationPanel._value_back`); Ctrl+Shift+Z
makes it again. The status says what went back.

The words go to the text field the reader last picked: clicked (even the one that has the
focus already), tabbed to, or chose by voice. A window taking the focus back (activated by a
click on the images, a dialog closed) gives it to the field it had, with
``ActiveWindowFocusReason``: that is not the reader picking it, and the words stay where they
were; focus going to something that is not a text field (images, worklist) leaves them too.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from app.panels.protocol_form import ProtocolForm
from app.shell.error_text import error_text, localize
from app.shell.input_router import input_router
from dictation.commands import FIELD_MOVES, Command, moves_field
from dictation.session import DictationEvent, DictationSession
from dictation.transcript import EDITS, REDO, UNDO, UNDONE_VALUE
from dictation.written import split_words

log = logging.getLogger(__name__)
SET_VALUE = "set_value"  # a field's name and value said as one utterance (records.spoken)
# A press on a field of an inactive window may come before the window's activation gives it
# the focus (X11): an activation this soon after the press is the reader's pick.
PRESS_THEN_ACTIVATION_S = 1.0


class LiveText(QLabel):
    """The words being recognised, on one line beside the record button: it never widens
    the panel (a long sentence pushed the report panel over the images); when it does not
    fit, its end shows, the newest words. ``text()`` is the whole text."""

    def __init__(self) -> None:
        super().__init__()
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(0)

    def setText(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._fit()

    def clear(self) -> None:
        self.setText("")

    def text(self) -> str:
        return self._full

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideLeft,
                                              max(0, self.width()))
        QLabel.setText(self, shown)


@dataclass
class _Target:
    """A field receiving dictation: its text when dictation first wrote into it (None until
    then, so what was typed after choosing the field stays), the transcript placed, and the
    transcript before the last early (tentative) final, which a revision replaces."""

    key: str | None
    base: str | None = None
    spoken: str = ""
    settled: str = ""
    answering: bool = False  # speech answers a dialog (the signing preview), not a field
    spill: tuple[int, str] | None = None  # a tentative final's words put in the free text
    # The field's text as dictation last wrote it, the dictated part shown then (the last
    # characters of which, ``partial``, were a live preview), and the head of the transcript
    # that an edit of the field (typing, an AI finding, a template) made part of its base.
    written: str | None = None
    shown: str = ""
    partial: int = 0
    absorbed: str = ""


class DictationPanel(QWidget):
    """Dictation into a :class:`ProtocolForm`; ``command`` carries app-level commands
    (``accept_ai_values``, ``sign_report``, ``insert_template``) to the main window."""

    command = Signal(str, object)
    message = Signal(str)
    recorded = Signal(object, str)  # DictationRecording of a finished session, engine name
    activity = Signal()  # the reader is speaking (counts as input for the idle lock)
    # A final's transcript was written into a text field: the event, the field's key, and
    # where the transcript now sits in the field's text (offset, length). Emitted at once,
    # before anything else can change the field (the word links are placed from it).
    written = Signal(object, str, int, int, int)  # event, field, offset, length, skip
    _event = Signal(object)  # from the recogniser thread, delivered on the UI thread

    def __init__(self, form: ProtocolForm, session_factory: Callable[..., DictationSession],
                 lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = form
        self.lang = lang
        self._factory = session_factory
        self.session: DictationSession | None = None
        # Where recognised text goes. [0] receives the session's events; a field chosen since
        # waits behind it until the session says (a "field" event) that its audio begins.
        self._targets: deque[_Target] = deque([_Target(None)])
        # While a dialog waits for a spoken answer (the signing preview), the commands heard
        # go to it (a command name -> True when it took it); nothing is written in the form.
        self._answer: Callable[[str], bool] | None = None
        self._origins: dict[int, tuple[DictationEvent, deque]] = {}  # event -> its session's
        # Text fields outside the form that take dictation while they have the focus (a
        # review's comment), by a key of their own ("outside:<n>").
        self._outside: dict[str, QPlainTextEdit] = {}
        self._outside_count = 0
        self._voice_move = False  # a voice command is moving the focus
        # Values set by voice, by field key, for undo and redo (in step with the session's
        # transcript, which records that a value was set): ("value", what the field held)
        # or ("spill", where, words) for words put into the additional text instead.
        self._undo_values: dict[str, list[tuple]] = {}
        self._redo_values: dict[str, list[tuple]] = {}

        self.record = QPushButton(self.tr("Dictate"))
        self.record.setCheckable(True)
        self.record.setObjectName("dictate")
        self.record.setToolTip(self.tr("Dictate (F9, or the record button of the microphone)"))
        self.record.toggled.connect(self._toggle)
        self.level = QProgressBar()
        self.level.setRange(-60, 0)
        self.level.setTextVisible(False)
        self.level.setMaximumWidth(90)
        self.level.setValue(-60)
        self.partial = LiveText()
        self.partial.setObjectName("partial")
        self.partial.setStyleSheet("color: gray; font-style: italic")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.record)
        layout.addWidget(self.level)
        layout.addWidget(self.partial, 1)
        self._event.connect(self._handle, Qt.ConnectionType.QueuedConnection)
        # The field a window gave the focus back to on its activation (not picked by the
        # reader): its focusChanged does not move the words (see the module's docstring).
        self._restored: QWidget | None = None
        self._pressed: tuple[str, float] | None = None  # (field key, when) of the last press
        input_router().add(self, (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress),
                           self._input)
        input_router().add(self, (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress),
                           self._undo_key)
        QApplication.instance().focusChanged.connect(self._focus_changed)
        self._meter = QTimer(self)
        self._meter.timeout.connect(self._update_level)

    # -- session ----------------------------------------------------------------------------------
    def _toggle(self, on: bool) -> None:
        if on:
            self.start()
        else:
            self.stop()

    def start(self, hands_free: bool = True) -> None:
        """Start listening: hands-free (recognise everything) or, for a push-to-talk
        button, only between the session's ``record_start`` and ``record_stop``."""
        if self.session is not None:
            return
        first = self._snapshot()
        if self.form.read_only and not _outside(first.key):  # a signed report: nothing
            self.record.setChecked(False)  # may be written into it
            self.message.emit(self._locked_text())
            return
        if first.key is None:  # the keys are on the images: the field being filled, else
            key = self.form.current or next(reversed(self.form.text_editors()), None)
            self.form.mark_field(key)  # the additional text (words never go nowhere)
            first = _Target(key)
        targets = deque([first])  # a new session: its transcript is fresh

        def on_event(event: DictationEvent) -> None:  # on the recogniser thread
            self._origins[id(event)] = (event, targets)  # before the UI thread can see it
            self._event.emit(event)

        try:
            self.session = self._factory(on_event=on_event, hands_free=hands_free)
            self._hear_values(self.session)
            self.session.start()
        except Exception as err:  # engine or microphone: tell the user, keep the report
            log.warning("dictation could not start: %s", type(err).__name__)
            self.session = None
            self.record.setChecked(False)
            self.message.emit(self.tr("Dictation could not start: %s") % error_text(err))
            return
        self._targets = targets
        self._undo_values.clear()  # a new session's transcripts: nothing of before to undo
        self._redo_values.clear()
        self._meter.start(100)
        self.record.setChecked(True)

    def stop(self) -> None:
        session, self.session = self.session, None
        self._meter.stop()
        self.level.setValue(-60)
        if session is not None:
            session.stop()  # flushes the last utterance; its events still arrive
            self.partial.clear()  # its late partials are not shown (the final still lands)
            recording = session.recording()
            if recording.duration > 0:  # keep the audio with its words for the report
                engine = type(session.recognizer).__name__
                self.recorded.emit(recording, engine)
        self.record.setChecked(False)

    def _update_level(self) -> None:
        if self.session is not None:
            self.level.setValue(int(max(-60.0, min(0.0, self.session.capture.level))))

    # -- events -----------------------------------------------------------------------------------
    def _handle(self, event: DictationEvent) -> None:
        # The fields of the session that sent it: a stopped session's last events arrive
        # after it ended (perhaps with another session started) and go where its words were.
        origin = self._origins.pop(id(event), None)
        targets = origin[1] if origin is not None and origin[0] is event else self._targets
        ended = targets is not self._targets  # a session stopped before (dictation went on)
        live, self._targets = self._targets, targets  # its own fields, while handling it
        try:
            self._handle_event(event, ended)
        finally:
            if ended:
                self._targets = live

    def _handle_event(self, event: DictationEvent, ended: bool) -> None:
        if event.kind in ("partial", "final"):
            self.activity.emit()
        if event.kind == "partial":
            # the line beside the button shows only live dictation (a stopped session's
            # last words stood there on the next study); the cursor preview still follows
            self.partial.setText(event.text if self.session is not None and not ended else "")
            self._preview(event.text)
        elif event.kind == "restarted":  # the session replaced a failed recogniser; go on
            self.message.emit(self.tr("The speech recogniser had a fault and was restarted; "
                                      "dictation goes on and no audio was lost."))
        elif event.kind == "notice":  # Whisper could not start: another engine serves
            self.message.emit(self.tr("Whisper could not start (%1); dictating with %2 instead.")
                              .replace("%1", error_text(event.error)).replace("%2", event.text))
        elif event.kind == "error":
            self.message.emit(localize(event.text))
            if not ended:
                self.stop()
        elif event.kind == "confirmed":  # the early final stands, now with exact word times
            placed = self._confirm(event.text)
            if placed is not None:
                self.written.emit(event, *placed)
        elif event.kind == "unconfirmed":
            self.message.emit(self.tr("A voice command was heard but dictation ended before it "
                                      "was confirmed, so it was not run: “%1”")
                              .replace("%1", event.text))
        elif event.kind == "field":  # the session reached the field change in its audio
            if len(self._targets) > 1:
                self._targets.popleft()
        elif event.kind == "final" and self._answer is not None:
            self.partial.clear()
            if moves_field(event.commands):  # the session began a new transcript after it
                self._targets.append(_Target(None, answering=True))
            self._answer_with(event)
        elif event.kind == "final":
            self.partial.clear()
            undo = next((c for c in event.commands if c.name in (UNDO, REDO)), None)
            if undo is not None:
                self._undo(event, undo)
                return
            tentative = event.result is not None and event.result.tentative
            editor = self._editor(self._targets[0].key)
            before = editor.toPlainText() if isinstance(editor, QPlainTextEdit) else None
            placed = self._place(event.text, event.revises, tentative)
            if placed is not None:
                self.written.emit(event, *placed)
            if before is not None and any(c.name in EDITS for c in event.commands):
                gone = _changed(before, editor.toPlainText())[0]
                if gone:  # a misheard "delete ..." is seen, and taken back by "undo that"
                    self.message.emit(self.tr("Deleted “%1”: say “undo that” or press Ctrl+Z "
                                              "to bring it back").replace("%1", gone))
            for command in event.commands:
                self._run_command(command.name, command.argument, command.field)

    # -- answering a dialog by voice ---------------------------------------------------------------
    def set_answering(self, answer: Callable[[str], bool] | None) -> None:
        """Give the commands heard to ``answer`` (it returns True for those it takes: "sign",
        "cancel") instead of acting on the form, until called with None; dictation then goes
        on in the field being filled, with a transcript of its own."""
        self._answer = answer
        if self.session is not None:
            self._targets.append(_Target(None, answering=True) if answer else self._snapshot())
            self.session.new_field()  # in order with the audio

    def _answer_with(self, event: DictationEvent) -> None:
        """A final heard while a dialog waits: its commands (those the transcript consumes,
        such as «отмена», included) answer it; other words are not written anywhere."""
        names = [c.name for c in event.commands]
        commands = getattr(getattr(self.session, "processor", None), "commands", None)
        spoken = event.result.text if event.result is not None else ""
        if commands is not None and event.result is not None:
            words = [w.word for w in event.result.words] or spoken.split()
            names = [p.name for p in commands.parse(words) if isinstance(p, Command)]
        if "stop_dictation" in names:
            self.stop()
            return
        if not any(self._answer(name) for name in names) and (names or spoken.strip()):
            self.message.emit(self.tr("Signing: say “sign” to sign, or “cancel” to go back "
                                      "to the report"))

    def _locked_text(self) -> str:
        return self.tr("The report is signed: start an addendum to dictate into it.")

    def _preview(self, partial: str) -> None:
        """Show the words being recognised in their text field, until the final."""
        target = self._targets[0]
        if self.form.read_only and not _outside(target.key):
            return
        editor = self._editor(target.key)
        if isinstance(editor, QPlainTextEdit):
            # After the settled text: words after a tentative final are the same utterance
            # heard again from its start (the engine's next final replaces the tentative
            # one), so the preview stands in its place; after the tentative text it doubled
            # the sentence on screen ("Nodule in the left lobe. Nodule in the left lobe, no...")
            shown = " ".join(x for x in (target.settled, partial) if x)
            self._write(editor, target, shown, len(shown) - len(target.settled))

    def _write(self, editor: QPlainTextEdit, target: _Target, dictated: str,
               partial: int = 0) -> tuple[int, int]:
        """Show ``dictated`` (the field's transcript; its last ``partial`` characters a live
        preview) after the field's base text. Returns where the transcript's first character
        stands in the text and how many of its first characters are not written again (see
        :meth:`_rebase`)."""
        if target.base is None:
            target.base = editor.toPlainText()
        elif target.written is not None and editor.toPlainText() != target.written:
            self._rebase(editor, target)
        skip, tail = _tail(dictated, target.absorbed)
        base, joiner = target.base, _joiner(target.base, tail)
        if skip and tail[:1].islower() and base.rstrip().endswith((".", "!", "?")):
            tail = tail[0].upper() + tail[1:]  # a sentence after the edit's own full stop
        editor.setPlainText(base + joiner + tail)
        target.written, target.shown, target.partial = editor.toPlainText(), dictated, partial
        cursor = editor.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        editor.setTextCursor(cursor)
        return len(base) + len(joiner) - skip, skip

    @staticmethod
    def _rebase(editor: QPlainTextEdit, target: _Target) -> None:
        """The field was changed since dictation last wrote into it (words typed or put
        right, an AI finding or a template inserted): its text stays as it is now, and the
        dictation goes on after it, never writing its older words over the change. A live
        preview still at the end is taken away (its final follows)."""
        text = editor.toPlainText()
        settled = _without_preview(text, target)
        target.absorbed = target.shown[: len(target.shown) - target.partial].rstrip() \
            if settled != text else target.shown
        target.base = settled

    def _confirm(self, transcript: str) -> tuple[str, int, int, int] | None:
        """The last early final stands as placed: it can no longer be revised. Returns
        where its text field holds the transcript (as :meth:`_place`), if it does."""
        target = self._targets[0]
        if transcript != target.spoken:
            return None
        target.settled = transcript
        editor = self._editor(target.key)
        if not isinstance(editor, QPlainTextEdit) or target.base is None \
                or _outside(target.key):  # no word links outside the report
            return None
        skip, tail = _tail(transcript, target.absorbed)
        return target.key, len(target.base) + len(_joiner(target.base, tail)) - skip, \
            len(transcript), skip

    def _place(self, transcript: str, revises: bool = False,
               tentative: bool = False) -> tuple[str, int, int, int] | None:
        """Put the new part of the field's transcript into the field it was dictated into
        (where the focus was when the words were spoken, even if it has moved since). A
        revising final replaces what the tentative one before it placed. Returns the text
        field's key and where the transcript sits in its text (offset, length); None for
        a value field or no field."""
        target = self._targets[0]
        if target.answering:  # heard before the dialog closed: not the field's
            return None
        outside = _outside(target.key)  # a review's comment, say: the words, no word links
        if self.form.read_only and not outside:  # heard as the report was signed: the
            if transcript:  # signed text stands
                self.message.emit(self._locked_text())
            return None
        if revises:
            target.spoken = target.settled
            if target.spill is not None:  # the tentative final's words, heard again
                self.form.unspill(*target.spill)
                target.spill = None
        settled = target.spoken
        if target.key is None:
            if transcript:
                self.message.emit(self.tr("Choose a field to dictate into"))
            return None
        editor = self._editor(target.key)
        if isinstance(editor, QPlainTextEdit):  # the final text replaces the live preview
            offset, skip = self._write(editor, target, transcript)
            target.spoken, target.settled = transcript, settled if tentative else transcript
            return None if outside else (target.key, offset, len(transcript), skip)
        if outside:  # its dialog closed meanwhile
            return None
        new = transcript[len(target.spoken):].strip() \
            if transcript.startswith(target.spoken) else transcript
        target.spoken, target.settled = transcript, settled if tentative else transcript
        if new and not revises:  # the session recorded a step for these words
            self._value_step(target.key, ("value", self._value_state(target.key)))
        if new and not self.form.insert_text(new, target.key):
            could = self.form.could_be(target.key, new)  # the start of two options or more
            spilled = self.form.spill(new)  # the words are the reader's: never dropped
            if spilled is not None:
                target.spill = (spilled[1], new) if tentative else None
                if not revises:
                    self._undo_values[target.key][-1] = ("spill", spilled[1], new)
            if could:
                options = "; ".join(f"“{o}”" for o in could)
                self.message.emit(
                    self.tr("“%1” could be any of: %2. Say the whole option.").replace(
                        "%1", new).replace("%2", options) + (" " + self.tr(
                            "The words were added to “%1”.").replace("%1", spilled[0])
                        if spilled is not None else ""))
            elif spilled is None:
                self.message.emit(self.tr("“%s” does not fit this field") % new)
            else:
                self.message.emit(self.tr("“%1” does not fit this field: added to “%2”")
                                  .replace("%1", new).replace("%2", spilled[0]))
        elif new and target.key in self.form.to_check():  # a value of opposite meaning
            self.message.emit(self.form.check_text(target.key))  # sounds alike: check it
        return None

    def _snapshot(self) -> _Target:
        focus = QApplication.focusWidget()
        for key, editor in self._outside.items():
            if focus is not None and (editor is focus or editor.isAncestorOf(focus)):
                return _Target(key)
        return _Target(self.form.current_key())

    def _editor(self, key: str | None) -> QWidget | None:
        if not key:
            return None
        return self._outside.get(key) if _outside(key) else self.form.editors.get(key)

    # -- text fields outside the report ----------------------------------------------------------
    def add_outside_editor(self, editor: QPlainTextEdit) -> None:
        """Let dictation write into ``editor`` once it has the focus, until it is removed or
        destroyed (the report's fields take it back then, or when one is chosen by voice)."""
        if editor in self._outside.values():
            return
        self._outside_count += 1
        key = f"outside:{self._outside_count}"
        self._outside[key] = editor
        editor.destroyed.connect(lambda *_: self._outside.pop(key, None))
        if self.session is not None and QApplication.focusWidget() is editor:
            self._retarget()

    def remove_outside_editor(self, editor: QPlainTextEdit) -> None:
        """``editor`` takes no more dictation (its dialog closed): the words go to the
        report's field again."""
        for key in [k for k, e in self._outside.items() if e is editor]:
            del self._outside[key]
            if self.session is not None and self._targets[-1].key == key:
                self._targets.append(_Target(self.form.current_key()))
                self.session.new_field()

    def _retarget(self, chosen: bool = False, key: str | None = None,
                  voiced: bool = False) -> None:
        """A field has focus: speech from now on goes there, with a transcript of its own.

        While a field outside the report takes the words (a review's comment), only a report
        field ``chosen`` by the reader (clicked, tabbed to, picked by voice: ``_input`` and
        ``_focus_changed`` tell it from a window's activation) or the outside field's removal
        (its dialog closed) gives the words back to the report. ``key``: that field (pressed),
        else the one with the focus; ``voiced``: moved to by a spoken command, whose field
        change the session has made itself (its ``field`` event), even to the same field."""
        target = _Target(key) if key is not None else self._snapshot()
        if _outside(self._targets[-1].key) and not _outside(target.key) and not chosen:
            return  # the words stay in the review's field
        if self.session is None:
            self._targets = deque([target])
        elif voiced:  # the session's own "field" event starts it
            self._targets.append(target)
        elif target.key is not None and target.key != self._targets[-1].key:
            self._targets.append(target)
            self.session.new_field()  # the switch happens in order with the audio

    def _field_key(self, widget: QObject | None) -> str | None:
        """The key of the text field (report or outside) ``widget`` is or lies in."""
        if not isinstance(widget, QWidget):
            return None
        for key, editor in self._outside.items():
            if editor is widget or editor.isAncestorOf(widget):
                return key
        return self.form.key_of(widget)

    def _input(self, watched: QObject, event: QEvent) -> bool:
        """Through the application's router: a focus given by a window's activation (or a
        popup closing) is remembered as not picked; a press on a field picks it, also the
        one that has the focus already (no focus change then)."""
        if event.type() == QEvent.Type.FocusIn:
            if isinstance(watched, QWidget):  # not its window, nor a style that watches it
                restored = event.reason() in (Qt.FocusReason.ActiveWindowFocusReason,
                                              Qt.FocusReason.PopupFocusReason)
                pressed = self._pressed
                if restored and pressed is not None and self._field_key(watched) == pressed[0] \
                        and time.monotonic() - pressed[1] < PRESS_THEN_ACTIVATION_S:
                    restored = False  # the window activated by the press on this field
                self._restored = watched if restored else None
            return False
        key = self._field_key(watched)
        if key is not None:  # a press on a text field: that one, whichever has the focus
            self._restored = None
            self._pressed = (key, time.monotonic())
            if self.session is not None:
                self._retarget(chosen=True, key=key)
        return False

    def _focus_changed(self, _old, new) -> None:
        """Clicking or tabbing to another field while dictating moves the dictation there;
        focus leaving the fields (scrolling images, the worklist) keeps it in the last one,
        and so does a window's activation giving its focus back to a field; a spoken field
        move (``_move_by_voice``) queues its field itself."""
        if self.session is None or self._voice_move or new is None or new is self._restored \
                or self._field_key(new) is None:
            return
        self._retarget(chosen=True)

    def _run_command(self, name: str, argument: str | None, field: str | None = None) -> None:
        if name in FIELD_MOVES:
            self._move_by_voice(name, argument)
        elif name == SET_VALUE:
            self._set_by_voice(field, argument or "")
        elif name == "stop_dictation":
            self.stop()
        elif name in ("accept_ai_values", "sign_report", "insert_template"):
            self.command.emit(name, argument)
            self._retarget()
        # inline edits (punctuation, new line, scratch that) are in the transcript

    def _hear_values(self, session: DictationSession) -> None:
        """Let the session take a field's name and its value said as one utterance
        («Распределение двусторонние», "Dynamics worse") as a ``set_value`` command, not text;
        the value's words as the session's normaliser writes them («КТ три» -> «КТ-3»); and a
        free-text field's name said as a heading («Заключение. ...») as going there, the rest
        of the utterance its text."""
        processor = getattr(session, "processor", None)
        commands = getattr(processor, "commands", None)
        normalizer = getattr(processor, "normalize", None)
        if commands is None or normalizer is None:
            return

        def written(text: str) -> str:  # the words as the transcript writes them, no stops
            return " ".join(normalizer([t.text for t in split_words(text.split(), written=True)
                                        if not t.is_punct]))

        def value_said(heard: str) -> Command | None:  # on the recogniser's thread
            found = self.form.labelled_value(heard, written)
            return Command(SET_VALUE, argument=found[1], field=found[0]) if found else None

        commands.field_value = value_said
        commands.heading = self.form.heading

    def _set_by_voice(self, key: str | None, said: str) -> None:
        """A field's value said with its name: set it there, wherever dictation is, and say
        what was set (a value of opposite meaning: to be checked)."""
        if key is None or key not in self.form.editors:
            return
        if self.form.read_only:
            self.message.emit(self._locked_text())
            return
        self._value_step(key, ("value", self._value_state(key)))
        if not self.form.insert_text(said, key):
            spilled = self.form.spill(said)
            if spilled is not None:
                self._undo_values[key][-1] = ("spill", spilled[1], said)
                self.message.emit(self.tr("“%1” does not fit this field: added to “%2”")
                                  .replace("%1", said).replace("%2", spilled[0]))
            return
        if key in self.form.to_check():
            self.message.emit(self.form.check_text(key))
        else:
            editor = self.form.editors[key]
            shown = editor.currentText() if isinstance(editor, QComboBox) else said.rstrip(".")
            self.message.emit(self.tr("%1: set to “%2”").replace("%1", self.form.label(key))
                              .replace("%2", shown))

    # -- undo and redo ----------------------------------------------------------------------------
    def _undo(self, event: DictationEvent, command: Command) -> None:
        """The session took back (or made again) the last change of the field being dictated:
        show its text as it now is, set back a value set by voice, and say what changed."""
        redo = command.name == REDO
        target = self._targets[0]
        if target.answering or command.argument is None:
            self.message.emit(self.tr("Nothing to redo") if redo else
                              self.tr("Nothing to undo in this field"))
            return
        if command.argument == UNDONE_VALUE:
            self._value_back(command.field, redo)
            return
        editor = self._editor(target.key)
        if not isinstance(editor, QPlainTextEdit):  # a value field's words: its value
            target.spoken = target.settled = event.text
            self._value_back(target.key, redo)
            return
        before = _without_preview(editor.toPlainText(), target)  # "undo that" heard live
        placed = self._place(event.text)
        if placed is not None:
            self.written.emit(event, *placed)
        self.message.emit(self._changed_text(before, editor.toPlainText(), redo))

    def _changed_text(self, before: str, after: str, redo: bool) -> str:
        """The status after an undo (``redo``) in a text field: the words taken out or back."""
        gone, back = _changed(before, after)
        if back:
            return (self.tr("Redone: “%1”") if redo else self.tr("Undone: “%1” is back")) \
                .replace("%1", back)
        if gone:
            return (self.tr("Redone: “%1” taken out") if redo else
                    self.tr("Undone: “%1” taken out")).replace("%1", gone)
        return self.tr("Undone")

    def _value_state(self, key: str | None):
        """What value field ``key`` holds (and whether it is marked to check)."""
        if key is None or key not in self.form.editors:
            return None
        return self.form.value_of(key), self.form.to_check().get(key)

    def _value_step(self, key: str | None, step: tuple) -> None:
        if key is not None:
            self._undo_values.setdefault(key, []).append(step)
            self._redo_values.pop(key, None)  # a new change: nothing to redo there

    def _value_back(self, key: str | None, redo: bool = False) -> None:
        """Set field ``key`` back to what it held before the last value set by voice (or,
        ``redo``, to what that set it to), and say so."""
        steps = (self._redo_values if redo else self._undo_values).get(key or "")
        if not steps or key not in self.form.editors:
            self.message.emit(self.tr("Nothing to redo") if redo else
                              self.tr("Nothing to undo in this field"))
            return
        other = self._undo_values if redo else self._redo_values
        step = steps.pop()
        if step[0] == "spill":  # the words went to the additional text: out again (or in)
            if redo:
                spilled = self.form.spill(step[2])
                other.setdefault(key, []).append(("spill", spilled[1] if spilled else 0,
                                                  step[2]))
            else:
                self.form.unspill(step[1], step[2])
                other.setdefault(key, []).append(step)
            self.message.emit((self.tr("Redone: “%1”") if redo else
                               self.tr("Undone: “%1” taken out")).replace("%1", step[2]))
            return
        other.setdefault(key, []).append(("value", self._value_state(key)))
        value, mark = step[1]
        self.form.set_value(key, value)
        if mark:
            self.form.restore_checks({key: mark})
        editor = self.form.editors[key]
        if isinstance(editor, QComboBox):
            shown = editor.currentText()
        elif isinstance(editor, QListWidget):
            shown = ", ".join(editor.item(n).text() for n in range(editor.count())
                              if editor.item(n).checkState() == Qt.CheckState.Checked)
        else:
            shown = "" if value is None else str(value)
        self.message.emit((self.tr("Redone: %1 is “%2”") if redo else
                           self.tr("Undone: %1 is “%2” again"))
                          .replace("%1", self.form.label(key)).replace("%2", shown or "—"))

    def _undo_key(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+Z (Ctrl+Shift+Z) in the text field being dictated, with no typing of its own
        to undo there, undoes the last voice change as "undo that" does (in order with the
        speech: the session does it)."""
        undo = event.matches(QKeySequence.StandardKey.Undo)
        if not undo and not event.matches(QKeySequence.StandardKey.Redo):
            return False
        session = self.session
        key = self._targets[-1].key if session is not None else None
        editor = self._editor(key)
        if editor is None or watched is not editor or (self.form.read_only and not _outside(key)):
            return False
        document = editor.document()
        if document.isUndoAvailable() if undo else document.isRedoAvailable():
            return False  # the reader's typing there: Qt's own undo
        event.accept()
        if event.type() == QEvent.Type.KeyPress:
            session.undo() if undo else session.redo()
        return True

    def _move_by_voice(self, name: str, argument: str | None) -> None:
        """A field move heard: the session has already begun the next field's transcript
        (its ``field`` event follows this final), so the field the form moves to is queued
        for it, even when it is the same field, and no new_field() is asked for."""
        self._voice_move = True  # the focus change below is this move, not a click
        try:
            if name == "next_field":
                self.form.next_field()
            elif name == "previous_field":
                self.form.previous_field()
            elif self.form.go_to_field(argument or "") is None:
                self.message.emit(self.tr("No field called “%s”") % (argument or ""))
        finally:
            self._voice_move = False
        self._retarget(chosen=True, voiced=True)


def _without_preview(text: str, target: _Target) -> str:
    """A field's ``text`` without the live preview dictation last put at its end, if it is
    still there."""
    preview = target.shown[len(target.shown) - target.partial:]
    if target.partial and text.endswith(preview):
        return text[: len(text) - len(preview)].rstrip(" ")
    return text


def _common_start(a: str, b: str) -> int:
    """How many first characters ``a`` and ``b`` share."""
    pairs = enumerate(zip(a, b, strict=False))
    return next((n for n, (x, y) in pairs if x != y), min(len(a), len(b)))


def _changed(before: str, after: str) -> tuple[str, str]:
    """What changed from ``before`` to ``after``: the text taken out and the text put in
    (between their common start and end, stripped)."""
    start = _common_start(before, after)
    end = 0
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    return before[start:len(before) - end].strip(), after[start:len(after) - end].strip()


def _tail(dictated: str, absorbed: str) -> tuple[int, str]:
    """The part of the transcript ``dictated`` still to write after an edit that holds
    ``absorbed`` (:func:`_kept_head`), and how many characters before it are not written."""
    tail = dictated[_kept_head(dictated, absorbed):].lstrip()
    return len(dictated) - len(tail), tail


def _kept_head(dictated: str, absorbed: str) -> int:
    """How much of the head of ``dictated`` an edit of the field already holds: all of
    ``absorbed`` when the transcript goes on from it, else up to the last word both share
    (a revision or "scratch that" reaching back into it cannot change the edited text)."""
    if not absorbed or dictated.startswith(absorbed):
        return len(absorbed)
    same = _common_start(dictated, absorbed)
    return dictated.rfind(" ", 0, same + 1) + 1 if same < len(dictated) else same


def _joiner(base: str, dictated: str) -> str:
    """What separates a field's own text from the dictated text after it."""
    return "" if not base or base.endswith((" ", "\n")) or not dictated else " "


def _outside(key: str | None) -> bool:
    """A key of a text field outside the report (:meth:`DictationPanel.add_outside_editor`)."""
    return bool(key) and str(key).startswith("outside:")
