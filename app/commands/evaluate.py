"""``luch evaluate PATH``: measure a model version on a folder of studies with truth masks."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="measure an AI model version on studies with truth masks (Dice, involvement, "
             "grades, false lesion)",
        description="Read every study of PATH with a model version and compare with its truth. "
                    "Layouts: MosMedData (studies/CT-k/study_NNNN.nii.gz with "
                    "masks/study_NNNN_mask.nii.gz) or DICOM series each with a SEG.")
    parser.add_argument("path", type=Path, help="folder of studies with truth")
    parser.add_argument("--model", metavar="V", help="model version (default: the active one; "
                        "'luch model list' shows them)")
    parser.add_argument("--engine", choices=("unet", "classical"), default="unet")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    parser.add_argument("--json", dest="json_out", type=Path, metavar="OUT",
                        help="write the scores as JSON ('-' for stdout)")
    parser.add_argument("--png", type=Path, metavar="DIR",
                        help="write the grade confusion matrix and involvement scatter as PNG")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # deferred: `luch --help` and the other commands do not load it
    from inference.evaluate import evaluate, table
    from inference.registry import ModelRegistry

    weights = None
    if args.engine == "unet":
        registry = ModelRegistry()
        weights = (registry.get(args.model) if args.model else registry.active()).weights

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    report = evaluate(args.path, weights, args.device, args.engine, log=log)
    data = report.to_json()
    if args.json_out and str(args.json_out) == "-":
        print(json.dumps(data, indent=2))
    else:
        if args.json_out:
            # deferred: `luch --help` and the other commands do not load it
            from core.files import write_json_atomic

            write_json_atomic(args.json_out, data)
        print(table(report))
    if args.png:
        # deferred: `luch --help` and the other commands do not load it
        from inference.eval_plots import write_plots

        for path in write_plots(report, args.png):
            print(f"plot: {path}", file=sys.stderr)
    return 0
