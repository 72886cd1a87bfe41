"""A domain prompt for Whisper: the terms of the protocol templates and the user dictionary,
led (:data:`SENTENCES_IN_PROMPT`) by the report templates' standard sentences.

Terms, not free sentences: a prompt of sentences is echoed back on short or unclear speech far
more readily. :func:`echoes_prompt` tells text that merely repeats the prompt; a standard
sentence said alone is dictation, as one term is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import yaml

from core.paths import RESOURCES

PROTOCOLS = RESOURCES / "protocols"
TEMPLATES = PROTOCOLS / "templates"
# Languages whose prompt leads with the report templates' standard sentences (their
# conclusions and recommendations, :func:`template_sentences`): a prompt of the report's own
# sentences, negations among them («...не выявлено.»), keeps Whisper writing the «не» it
# otherwise drops. Measured in benchmarks/dictation_negation.py (h18-neg).
SENTENCES_IN_PROMPT: frozenset[str] = frozenset()
# Languages whose prompt leads with the first spoken alias of each option in fields with
# opposite pairs («отрицательная динамика», «без динамики»...). Measured on held-out sets
# (benchmarks/dictation_alias_prompt.py): Russian real voices 44 -> 39 errors of 127;
# English held-out radiology 339 -> 341 of 831 and the live real-voice test's digits split,
# so English keeps its prompt (the aliases still pick their option when said).
ALIASES_IN_PROMPT = frozenset({"ru"})
MAX_PROMPT_CHARS = 360  # Whisper keeps at most 223 prompt tokens; Cyrillic costs ~2 chars each
_QUOTES = str.maketrans("", "", "«»\"“”")
_WORD = re.compile(r"[\w%-]+", re.UNICODE)
_PARTS = re.compile(r"[,.;:]")  # what separates the prompt's terms and sentences


def _text(node, lang: str) -> str | None:
    if isinstance(node, dict) and isinstance(node.get(lang), str):
        text = " ".join(node[lang].translate(_QUOTES).split())
        if 0 < len(text.split()) <= 4 and not set(text) & set("(%:"):  # a term, not a sentence
            return text
    return None


def _term_parts(lang: str, paths: Sequence[Path] | None) -> tuple[list[str], list[str]]:
    """The protocols' spoken aliases and option texts (findings), and their field labels."""
    paths = paths if paths is not None else sorted(PROTOCOLS.glob("*.yaml"))
    aliases: list[str | None] = []
    options: list[str | None] = []
    labels: list[str | None] = []
    for path in paths:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        for field in data.get("fields") or []:
            for option in (field.get("options") or {}).values():
                options.append(_text(option, lang))
            if field.get("opposites") and lang in ALIASES_IN_PROMPT:  # each first alias
                for key, said in (field.get("say") or {}).items():
                    said = (said or {}).get(lang) or []
                    own = str(((field.get("options") or {}).get(key) or {}).get(lang, ""))
                    if said and said[0].lower() not in own.lower():
                        aliases.append(_text({lang: said[0]}, lang))
            labels.append(_text(field.get("label"), lang))
    return [t for t in aliases + options if t], [t for t in labels if t]


def protocol_terms(lang: str, paths: Sequence[Path] | None = None) -> list[str]:
    """The protocols' option aliases (:data:`ALIASES_IN_PROMPT`) in fields with options of
    opposite meaning that sound alike («отрицательная динамика», «без динамики»; ``say`` in
    the protocol, records.spoken), their option texts (findings), then their field labels;
    not their sentences."""
    found, labels = _term_parts(lang, paths)
    return found + labels


def domain_terms(lang: str, dictionary=None, paths: Sequence[Path] | None = None) -> list[str]:
    """The prompt's terms: the protocols' aliases and findings, the user dictionary's written
    forms and words (of more than two letters), the protocols' field labels; each once."""
    found, labels = _term_parts(lang, paths)
    extra: list[str] = []
    if dictionary is not None:
        extra += list((dictionary.substitutions.get(lang) or {}).values())
        extra += list(dictionary.words.get(lang) or {})
    terms = found + [t for t in extra if len(t) > 2] + labels
    seen: set[str] = set()
    out = []
    for term in terms:
        key = term.lower().strip()
        if key and key not in seen:
            seen.add(key)
            out.append(term.strip())
    return out


def template_sentences(lang: str, paths: Sequence[Path] | None = None) -> list[str]:
    """The report templates' sentences in ``lang`` (their text values: conclusions,
    recommendations), in the files' order, each once, each ending with a full stop."""
    paths = paths if paths is not None else sorted(TEMPLATES.glob("*.yaml"))
    out: list[str] = []
    for path in paths:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        for template in (data.get("templates") or {}).values():
            for value in ((template or {}).get("fields") or {}).values():
                text = value.get(lang) if isinstance(value, dict) else None
                if isinstance(text, str) and len(text.split()) > 2:
                    text = " ".join(text.split()).rstrip(".") + "."
                    if text not in out:
                        out.append(text)
    return out


def prompt_sentences(lang: str) -> list[str]:
    """The sentences that lead ``lang``'s prompt: the templates' (:data:`SENTENCES_IN_PROMPT`)."""
    return template_sentences(lang) if lang in SENTENCES_IN_PROMPT else []


def build_prompt(terms: Sequence[str], limit: int = MAX_PROMPT_CHARS) -> str:
    """Comma-separated terms, as many as fit in ``limit`` characters; an item that ends with
    a full stop (a sentence) is followed by a space, not a comma."""
    prompt = ""
    for term in terms:
        more = term if not prompt else (
            f"{prompt} {term}" if prompt.endswith(".") else f"{prompt}, {term}")
        if len(more) > limit:
            break
        prompt = more
    if not prompt or prompt.endswith("."):
        return prompt
    return prompt + "."  # ends a sentence: what follows starts one


def _words(text: str) -> list[str]:
    return [w.lower().replace("ё", "е") for w in _WORD.findall(text)]


def echoes_prompt(text: str, prompt: str, min_words: int = 2) -> bool:
    """Whether ``text`` only repeats the prompt: its words, in order, run through at least
    two of the prompt's terms or sentences (or it is a whole term list of ``min_words`` or
    more). One term ("consolidation") or one standard sentence said alone is dictation, not
    an echo."""
    words = _words(text)
    if not words or not prompt:
        return False
    terms = [_words(t) for t in _PARTS.split(prompt)]
    flat = [w for t in terms for w in t]
    term_of = [i for i, t in enumerate(terms) for _ in t]
    n = len(words)
    for start in range(len(flat) - n + 1):
        if flat[start : start + n] == words:
            spanned = len(set(term_of[start : start + n]))
            return spanned >= 2 and n >= min_words
    return False
