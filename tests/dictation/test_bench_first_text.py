"""The dictation benchmark's "first text": what is on screen at the first change after the
end of speech, whose WER it reports beside the final's."""

from __future__ import annotations

from benchmarks.dictation import Shown
from dictation.results import Result


def _final(text: str, tentative: bool = False, revises: bool = False) -> Result:
    return Result(text=text, final=True, tentative=tentative, revises=revises)


def test_the_first_text_after_the_speech_is_the_fast_text_not_the_final():
    shown = Shown("en")
    shown.take(_final("no pleural fusion", tentative=True), 1.2)
    shown.take(_final("No pleural effusion.", tentative=True, revises=True), 1.5)
    shown.take(_final("No pleural effusion.", revises=True), 1.8)
    assert shown.first_text(1.0) == "no pleural fusion"
    assert shown.first_text(1.3) == "No pleural effusion."
    assert " ".join(r.text for r in shown.finals) == "No pleural effusion."
    assert shown.first_text(2.0) is None


def test_the_first_text_holds_what_was_shown_before_it():
    shown = Shown("en")
    shown.take(_final("The heart is normal."), 0.5)
    shown.take(_final("no effusion", tentative=True), 2.1)
    assert shown.first_text(2.0) == "The heart is normal. no effusion"
