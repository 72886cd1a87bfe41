"""AI values -> protocol fields."""

from app.reading.prefill import protocol_values

AI = {"grade": "CT-2", "involvement_percent": {"right": 30.0, "left": 12.3, "total": 21.0},
      "volumes_ml": {"ggo": 300.0, "consolidation": 0.0},
      "probability": "high",
      "pattern_features": {"bilateral": True, "peripheral_share": 0.8, "lower_zone_share": 0.7}}


def test_a_graded_result_fills_grade_involvement_and_pattern():
    values = protocol_values(AI)
    assert values == {
        "grade": "CT-2", "involvement_right_percent": 30.0, "involvement_left_percent": 12.3,
        "distribution_side": "bilateral", "distribution_pattern": ["peripheral"],
        "lower_lobe": True, "main_signs": ["ggo_irregular"], "covid_probability": "high"}


def test_not_assessable_fills_nothing():
    assert protocol_values({**AI, "grade": "not-assessable"}) == {}


def test_clear_lungs_say_no_signs():
    clear = {**AI, "grade": "CT-0", "involvement_percent": {"right": 0, "left": 0, "total": 0}}
    assert protocol_values(clear)["covid_probability"] == "none"
    assert "distribution_side" not in protocol_values(clear)


def test_atypical_pattern_is_low_probability_and_unilateral():
    one_side = {**AI, "probability": "atypical",
                "involvement_percent": {"right": 5.0, "left": 0.0, "total": 2.5}}
    values = protocol_values(one_side)
    assert values["covid_probability"] == "low"
    assert values["distribution_side"] == "unilateral"


def test_dynamics_against_a_prior():
    worse = {**AI, "dynamics": {"involvement_change_pp": {"total": 12.0}}}
    assert protocol_values(worse)["dynamics"] == "progression"
    same = {**AI, "dynamics": {"involvement_change_pp": {"total": 0.2}}}
    assert protocol_values(same)["dynamics"] == "stable"
