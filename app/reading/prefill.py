"""AI pre-read values -> protocol field values (what "accept AI values" fills in)."""

from __future__ import annotations

from typing import Any

# The model's suggested probability pattern -> the protocol's options. "atypical" means the
# distribution does not look like COVID-19: the probability is low and the reader should
# look for atypical signs.
PROBABILITY = {"high": "high", "medium": "medium", "low": "low", "atypical": "low"}
DYNAMICS = {"increase": "progression", "decrease": "regression", "same": "stable"}
PERIPHERAL_SHARE = 0.5
LOWER_ZONE_SHARE = 0.5


def protocol_values(ai: dict[str, Any]) -> dict[str, Any]:
    """Field values for the Moscow chest-CT protocol from ``PreReadResult.to_json()``."""
    grade = ai.get("grade", "")
    if not grade.startswith("CT-"):
        return {}  # not assessable: nothing to pre-fill, the reader decides
    involvement = ai.get("involvement_percent", {})
    right, left = float(involvement.get("right", 0)), float(involvement.get("left", 0))
    values: dict[str, Any] = {
        "grade": grade,
        "involvement_right_percent": round(right, 1),
        "involvement_left_percent": round(left, 1),
    }
    if right > 0 or left > 0:
        values["distribution_side"] = "bilateral" if right > 0 and left > 0 else "unilateral"
        features = ai.get("pattern_features", {})
        if features.get("peripheral_share", 0) >= PERIPHERAL_SHARE:
            values["distribution_pattern"] = ["peripheral"]
        if features.get("lower_zone_share", 0) >= LOWER_ZONE_SHARE:
            values["lower_lobe"] = True
        volumes = ai.get("volumes_ml", {})
        signs = []
        if volumes.get("ggo", 0) > 0:
            signs.append("ggo_irregular")
        if volumes.get("consolidation", 0) > 0:
            signs.append("consolidation")
        if signs:
            values["main_signs"] = signs
        values["covid_probability"] = PROBABILITY.get(ai.get("probability", ""), "low")
    else:
        values["covid_probability"] = "none"
    dynamics = ai.get("dynamics") or {}
    change = dynamics.get("involvement_change_pp") or {}
    if change:
        total = float(change.get("total", 0))
        values["dynamics"] = "progression" if total > 0.5 else \
            "regression" if total < -0.5 else "stable"
    return values
