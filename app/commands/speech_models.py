"""``luch speech-models``: the Whisper models at hand, installing a bigger one, and which one
this station should use."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "speech-models",
        help="list, install or recommend Whisper speech models",
        description="Whisper models (CTranslate2 form) for dictation: the shipped ones "
        "(tiny.en, base), installed ones, and what a station should install. Models come "
        "from local folders or zips only, never from the network.",
    )
    sub = p.add_subparsers(dest="action", required=True)
    sub.add_parser("list", help="the models at hand and the one each language uses")
    inst = sub.add_parser("install", help="install a model from a local folder or zip")
    inst.add_argument("source", help="a CTranslate2 Whisper model folder or zip")
    inst.add_argument("--name", default=None, help="its name (default: from the file name)")
    inst.add_argument(
        "--use-for",
        default=None,
        metavar="LANGS",
        help="make it the model of these languages, e.g. en,ru",
    )
    sub.add_parser("recommend", help="the model this station should install")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # deferred: `luch --help` and the other commands do not load it
    from core.settings import Settings
    from dictation import whisper_models as wm
    from dictation.engines.whisper_engine import cuda_available

    if args.action == "recommend":
        gpu = cuda_available()
        name = wm.recommended_model(gpu)
        where = "a CUDA GPU (float16)" if gpu else "no CUDA GPU (int8 on the CPU)"
        print(f"{name}: this station has {where}; GPU stations: {wm.GPU_MODEL}, "
              f"CPU stations: {wm.CPU_MODEL} (convert with ct2-transformers-converter, then "
              "luch speech-models install FOLDER --use-for en,ru)")
        return 0
    manager = wm.WhisperModelManager()
    if args.action == "install":
        info = manager.install(args.source, args.name)
        print(f"installed {info.name} ({'multilingual' if info.multilingual else 'English'}) "
              f"in {info.path}")
        for lang in filter(None, (args.use_for or "").split(",")):
            if lang != "en" and not info.multilingual:
                print(f"not used for {lang}: the model is English-only")
                continue
            Settings().set(f"{wm.MODEL_SETTING}.{lang}", info.name)
            print(f"dictation in {lang} now uses {info.name}")
        return 0
    shipped = wm.shipped_english()
    print(f"shipped: tiny.en ({shipped or 'not installed'}), base (multilingual, "
          f"{'parts installed' if wm.base_parts() else 'not installed'})")
    for info in manager.installed().values():
        kind = "multilingual" if info.multilingual else "English"
        print(f"installed: {info.name} ({kind}) in {info.path}")
    for lang in ("en", "ru"):
        chosen = Settings().get(f"{wm.MODEL_SETTING}.{lang}") or (
            wm.SHIPPED_EN if lang == "en" and shipped else wm.SHIPPED_BASE
        )
        print(f"{lang}: {chosen}")
    return 0
