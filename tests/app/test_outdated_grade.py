"""A worklist grade computed by an older AI model version is not shown as current: it is
greyed behind a symbol, its tooltip names both versions (in the interface's language), and
the background pre-read queues the study again after the ungraded ones."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt

from app.panels import terms
from app.panels.ai_files import current_model_version
from app.panels.worklist_panel import WorklistPanel, WorklistRow
from records import open_store
from tests.app.windows import station

OLD = "0.9+post1"


class _Cache:
    """Every study is prefetched (the background queue reads only those)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def has_study(self, _uid: str) -> bool:
        return True

    def lacks_volume_entry(self, _uid: str) -> bool:
        return False  # plain: no warm-up queued

    def study_dir(self, uid: str) -> Path:
        return self.root / uid

    def study_state(self, _uid: str):
        return SimpleNamespace(partial=False)


def _cell(panel: WorklistPanel, uid: str):
    for r in range(panel.table.rowCount()):
        if panel.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == uid:
            return panel.table.item(r, 4)
    raise AssertionError("the study is not in the worklist")


def test_an_outdated_grade_is_marked_and_queued_after_the_ungraded(qtbot, luch_home, tmp_path):
    current = current_model_version()
    assert current and current != OLD
    store = open_store()
    for uid in ("2.25.81", "2.25.82", "2.25.83"):
        store.upsert_study(uid, study_date="20240101", modalities="CT")
    store.save_ai_result("2.25.81", model_name="unet", model_version=OLD,
                         values={"grade": "CT-1"}, sync=False)
    store.save_ai_result("2.25.83", model_name="unet", model_version=current,
                         values={"grade": "CT-2"}, sync=False)
    _window, workflow = station(qtbot, "dr.old")
    flow = workflow.worklist_flow
    queued: list[list[str]] = []
    flow.background.set_queue = lambda studies, warm=(): queued.append([u for u, _p in studies])
    flow.cache = _Cache(tmp_path)
    try:
        qtbot.waitUntil(lambda: flow.model_version == current, timeout=60_000)
        flow.refresh()
        cell = _cell(workflow.worklist, "2.25.81")
        assert cell.text() == terms.outdated_grade("CT-1") != terms.grade("CT-1")
        assert cell.foreground().color() == Qt.GlobalColor.darkGray
        assert OLD in cell.toolTip() and current in cell.toolTip()
        assert _cell(workflow.worklist, "2.25.83").text() == "CT-2"  # current: as it was
        # The ungraded study first, the outdated one after it; the current one not at all.
        assert queued[-1] == ["2.25.82", "2.25.81"]
        # The outdated CT-1 sorts with the ungraded, before the current CT-2.
        shown = workflow.worklist.visible_study_uids()
        assert shown.index("2.25.81") < shown.index("2.25.83")
        # Read again by the current model: shown as current.
        store.save_ai_result("2.25.81", model_name="unet", model_version=current,
                             values={"grade": "CT-1"}, sync=False)
        flow.refresh()
        cell = _cell(workflow.worklist, "2.25.81")
        assert cell.text() == "CT-1" and not cell.toolTip()
        assert queued[-1] == ["2.25.82"]
    finally:
        workflow.stop()


def test_the_outdated_marker_is_russian_in_a_russian_interface(qtbot, qapp, monkeypatch):
    from app.shell.i18n import install_translator, remove_translators

    monkeypatch.setenv("LUCH_LANG", "ru")
    install_translator(qapp)
    try:
        panel = WorklistPanel()
        qtbot.addWidget(panel)
        panel.set_rows([WorklistRow("1", "routine", "A", "20260101", "CT", "CT-1", "unread",
                                    preread="pending", outdated=(OLD, "2.0+post9"))])
        item = panel.table.item(0, 4)
        assert item.text() == "\u21bb КТ-1"
        tip = item.toolTip()
        assert OLD in tip and "2.0+post9" in tip
        assert "model" not in tip and "модел" in tip
    finally:
        remove_translators(qapp)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_an_outdated_long_grade_reads_whole(qtbot, qapp, monkeypatch, lang):
    """Seen in the app: an outdated "not assessable" was elided ("↻ не о…вается"): the
    column fits the marker and the longest grade, to be read again or being read."""
    from app.shell.i18n import install_translator, remove_translators

    monkeypatch.setenv("LUCH_LANG", lang)
    assert install_translator(qapp) == lang
    try:
        panel = WorklistPanel()
        qtbot.addWidget(panel)
        panel.resize(300, 400)  # as narrow as it goes: the patient's name gives way
        panel.show()
        panel.set_rows([WorklistRow(str(n), "routine", "A", "20260101", "CT", "not-assessable",
                                    "unread", preread=state, outdated=(OLD, "2.0+post9"))
                        for n, state in enumerate(("", "pending", "running"))])
        margin = panel.table.style().pixelMetric(
            panel.table.style().PixelMetric.PM_FocusFrameHMargin) + 1  # the item's text margin
        room = panel.table.columnWidth(4) - 2 * margin
        metrics = panel.table.fontMetrics()
        for row in range(3):
            text = panel.table.item(row, 4).text()
            assert terms.grade("not-assessable") in text and text[0] in "\u21bb\u25d4"
            assert metrics.horizontalAdvance(text) <= room, f"{text!r} elided"
            assert metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, room) == text
    finally:
        remove_translators(qapp)


def test_the_model_version_is_read_again_only_when_the_registry_changes(qtbot, luch_home,
                                                                          monkeypatch):
    """A refresh with the registry's files as they were starts no version read; activating
    a site version (or rolling back) makes the next refresh read the new version."""
    import app.reading.worklist as worklist
    from inference.registry import ModelRegistry
    from tests.inference.test_registry import _candidate

    reads: list[str | None] = []

    def counted() -> str | None:
        reads.append(current_model_version())
        return reads[-1]

    monkeypatch.setattr(worklist, "current_model_version", counted)
    _window, workflow = station(qtbot, "dr.cache")
    flow = workflow.worklist_flow
    try:
        shipped = current_model_version()
        qtbot.waitUntil(lambda: flow.model_version == shipped, timeout=60_000)
        n = len(reads)
        for _ in range(3):
            flow.refresh()
        assert flow._version_task is None and len(reads) == n  # cached: no read started
        registry = ModelRegistry()
        site = _candidate(registry, True)
        registry.activate(site.version)
        flow.refresh()
        qtbot.waitUntil(lambda: flow.model_version == current_model_version() != shipped,
                        timeout=60_000)
        assert site.version in flow.model_version and len(reads) > n
        registry.rollback()
        flow.refresh()
        qtbot.waitUntil(lambda: flow.model_version == shipped, timeout=60_000)
        n = len(reads)
        flow.refresh()
        assert flow._version_task is None and len(reads) == n
    finally:
        workflow.stop()
