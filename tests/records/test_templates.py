"""Report templates: data files checked against the protocol, found by spoken name."""

from __future__ import annotations

import pytest

from records.errors import ProtocolError
from records.protocol import load_protocol
from records.templates import find_template, load_templates


@pytest.fixture
def protocol():
    return load_protocol("moscow-chest-ct-covid")


def test_shipped_templates_load_and_render_in_both_languages(protocol):
    templates = load_templates(protocol)
    assert [t.key for t in templates] == ["normal", "covid"]
    normal = templates[0].values("ru")
    assert normal["grade"] == "CT-0" and normal["conclusion"].startswith("КТ-признаков")
    assert "No CT signs" in protocol.render(templates[0].values("en"), "en")


def test_found_by_spoken_name_in_either_language_or_first_by_default(protocol):
    templates = load_templates(protocol)
    assert find_template(templates, "Normal  Chest").key == "normal"
    assert find_template(templates, "ковид").key == "covid"
    assert find_template(templates, None).key == "normal"
    assert find_template(templates, "fracture") is None


def test_a_template_with_a_bad_value_is_refused_at_load(protocol, tmp_path):
    (tmp_path / "moscow-chest-ct-covid.yaml").write_text(
        "templates:\n  bad:\n    fields:\n      grade: CT-9\n", encoding="utf-8")
    with pytest.raises(ProtocolError):
        load_templates(protocol, tmp_path)


def test_a_protocol_without_templates_has_none(protocol, tmp_path):
    assert load_templates(protocol, tmp_path) == []
