"""Change against a prior study: percentage points and % of lesion volume."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from inference.grading import NOT_ASSESSABLE
from inference.measures import Measures

FLAG_INCREASE_PERCENT = 50.0


@dataclass
class Dynamics:
    """Current minus prior; ``lesion_volume_change_percent`` is None when the prior had none."""

    involvement_change_pp: dict[str, float] | None
    lesion_volume_ml: dict[str, float]
    lesion_volume_change_percent: float | None
    grade_change: str
    flag_increase: bool
    comment: str

    def to_dict(self) -> dict:
        return asdict(self)


def compare(current: Measures, prior: Measures) -> Dynamics:
    """Dynamics of ``current`` against ``prior``; flags a lesion-volume increase of >= 50 %."""
    cur = current.volumes_ml["ggo"] + current.volumes_ml["consolidation"]
    pre = prior.volumes_ml["ggo"] + prior.volumes_ml["consolidation"]
    vols = {"current": round(cur, 1), "prior": round(pre, 1)}
    if NOT_ASSESSABLE in (current.grade, prior.grade):
        return Dynamics(None, vols, None, f"{prior.grade} -> {current.grade}", False,
                        "not comparable: one of the studies is not assessable")
    pp = {k: round(current.involvement_percent[k] - prior.involvement_percent[k], 1)
          for k in ("left", "right", "total")}
    if pre > 0:
        change = round(100.0 * (cur - pre) / pre, 1)
        flag = change >= FLAG_INCREASE_PERCENT
        comment = f"lesion volume {change:+.1f} %"
    else:
        change = None
        flag = cur > 0
        comment = "new lesions (none on the prior)" if cur > 0 else "no lesions on either"
    return Dynamics(pp, vols, change, f"{prior.grade} -> {current.grade}", flag, comment)
