"""The AI panel's unfolded details stay reachable when the report form below is tall: they
scroll inside the panel rather than lose their last lines and links at the bottom."""

from __future__ import annotations

from PySide6.QtCore import QPoint

from tests.app import windows

LINES = ["Involvement: right 12%, left 30%, total 21%",
         "Grade by the worse lung CT-2, by both lungs CT-1", "GGO 420 mL, consolidation 38 mL",
         "COVID-19 pattern: typical",
         "Quality: thick slices; a long quality note that wraps over two lines of the panel",
         "U-Net on CPU in 12.3 s",
         "Corrected by the reader: recomputed from the edited labels (the AI read CT-3)",
         "The result is kept, but its DICOM SEG and SR could not be written: disk full"]
LESIONS = [{"side": "right", "slices": f"{10 + n}-{40 + n}", "ml": 12.5, "at": (1, 2, n)}
           for n in range(8)]


def test_unfolded_ai_details_can_be_scrolled_to_their_end(qtbot, qapp, luch_home, monkeypatch,
                                                           tmp_path):
    """Seen at 1400x900 in Russian with a signed report (its notes make the form tall):
    unfolded, the details lost their last lines and the lesion links were cut."""
    from app.shell.i18n import install_translator, remove_translators

    monkeypatch.setenv("LUCH_LANG", "ru")
    install_translator(qapp)
    try:
        window, workflow = windows.station(qtbot, "dr.smirnova", size=(1400, 900))
        ai, report = workflow.ai, workflow.report
        report.setEnabled(True)
        report.locked_note.show()
        report.prefill_note.setText("Values from the AI pre-read, corrected by the reader; "
                                    "check them against the images before signing.")
        report.prefill_note.show()
        ai.details.setText("\n".join(LINES))
        ai._show_findings([], LESIONS)
        ai.more.setChecked(True)  # unfolded
        qtbot.wait(200)
        window.grab().save(str(tmp_path / "ai-details-1400x900.png"))
        for label in (ai.details, ai.findings):  # laid out whole, inside the scroll
            assert label.isVisible()
            assert label.height() >= label.heightForWidth(label.width())
        scroll = ai.details_scroll
        # the scroll's bottom stays above the buttons under it: nothing drawn over or cut
        bottom = scroll.mapTo(window, QPoint(0, scroll.height())).y()
        assert bottom <= ai.run_button.mapTo(window, QPoint(0, 0)).y()
        assert scroll.height() >= 3 * scroll.fontMetrics().lineSpacing()
        bar = scroll.verticalScrollBar()
        assert bar.maximum() > 0, "squeezed at this size: it scrolls"
        bar.setValue(bar.maximum())
        qtbot.wait(50)
        end = ai.findings.mapTo(scroll.viewport(), QPoint(0, ai.findings.height())).y()
        assert end <= scroll.viewport().height(), "the last link is reached by scrolling"
        assert report.scroll.height() > 100, "the form keeps room to be filled"
        ai.more.setChecked(False)  # folded: one line, no scroll bar
        qtbot.wait(100)
        assert scroll.verticalScrollBar().maximum() == 0
    finally:
        remove_translators(qapp)
