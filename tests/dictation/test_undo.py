"""Undo of dictation: "undo that" / «отменить» take back the last change to the field's
transcript step by step (an utterance, what an editing command removed, a value set by voice),
a change after an undo clears the redo side, and a tentative final taken back takes its step
with it. The session's undo()/redo() (the app's Ctrl+Z) do the same in order with the audio."""

from __future__ import annotations

import threading

import pytest

from dictation.commands import Command
from dictation.engines import Recognizer
from dictation.results import Result
from dictation.session import DictationSession
from dictation.transcript import UNDO, UNDONE_TEXT, UNDONE_VALUE, DictationProcessor


def _say(p: DictationProcessor, *utterances: str) -> list[Command]:
    out: list[Command] = []
    for u in utterances:
        out += p.process(Result(u, final=True)).commands
    return out


@pytest.mark.parametrize(("lang", "said"), [
    ("en", ("No nodules.", "Small effusion on the left.", "Delete last sentence.",
            "Undo that.")),
    ("ru", ("Очагов нет.", "Небольшой выпот слева.", "Удалить последнее предложение.",
            "Отменить.")),
])
def test_a_deleted_sentence_comes_back_and_undo_goes_on_step_by_step(lang, said):
    p = DictationProcessor(lang)
    first, second, delete, undo = said
    _say(p, first, second)
    full = p.transcript.text
    _say(p, delete)
    assert p.transcript.text != full
    assert _say(p, undo) == [Command(UNDO, argument=UNDONE_TEXT)]
    assert p.transcript.text == full
    _say(p, undo)  # the utterance before it
    assert p.transcript.text == _render(lang, first)
    _say(p, undo)
    assert p.transcript.text == ""
    assert _say(p, undo) == [Command(UNDO)]  # nothing left: it says so


def _render(lang: str, *said: str) -> str:
    p = DictationProcessor(lang)
    _say(p, *said)
    return p.transcript.text


def test_scratch_that_and_delete_last_word_are_undone_and_redone():
    p = DictationProcessor("en")
    _say(p, "No nodules.", "Mild effusion.", "Scratch that.")
    assert p.transcript.text == "No nodules."
    _say(p, "Undo.")
    assert p.transcript.text == "No nodules. Mild effusion."
    _say(p, "Delete last word.")
    assert p.transcript.text == "No nodules. Mild"
    _say(p, "Undo that.")
    assert p.transcript.text == "No nodules. Mild effusion."
    assert p.redo() == Command("redo", argument=UNDONE_TEXT)
    assert p.transcript.text == "No nodules. Mild"
    _say(p, "Undo.")
    _say(p, "Stable.")  # new dictation: the redo side goes
    assert p.redo() == Command("redo")
    assert p.transcript.text == "No nodules. Mild effusion. Stable."


def test_a_value_set_by_voice_is_a_step_the_app_undoes():
    p = DictationProcessor("en")
    p.commands.field_value = lambda heard: (
        Command("set_value", argument="worse", field="dynamics")
        if heard.startswith("Dynamics") else None)
    _say(p, "No nodules.", "Dynamics worse.")
    assert _say(p, "Undo that.") == [Command(UNDO, argument=UNDONE_VALUE, field="dynamics")]
    assert p.transcript.text == "No nodules."  # the text is not touched
    assert _say(p, "Undo that.") == [Command(UNDO, argument=UNDONE_TEXT)]
    assert p.transcript.text == ""


def test_undo_is_not_taken_from_near_words_nor_from_dictation():
    p = DictationProcessor("en")
    _say(p, "No nodules.")
    for said in ("Undone.", "Undo the dressing.", "Undoubtedly benign."):
        assert [c.name for c in _say(p, said)] != [UNDO]
    assert "Undoubtedly benign" in p.transcript.text


class _Script(Recognizer):
    """Finals given by the test: each block of audio ends the next one."""

    def __init__(self, finals: list[Result]) -> None:
        self.finals = finals

    def accept(self, pcm: bytes) -> list[Result]:
        return [self.finals.pop(0)] if self.finals else []

    def finish(self) -> Result | None:
        return None


def test_a_revised_tentative_final_is_one_step_and_the_session_undoes_in_order():
    finals = [Result("No effusion", True, tentative=True),
              Result("No effusion on the left.", True, revises=True)]
    events: list = []
    done = threading.Event()

    def on_event(event) -> None:
        events.append(event)
        if event.kind == "final" and event.commands:
            done.set()

    session = DictationSession(_Script(finals), DictationProcessor("en"), on_event)
    session.start_recogniser()
    try:
        session.queue.put(b"\x00\x00" * 160)
        session.queue.put(b"\x00\x00" * 160)
        session.undo()  # Ctrl+Z: after both finals, as they were heard
        assert done.wait(5)
    finally:
        session.stop()
    shown = [e for e in events if e.kind == "final"]
    assert [e.text for e in shown] == ["No effusion", "No effusion on the left.", ""]
    assert shown[-1].commands == (Command(UNDO, argument=UNDONE_TEXT),)  # one step back
