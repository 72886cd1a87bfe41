"""A study that is not a chest (the covid-slices' abdomen CTs) opens in a soft-tissue window,
and the AI says it reads chests only rather than leaving the reader waiting on it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.app import windows
from viewer.presets import load_presets

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_an_abdomen_ct_hangs_in_soft_tissue_and_the_ai_says_it_is_no_chest(qtbot, luch_home,
                                                                          shared_data):
    """Walkthrough: "CT ABD AND PELVIS" (no Body Part Examined) hung in the lung window, as
    the chest protocol has it, and the AI's pre-read ran only to say it could not assess the
    study. It opens in the soft-tissue window, the AI is not run by itself and says why, and
    run anyway (Run AI clicked) it says there are no lungs in view."""
    study = shared_data / "covid-slices" / "A058062" / "axial" / "19010108-078.dcm"
    window, workflow = windows.station(qtbot, "dr.smirnova")
    window.settings.set("ai.autorun", True)
    windows.open_demo(qtbot, window, study)
    soft = next(p for p in load_presets() if p.name == "soft-tissue")
    assert window.view.window() == (soft.center, soft.width)
    ai = workflow.ai
    qtbot.waitUntil(lambda: "Not a chest CT" in ai.details.text(), timeout=30_000)
    assert ai.result is None and ai.run_button.isEnabled()
    with qtbot.waitSignal(ai.result_ready, timeout=180_000):
        qtbot.mouseClick(ai.run_button, Qt.MouseButton.LeftButton)
    assert ai.result_json["grade"] == "not-assessable"
    assert "no lungs in view" in ai.details.text()


def test_a_screenshot_of_an_abdomen_ct_does_not_wait_for_an_ai_never_run(shared_data,
                                                                         tmp_path):
    """``luch open --screenshot`` waits for the AI when it runs by itself; on a study it does
    not run on (no chest) it waited for ever. It shoots once the panel says why."""
    from tests.app.test_cli_open import run_luch

    home = tmp_path / "home"
    home.mkdir()
    (home / "settings.json").write_text('{"ai.autorun": true}')
    png = tmp_path / "shot.png"
    study = shared_data / "covid-slices" / "A058062" / "axial" / "19010108-078.dcm"
    proc = run_luch("open", str(study), "--screenshot", str(png),
                    env={"LUCH_HOME": str(home)}, timeout=240)
    assert proc.returncode == 0, proc.stderr
    assert png.stat().st_size > 0


def test_the_report_says_the_chest_protocol_does_not_fit_and_signs_without_a_ct_grade(
        qtbot, luch_home, shared_data):
    """Walkthrough: the abdomen CT opened with the chest CT protocol (viral pneumonia) in the
    report panel, nothing saying it did not fit, and signing asked for a CT grade, which an
    abdomen study has none of: a reader had to make one up. The panel says the form does
    not apply and the report is signed with its conclusion alone; a chest opened next asks
    for its grade again."""
    from tests.app.signing import confirm_signing

    study = shared_data / "covid-slices" / "A058062" / "axial" / "19010108-078.dcm"
    window, workflow = windows.station(qtbot, "dr.smirnova")
    report = workflow.report
    windows.open_demo(qtbot, window, study)
    note = report.findChild(QLabel, "report-not-chest")
    assert note is not None and note.isVisible(), "nothing said the chest form does not fit"
    assert "Not a chest CT" in note.text()
    editor = report.form.editors["conclusion"]
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor, "Liver cyst.")
    confirm_signing(qtbot)
    qtbot.keyClick(editor, Qt.Key.Key_S, CTRL_SHIFT)
    assert report.locked, report.status.text()
    signed = workflow.store.report_versions(report.report_uid)[-1]
    assert "grade" not in signed.fields and "Liver cyst." in signed.text

    windows.open_demo(qtbot, window)  # the demo chest: the protocol is its own again
    assert not note.isVisible()
    editor = report.form.editors["conclusion"]
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor, "Normal chest.")
    qtbot.keyClick(editor, Qt.Key.Key_S, CTRL_SHIFT)
    assert not report.locked
    assert "CT grade" in report.status.text()  # "Fill in before signing: CT grade"
