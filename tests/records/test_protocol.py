"""Protocol templates: the Moscow COVID protocol as data, text in Russian and English."""

from __future__ import annotations

from pathlib import Path

import pytest

from records.errors import ProtocolError
from records.protocol import available_protocols, load_protocol, load_protocol_file

COVID = "moscow-chest-ct-covid"
FULL = {
    "distribution_side": "bilateral", "distribution_pattern": ["peripheral"],
    "lower_lobe": True, "main_signs": ["crazy_paving", "ggo_rounded"],
    "atypical_signs": ["cavitation"], "additional_findings": ["effusion"],
    "involvement_right_percent": 30, "involvement_left_percent": 22.5, "grade": "CT-2",
    "covid_probability": "high", "dynamics": "progression",
    "conclusion": "Viral pneumonia.", "recommendations": "Follow-up CT.",
}


def test_covid_protocol_has_the_fields_of_the_moscow_protocol() -> None:
    p = load_protocol(COVID)
    assert COVID in available_protocols()
    assert set(p.field("main_signs").options) == {
        "ggo_rounded", "ggo_irregular", "consolidation", "crazy_paving", "reversed_halo",
        "air_bronchogram"}
    assert set(p.field("atypical_signs").options) == {
        "lobar_infiltrate", "cavitation", "tree_in_bud", "miliary_nodules"}
    assert set(p.field("grade").options) == {f"CT-{i}" for i in range(5)}
    for key in ("distribution_side", "distribution_pattern", "lower_lobe", "additional_findings",
                "involvement_right_percent", "involvement_left_percent", "covid_probability",
                "dynamics", "conclusion", "recommendations"):
        p.field(key)


def test_report_text_in_russian_and_english() -> None:
    p = load_protocol(COVID)
    ru, en = p.render(FULL, "ru"), p.render(FULL, "en")
    assert ru.startswith("Изменения двусторонние, периферические, с преобладанием в нижних долях.")
    assert "КТ-2" in ru and "22,5%" in ru and "«булыжной мостовой»" in ru
    assert en.startswith("The changes are bilateral, peripheral, with lower-lobe predominance.")
    # Options come out in protocol order, not dictation order.
    assert "rounded ground-glass opacities, crazy paving" in en
    assert "Right lung involvement 30%, left lung 22.5%." in en
    assert en.endswith("Recommendations: Follow-up CT.")
    assert p.render({"grade": "CT-0"}, "en") == "Grade: CT-0 (normal, no signs of viral pneumonia)."


def test_the_readers_description_comes_before_the_conclusion() -> None:
    """Seen in the app: the AI's focus paragraph (and anything the reader wrote in the
    additional text) came after "Conclusion:" and the recommendations."""
    p = load_protocol(COVID)
    said = "A solid 20 mm focus in the left lower lobe."
    en = p.render(FULL, "en", said)
    assert en.index("Right lung involvement 30%") < en.index(said) < en.index("Conclusion:")
    assert en.endswith("Recommendations: Follow-up CT.")
    assert f"\n\n{said}\n" in en  # a paragraph of its own
    no_conclusion = {k: v for k, v in FULL.items() if k not in ("conclusion", "recommendations")}
    assert p.render(no_conclusion, "en", said).endswith(f".\n\n{said}")
    assert p.render({}, "ru", said) == said
    assert p.render(FULL, "en", "  ") == p.render(FULL, "en")


@pytest.mark.parametrize(("fields", "message"), [
    ({"grade": "CT-5"}, "not one of"),
    ({"grade": "CT-1", "involvement_left_percent": 120}, "outside"),
    ({"grade": "CT-1", "main_signs": ["halo"]}, "unknown option"),
    ({"grade": "CT-1", "colour": "red"}, "no field"),
])
def test_bad_fields_are_clear_errors(fields: dict, message: str) -> None:
    with pytest.raises(ProtocolError, match=message):
        load_protocol(COVID).render(fields, "en")


def test_a_partly_filled_form_renders_but_does_not_validate_for_signing() -> None:
    p = load_protocol(COVID)
    assert p.render({"main_signs": ["consolidation"]}, "en") == "Findings: consolidation."
    with pytest.raises(ProtocolError, match="required"):
        p.validate({"main_signs": ["consolidation"]})
    assert p.validate({"main_signs": ["consolidation"]}, complete=False)


def test_a_new_protocol_is_only_a_data_file(tmp_path: Path) -> None:
    (tmp_path / "knee-mri.yaml").write_text("""
id: knee-mri
title: {ru: "МРТ колена", en: "Knee MRI"}
fields:
  - key: effusion
    type: bool
    label: {ru: "Выпот", en: "Effusion"}
    sentence: {ru: "Выпот в суставе", en: "Joint effusion"}
""", encoding="utf-8")
    p = load_protocol("knee-mri", tmp_path)
    assert p.render({"effusion": True}, "en") == "Joint effusion."
    assert p.render({"effusion": False}, "ru") == ""
    with pytest.raises(ProtocolError, match="no protocol"):
        load_protocol("absent", tmp_path)
    (tmp_path / "broken.yaml").write_text("id: x\nfields: [{key: a}]\n", encoding="utf-8")
    with pytest.raises(ProtocolError, match="malformed"):
        load_protocol_file(tmp_path / "broken.yaml")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_grade_labels_state_the_ranges_the_grading_uses(lang: str) -> None:
    """Each CT grade's label states the involvement range that grades to it, boundaries
    included as the grading includes them (CT-1 said "< 25%" while 25.0% grades CT-1, CT-4
    "> 75%" while 75.0% grades CT-4); and no two grades share a name (CT-2 and CT-3 were
    both «среднетяжёлая» in Russian)."""
    import re

    from inference.grading import grade_of

    options = {f.key: f for f in load_protocol("moscow-chest-ct-covid").fields}["grade"].options
    labels = {grade: names[lang] for grade, names in options.items()}
    words = [re.sub(r"[,\s]*(поражение\s*)?[\d≤≥<>–\-%\s]+(involvement)?\)$", ")",
                    label.split(" ", 1)[1]) for label in labels.values()]  # no "CT-n"
    assert len(set(words)) == len(words), f"two grades named alike: {words}"

    def holds(label: str, pct: float) -> bool:
        if m := re.search(r"([≤<≥>])\s*(\d+)\s*%", label):
            sign, bound = m.group(1), float(m.group(2))
            return {"≤": pct <= bound, "<": pct < bound, "≥": pct >= bound,
                    ">": pct > bound}[sign]
        low, high = map(float, re.search(r"(\d+)\s*[–-]\s*(\d+)\s*%", label).groups())
        # "25-50%" after "≤ 25%": the shared boundary belongs to the grade that claims it
        return low <= pct <= high
    for pct in (0.5, 10.0, 25.0, 25.1, 37.0, 50.0, 50.1, 74.9, 75.0, 90.0):
        grade = grade_of(pct)
        assert holds(labels[grade], pct), f"{pct}% grades {grade}: '{labels[grade]}'"
        claiming = [g for g, text in labels.items() if g != "CT-0" and holds(text, pct)]
        assert grade in claiming
