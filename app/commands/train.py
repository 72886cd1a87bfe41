"""``luch train --site``: fine-tune the active model on this station's corrected studies."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HOLDOUT_EVERY = 4  # every fourth correction (by number) is held apart for the gate
HOLDOUT_SETTING = "inference.site_holdout"  # a folder of studies with truth (evaluate layouts)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train", help="fine-tune the AI model on this station's corrected studies",
        description="Fine-tune the active model on the readers' corrections (--site), then "
                    "read the held-apart studies with both and activate the candidate only if "
                    "it is not worse. Every fourth correction is held apart, with the folders "
                    "given by --holdout or the setting inference.site_holdout. Ctrl+C stops "
                    "without writing anything.")
    parser.add_argument("--site", action="store_true", required=True,
                        help="train on this station's corrections (the only mode)")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    parser.add_argument("--budget-steps", type=int, default=None, metavar="N",
                        help="training steps (default: the recipe's)")
    parser.add_argument("--holdout", type=Path, action="append", default=[], metavar="DIR",
                        help="a folder of held-apart studies with truth (repeatable)")
    parser.add_argument("--no-activate", action="store_true",
                        help="evaluate and record the gate, but do not activate")
    parser.add_argument("--json", dest="json_out", type=Path, metavar="OUT",
                        help="write the candidate's sidecar as JSON")
    parser.set_defaults(run=run)


def _progress():
    def show(fraction: float) -> None:
        if sys.stderr.isatty():
            print(f"\rtraining {100 * fraction:5.1f} %", end="", file=sys.stderr, flush=True)

    return show


def _log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def split(corrections) -> tuple[list, list]:
    """(training, held-apart) corrections."""
    held = [c for c in corrections if c.id % HOLDOUT_EVERY == 0]
    return [c for c in corrections if c.id % HOLDOUT_EVERY != 0], held


def _moved(correction):
    """The correction with its CT's path as the image cache names it now (a path recorded
    before the cache named its files by hashed UIDs)."""
    from archive.cache import ImageCache  # deferred: `luch --help` does not load it

    if correction.source_path:  # a detached row: changed here only, not in the records
        correction.source_path = str(ImageCache().current_path(correction.source_path))
    return correction


def run(args: argparse.Namespace) -> int:
    # deferred: `luch --help` and the other commands do not load it
    from core.settings import Settings
    from inference.eval_sets import correction_ref, find_studies
    from inference.registry import ModelRegistry
    from inference.site_training import (
        SiteSample,
        fine_tune,
        gate_and_activate,
        require_holdout,
    )
    from records import open_store

    store = open_store()
    try:
        train_set, held = split([_moved(c) for c in store.ai_corrections(latest_only=True)])
    finally:
        store.close()
    holdout = [correction_ref(f"correction-{c.id}", c.source_path, c.labels_file) for c in held]
    folders = list(args.holdout)
    if not folders and Settings().get(HOLDOUT_SETTING):
        folders.append(Path(Settings().get(HOLDOUT_SETTING)))
    for folder in folders:
        holdout += find_studies(folder)
    if not args.no_activate:
        require_holdout(holdout)
    samples = [SiteSample(c.uid, c.source_path, c.labels_file) for c in train_set]
    registry = ModelRegistry()
    try:
        candidate = fine_tune(samples, registry, args.budget_steps, args.device,
                              progress=_progress(), log=_log)
    except KeyboardInterrupt:
        _log("\ntraining stopped: nothing was written")
        return 130
    _log(f"\ncandidate {candidate.version} written; judging it on {len(holdout)} "
         "held-apart studies")
    if holdout:
        decision = gate_and_activate(candidate, holdout, registry, args.device,
                                     activate=not args.no_activate, log=_log)
        verdict = "passed" if decision.passed else "failed: " + "; ".join(decision.reasons)
        print(f"candidate {candidate.version}: gate {verdict}")
    print(f"active model: {registry.active().version}")
    if args.json_out:
        # deferred: `luch --help` and the other commands do not load it
        from core.files import write_json_atomic

        write_json_atomic(args.json_out, registry.get(candidate.version).sidecar)
    return 0
