"""The report templates' standard sentences in the Whisper prompt (h18-neg): what they are,
how the prompt joins them, and that the echo guard still tells an echo of the longer prompt
from a standard sentence said alone."""

from __future__ import annotations

from dictation import prompt as prompt_mod
from dictation.options import prompt_terms
from dictation.prompt import build_prompt, echoes_prompt, template_sentences


def test_the_templates_give_their_conclusions_as_sentences():
    ru, en = template_sentences("ru"), template_sentences("en")
    assert ru[0] == "КТ-признаков вирусной пневмонии не выявлено."  # the normal template's
    assert en[0] == "No CT signs of viral pneumonia."
    assert len(ru) == len(en) >= 2
    assert all(s.endswith(".") and len(s.split()) > 2 for s in ru + en)
    assert len(set(ru)) == len(ru)


def test_sentences_are_joined_by_a_space_and_terms_by_commas():
    prompt = build_prompt(["Лимфатические узлы не увеличены.", "консолидация", "выпот"])
    assert prompt == "Лимфатические узлы не увеличены. консолидация, выпот."
    assert build_prompt(["Одно предложение."]) == "Одно предложение."


def test_a_standard_sentence_said_alone_is_dictation_an_echo_is_not():
    sentences = template_sentences("ru")
    prompt = build_prompt([*sentences, "консолидация", "плевральный выпот", "лимфаденопатия"])
    assert not echoes_prompt("КТ-признаков вирусной пневмонии не выявлено.", prompt)
    assert not echoes_prompt("консолидация", prompt)
    assert echoes_prompt(prompt, prompt)  # the longer prompt echoed whole
    assert echoes_prompt(" ".join(sentences[:2]), prompt)  # two sentences run together
    assert echoes_prompt("не выявлено. КТ-картина вирусной пневмонии", prompt)
    assert echoes_prompt(f"{sentences[-1]} консолидация", prompt)  # a sentence into a term
    assert echoes_prompt("консолидация, плевральный выпот", prompt)


def test_the_prompt_leads_with_the_sentences_only_where_they_ship(monkeypatch):
    for lang in ("ru", "en"):
        terms = prompt_terms(lang)
        led = terms[: len(template_sentences(lang))] == template_sentences(lang)
        assert led == (lang in prompt_mod.SENTENCES_IN_PROMPT), lang
    monkeypatch.setattr(prompt_mod, "SENTENCES_IN_PROMPT", frozenset({"en"}))
    assert prompt_terms("en")[0] == "No CT signs of viral pneumonia."
    assert prompt_terms("ru")[0] != template_sentences("ru")[0]
