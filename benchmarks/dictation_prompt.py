"""Why the Russian domain prompt hurts on real voices, and which prompt ships: a study on data
that is not ru-voxforge.

    .venv/bin/python benchmarks/dictation_prompt.py [--subset N] [--beam 5,8] [--heldout]

Tuning sets (fixed here before any figure was seen):

* the 42 Russian radiology phrases of ``benchmarks/dictation.py`` (``RADIOLOGY``): the domain,
  where a prompt should help;
* :data:`GENERAL_RU`: 20 general Russian sentences (fiction and everyday prose, the register of
  ru-voxforge, written for this study, none of its text), where a prompt can only hurt;

each said by Festival's Russian voice, as is and changed by sox (tempo 0.9 with pitch +150
cents). Each utterance is encoded once; every prompt variant is decoded on the same encoder
output with the engine's own decode and guards (``WhisperRecognizer._decode``). WER on
normalised words (``benchmarks.dictation.norm_words``).

Rule fixed before the run: the variant with the lowest WER on the general set whose WER on the
radiology set is no worse than the current prompt's + 0.02 ships; ties go to the shorter
prompt. ``--heldout`` then measures ru-voxforge once with the current and the chosen prompt.

The prompt length limit (``whisper_engine.PROMPT_MAX``), decided on a **new set** (h11-dict,
written down here before any figure on it): :data:`LONG_PROSE_RU` and :data:`LONG_RADIOLOGY_RU`,
12 long sentences each (general prose like ru-voxforge's reading, none of its text; long
report sentences), Festival's voice as is and changed by sox in a way not used before (tempo
1.08, pitch -120 cents): ``--sets "long prose,long radiology" --streaming --prompt-max 6.0
--only current``. Rule: the 6.0 s limit ships for Russian if, streamed as the app streams,
the long-prose WER falls by >= 0.02 with it and the long-radiology WER rises by no more than
0.01 (the station dictates reports; prose stands in for how real voices read); else not.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("LUCH_HOME", tempfile.mkdtemp(prefix="luch-bench-"))

from benchmarks.dictation import RADIOLOGY, _real, norm_words, sox_variant
from dictation.engines import create_recognizer
from dictation.options import build_options
from dictation.synth import FESTIVAL_RU, synthesize_many
from dictation.wer import edit_distance
from dictation.whisper_models import join_base

GENERAL_RU = [
    "утром над рекой поднялся густой туман и скрыл дальний берег",
    "старик долго смотрел на дорогу и наконец медленно пошёл к дому",
    "в комнате пахло свежим хлебом и горячим чаем",
    "поезд опоздал на сорок минут и мы едва успели на пересадку",
    "она открыла окно и впустила в комнату холодный осенний воздух",
    "на площади перед вокзалом стояли такси и несколько автобусов",
    "мальчик нашёл в саду старую ржавую лопату",
    "вечером мы долго говорили о книгах и о путешествиях",
    "капитан приказал поднять паруса и взять курс на север",
    "в библиотеке было тихо только часы негромко тикали на стене",
    "дождь шёл весь день и улицы превратились в реки",
    "он достал из кармана письмо и протянул его сестре",
    "зимой в деревне рано темнеет и огни зажигаются уже в четыре часа",
    "учёные давно спорят о том есть ли жизнь на других планетах",
    "собака весело бежала впереди и иногда оглядывалась на хозяина",
    "на столе лежала карта города с отмеченными красным карандашом улицами",
    "мы купили на рынке яблоки груши и немного винограда",
    "самолёт набрал высоту и под крылом поплыли белые облака",
    "в этом году весна пришла рано и снег растаял уже в марте",
    "она улыбнулась и сказала что давно ждала этого письма",
]

# Written for the prompt-length decision (h11-dict), before any figure on them: long sentences
# (12-17 words), so that a whole one is more than the limit's 6 s.
LONG_PROSE_RU = [
    "когда мы вышли из леса солнце уже садилось и над полем медленно поднимался вечерний туман",
    "в маленьком городке на берегу озера жил старый часовщик который знал по имени всех соседей",
    "всю ночь ветер гнал по небу тяжёлые тучи а к утру выпал первый снег и стало тихо",
    "мой дед рассказывал что в молодости пешком прошёл половину страны в поисках работы и счастья",
    "после долгого путешествия они вернулись домой и увидели что в саду расцвели все яблони",
    "на перроне толпились люди с чемоданами а проводник громко объявлял об отправлении поезда",
    "девочка сидела у окна и рисовала в тетради корабль с белыми парусами и синим флагом",
    "в старой усадьбе сохранилась огромная библиотека где книги стояли на полках до самого потолка",
    "рыбаки вышли в море ещё до рассвета и вернулись только к обеду с полными сетями",
    "каждое воскресенье бабушка пекла пироги с капустой и звала к столу всех детей нашей улицы",
    "молодой врач впервые приехал в деревню и сразу понял что работы здесь хватит надолго",
    "за рекой начинались бескрайние поля пшеницы которые летом казались золотым морем под солнцем",
]
LONG_RADIOLOGY_RU = [
    "в нижних долях обоих легких определяются участки уплотнения по типу матового стекла "
    "преимущественно субплеврально",
    "в верхней доле правого легкого определяется солидный очаг размером восемь миллиметров с "
    "четкими ровными контурами",
    "внутригрудные лимфатические узлы не увеличены трахея и главные бронхи проходимы",
    "по сравнению с предыдущим исследованием отмечается положительная динамика в виде "
    "уменьшения участков уплотнения",
    "объем поражения правого легкого составляет около тридцати процентов левого около двадцати "
    "процентов",
    "в базальных отделах левого легкого определяется линейный ателектаз и небольшой плевральный "
    "выпот",
    "сердце обычной формы и размеров аорта не расширена в полости перикарда жидкость не "
    "определяется",
    "картина наиболее характерна для вирусной пневмонии высокая вероятность ковид девятнадцать",
    "в средней доле правого легкого определяется участок консолидации с воздушной "
    "бронхограммой размером до трех сантиметров",
    "костно деструктивных изменений не выявлено отмечаются дегенеративные изменения грудного "
    "отдела позвоночника",
    "рекомендуется контрольное исследование через три месяца для оценки динамики выявленных "
    "изменений",
    "стенки бронхов в нижних долях утолщены просветы бронхов умеренно расширены по типу "
    "цилиндрических бронхоэктазов",
]


def variants(terms: list[str]) -> dict[str, list[str]]:
    """Prompt variants of the app's terms (fitted to the engine's token limit as it fits its
    own): what each tests about the current prompt."""
    return {
        "current": terms,
        "none": [],
        "first half (11 terms)": terms[:11],
        "lower case": [t.lower() for t in terms],
        "findings only (16 terms)": terms[:16],
        "labels only": terms[22:],
        "short: 6 terms": terms[:6],
        "topic sentence": ["Компьютерная томография органов грудной клетки"],
    }


def decode_all(rec, items, prompts, beams) -> dict[tuple[str, int], tuple[int, int]]:
    """Errors and reference words per (variant, beam), each utterance encoded once."""
    out = {(name, b): [0, 0] for name in prompts for b in beams}
    for k, (speech, ref) in enumerate(items):
        audio = np.concatenate([np.zeros(6400, np.int16), speech, np.zeros(8000, np.int16)])
        audio = audio.astype(np.float32) / 32768.0
        rec.prompt = ""
        first = rec._decode(audio, beam=1)
        encoded = None if first is None else (first.encoder_output, first.frames)
        for name, prompt in prompts.items():
            for b in beams:
                rec.prompt = prompt
                d = None if encoded is None else rec._decode(audio, beam=b, encoded=encoded)
                hyp = d.text if d is not None else ""
                r, h = norm_words(ref, "ru"), norm_words(hyp, "ru")
                e = edit_distance(r, h)
                out[(name, b)][0] += e
                out[(name, b)][1] += len(r)
                if VERBOSE and e:
                    print(f"    [{name}, beam {b}] {ref!r} -> {hyp!r} ({e})", flush=True)
        if (k + 1) % 10 == 0:
            print(f"  {k + 1}/{len(items)} load {os.getloadavg()[0]:.1f}", flush=True)
    return {k: (v[0], v[1]) for k, v in out.items()}


VERBOSE = False


def decoded_lengths(opts, items) -> list[float]:
    """Per utterance, the longest audio (s) a full (beam) decode saw when ``items`` are
    streamed as the app streams them: what :data:`whisper_engine.PROMPT_MAX` is compared
    with."""
    from benchmarks.dictation import RATE
    from dictation.audio import BLOCK_SECONDS

    rec = create_recognizer("whisper", replace(
        opts, early_final_pause=build_options("ru").early_final_pause))
    seen: list[float] = []
    real = rec._decode

    def decode(audio, beam=None, **kw):
        if beam is None:
            seen.append(len(audio) / RATE)
        return real(audio, beam, **kw)

    rec._decode = decode
    chunk = round(RATE * BLOCK_SECONDS)
    out = []
    for speech, _ref in items:
        seen.clear()
        audio = np.concatenate([np.zeros(RATE // 2, np.int16), speech, np.zeros(RATE, np.int16)])
        for i in range(0, len(audio), chunk):
            rec.accept(audio[i : i + chunk].tobytes())
        rec.finish()
        out.append(max(seen, default=0.0))
    rec.close()
    return out


def streaming(opts, sets, terms, args) -> int:
    """Each set streamed as the app streams it (one recogniser per variant and set, early and
    fast finals as shipped), WER of the finals that stand. ``--prompt-max``: each variant
    also with the prompt only for utterances up to that many seconds (and none: every
    length), interleaved utterance by utterance."""
    from benchmarks.dictation import measure
    from dictation.engines import whisper_engine

    if args.prompt_max:
        limit = float(args.prompt_max)
        whisper_engine.PROMPT_MAX["ru"] = limit

        def every_length(rec):
            rec.prompt_max = None

        print("| prompt | " + " | ".join(
            f"{s}: up to {limit:g} s / every length" for s in sets) + " |")
        print("|---|" + "---|" * len(sets))
        for name, t in terms.items():
            if args.only and name not in args.only.split("|"):
                continue
            options = replace(opts, early_final_pause=build_options("ru").early_final_pause,
                              prompt_terms=tuple(t))
            cells = []
            for label, items in sets.items():
                now, before = measure(f"{name}: {label}", "whisper", options, items, "ru",
                                      "dictation", args.verbose, every_length)
                cells.append(" / ".join(
                    f"{r.stats.wer:.3f} ({r.stats.errors}/{r.stats.ref_words})"
                    for r in (now, before)))
            print(f"| {name} | " + " | ".join(cells) + f" | load {os.getloadavg()[0]:.1f}",
                  flush=True)
        return 0

    print("| prompt | " + " | ".join(f"{s}, streamed" for s in sets) + " |")
    print("|---|" + "---|" * len(sets))
    for name, t in terms.items():
        if args.only and name not in args.only.split("|"):
            continue
        options = replace(opts, early_final_pause=build_options("ru").early_final_pause,
                          prompt_terms=tuple(t))
        cells = []
        for label, items in sets.items():
            row = measure(f"{name}: {label}", "whisper", options, items, "ru", "dictation",
                          args.verbose)
            st = row.stats
            cells.append(f"{st.wer:.3f} ({st.errors}/{st.ref_words}), splits {st.splits}")
        print(f"| {name} | " + " | ".join(cells) + f" | load {os.getloadavg()[0]:.1f}",
              flush=True)
    return 0


def main() -> int:
    global VERBOSE
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subset", type=int, help="the first N phrases of each set")
    parser.add_argument("--beam", default="5", help="beam sizes, comma-separated")
    parser.add_argument("--only", help="variants, |-separated names")
    parser.add_argument("--no-sox", action="store_true", help="Festival as is only")
    parser.add_argument("--heldout", action="store_true", help="ru-voxforge instead (once)")
    parser.add_argument("--streaming", action="store_true",
                        help="as the app decodes: each set streamed through the recogniser "
                        "(benchmarks/dictation.py measure), per variant")
    parser.add_argument("--sets", default="radiology,general",
                        help="tuning sets to run (radiology, general, general pairs with a "
                        "pause, radiology pairs with a pause), comma-separated")
    parser.add_argument("--prompt-max", help="with --streaming: the prompt only for utterances "
                        "up to this many seconds, against every length")
    parser.add_argument("--lengths", action="store_true", help="the longest audio each "
                        "utterance's full decode sees, streamed (per set)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    VERBOSE = args.verbose
    beams = [int(b) for b in args.beam.split(",")]
    opts = replace(build_options("ru", model_dir=join_base()), early_final_pause=None,
                   commands=None)
    rec = create_recognizer("whisper", opts)
    prompts = {k: rec._fit_prompt(v) for k, v in variants(list(opts.prompt_terms)).items()}
    if args.only:
        prompts = {k: v for k, v in prompts.items() if k in args.only.split("|")}
    print(f"load average {os.getloadavg()[0]:.1f}", flush=True)
    n = args.subset
    wanted = [x.strip() for x in args.sets.split(",")]
    sets: dict[str, list] = {}
    if args.heldout:
        shared = Path(__file__).resolve().parents[2] / "shared" / "data" / "speech"
        sets = {"ru-voxforge (held out)": _real(shared / "ru-voxforge")}
    elif not set(wanted) <= {"long prose", "long radiology"}:
        rad = [ru for _en, ru in RADIOLOGY[:n]]
        gen = GENERAL_RU[:n]
        for name, texts in (("radiology", rad), ("general", gen)):
            speech = synthesize_many(texts, FESTIVAL_RU)
            items = list(zip(speech, texts, strict=True))
            if not args.no_sox:
                items += [(sox_variant(s), t) for s, t in zip(speech, texts, strict=True)]
            sets[name] = items
        # Long utterances read with pauses, as real voices read ru-voxforge's sentences: two
        # general sentences (as is) joined by 0.35 s of silence (longer than the tentative
        # final's pause, shorter than the endpointer's).
        gap = np.zeros(int(0.35 * 16_000), np.int16)
        plain = [s for s, _t in sets["general"][: len(gen)]]
        sets["general pairs with a pause"] = [
            (np.concatenate([plain[i], gap, plain[i + 1]]), f"{gen[i]} {gen[i + 1]}")
            for i in range(0, len(gen) - 1, 2)
        ]
        # ...and the same for radiology phrases: long domain dictation, where the prompt helps.
        said = [s for s, _t in sets["radiology"][: len(rad)]]
        sets["radiology pairs with a pause"] = [
            (np.concatenate([said[i], gap, said[i + 1]]), f"{rad[i]} {rad[i + 1]}")
            for i in range(0, len(rad) - 1, 2)
        ]
    if not args.heldout:
        for name, texts in (("long prose", LONG_PROSE_RU[:n]),
                            ("long radiology", LONG_RADIOLOGY_RU[:n])):
            if name not in wanted:
                continue
            speech = synthesize_many(texts, FESTIVAL_RU)
            sets[name] = [*zip(speech, texts, strict=True),
                          *((sox_variant(s, 1.08, -120), t)
                            for s, t in zip(speech, texts, strict=True))]
            secs = sorted(len(s) / 16_000 for s, _t in sets[name])
            print(f"{name}: {len(secs)} utterances, {secs[0]:.1f}-{secs[-1]:.1f} s of speech, "
                  f"median {np.median(secs):.1f}", flush=True)
    sets = {k: v for k, v in sets.items()
            if args.heldout or k in [x.strip() for x in args.sets.split(",")]}
    t0 = time.perf_counter()
    if args.lengths:
        for name, items in sets.items():
            got = decoded_lengths(opts, items)
            print(f"{name}: {len(got)} utterances, decoded s: median {np.median(got):.2f}, "
                  f"max {max(got):.2f}; " + " ".join(f"{x:.2f}" for x in sorted(got)))
        return 0
    if args.streaming:
        return streaming(opts, sets, variants(list(opts.prompt_terms)), args)
    results = {name: decode_all(rec, items, prompts, beams) for name, items in sets.items()}
    print(f"\n{time.perf_counter() - t0:.0f} s, load average at the end {os.getloadavg()[0]:.1f}")
    print("| prompt | beam | tokens | " + " | ".join(sets) + " |")
    print("|---|---|---|" + "---|" * len(sets))
    for name, prompt in prompts.items():
        tokens = len(rec.tokenizer.encode(" " + prompt)) if prompt else 0
        for b in beams:
            cells = [f"{results[s][(name, b)][0] / max(results[s][(name, b)][1], 1):.3f} "
                     f"({results[s][(name, b)][0]}/{results[s][(name, b)][1]})" for s in sets]
            print(f"| {name} | {b} | {tokens} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
