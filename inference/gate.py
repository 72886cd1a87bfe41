"""The gate a site candidate must pass to become active: not worse than the active model.

Both versions are read by :func:`inference.evaluate.evaluate` on the same held-apart
studies. "Not worse" means every one of these, where both have the figure:

- grade accuracy not lower;
- mean lesion Dice at most ``DICE_SLACK`` lower, mean lung Dice at most ``DICE_SLACK``
  lower;
- mean absolute involvement error at most ``INVOLVEMENT_SLACK_PP`` higher;
- mean false lesion on CT-0 studies at most ``FALSE_SLACK_PERCENT`` higher.

The slacks absorb run-to-run noise of a few voxels, not real losses.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

DICE_SLACK = 0.005
INVOLVEMENT_SLACK_PP = 0.25
FALSE_SLACK_PERCENT = 0.02


@dataclass
class GateDecision:
    passed: bool
    reasons: list[str] = field(default_factory=list)
    candidate: dict = field(default_factory=dict)
    active: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def decide(candidate: dict, active: dict) -> GateDecision:
    """Compare two ``EvalReport.summary`` dicts; ``reasons`` name every failed rule."""
    reasons = []

    def both(a, b):
        return a is not None and b is not None

    c, a = candidate, active
    if both(c["grade_accuracy"], a["grade_accuracy"]) and c["grade_accuracy"] < a[
            "grade_accuracy"]:
        reasons.append(f"grade accuracy {c['grade_accuracy']} < {a['grade_accuracy']}")
    for key in ("lesion", "lung"):
        cd, ad = c["dice"][key], a["dice"][key]
        if both(cd, ad) and cd < ad - DICE_SLACK:
            reasons.append(f"{key} Dice {cd} < {ad}")
    ci, ai = c["involvement_mae_pp"], a["involvement_mae_pp"]
    if both(ci, ai) and ci > ai + INVOLVEMENT_SLACK_PP:
        reasons.append(f"involvement error {ci} pp > {ai} pp")
    cf, af = c["false_lesion_percent_mean"], a["false_lesion_percent_mean"]
    if both(cf, af) and cf > af + FALSE_SLACK_PERCENT:
        reasons.append(f"false lesion on CT-0 {cf} % > {af} %")
    if not c.get("studies"):
        reasons.append("no held-apart studies")
    return GateDecision(not reasons, reasons, candidate, active)
