"""The solitary-lesion cap and one confluent lesion (issue 17, h16; post-processing 11).

    .venv/bin/python benchmarks/solitary_confluent.py [--labels /tmp/ai-h15/labels2]
        [--cache /tmp/ai-h15/cache] [--json OUT]

The COVID-19 pattern caps a solitary lesion at "low" (a nodule, a mass, one patch). One
confluent lesion filling a lung (a unilateral CT-4) is one lesion too and read "low".
Post 11 caps only a solitary lesion under :data:`inference.measures.SOLITARY_MAX_PERCENT`
of both lungs (set before this run); over it the distribution decides, at most "medium".
Per cached case (the labels kept by ``basal_bands.py report --labels``, and the simulated
truth), the pattern before (no such limit) and after.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.border_cache import labelled_cases  # noqa: E402
from inference import measures  # noqa: E402
from inference.geometry import Orientation  # noqa: E402

GROUPS = ("clean", "bases", "sim", "basal")


def patterns(labels: np.ndarray, spacing, orient: Orientation) -> tuple[str, str, str]:
    """(grade, pattern before, pattern after) of a label map."""
    m = measures.measure(labels, spacing, orient)
    limit = measures.SOLITARY_MAX_PERCENT
    measures.SOLITARY_MAX_PERCENT = float("inf")
    try:
        before = (m.probability if m.grade == measures.NOT_ASSESSABLE
                  else measures.covid_probability(m.features, m.grade != "CT-0"))
    finally:
        measures.SOLITARY_MAX_PERCENT = limit
    return m.grade, before, m.probability


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--labels", type=Path, default=Path("/tmp/ai-h15/labels2"))
    parser.add_argument("--cache", type=Path, default=Path("/tmp/ai-h15/cache"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    res = {}
    for group, case, labels in labelled_cases(args.cache, args.labels, GROUPS):
        spacing, orient = case.volume.spacing, Orientation.of(case.volume)
        row = {"group": group, "pred": patterns(labels, spacing, orient)}
        if case.truth is not None:
            row["truth"] = patterns(case.truth, spacing, orient)
        res[case.key] = row
        print(case.key, json.dumps(row), flush=True)
    changed = {k: v for k, v in res.items()
               if v["pred"][1] != v["pred"][2] or ("truth" in v and v["truth"][1] != v["truth"][2])}
    agree = [sum(v["pred"][i] == v["truth"][i] for v in res.values() if "truth" in v)
             for i in (1, 2)]
    print("changed:", json.dumps(changed))
    print(f"predicted pattern = truth's: before {agree[0]}, after {agree[1]} of "
          f"{sum('truth' in v for v in res.values())}")
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
