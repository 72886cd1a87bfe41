"""The study being read: what happens when one opens (audit, worklist, draft, AI), and the
patient's prior study offered for comparison."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from sqlalchemy import select

from app.panels.ai_panel import AiPanel
from app.panels.report_panel import ReportPanel
from app.reading.ai_prefill import labels_volume, same_grid
from app.reading.study_uid import study_uid_of
from app.shell.main_window import MainWindow
from core.names import dicom_date
from records import Store
from records.models import Study
from studies import Volume
from viewer.hanging import is_chest


class StudyFlow(QObject):
    """Follows the window's study: ``study_uid`` is the one being read (None before any).

    It does not know the worklist: the workflow that owns both passes ``add_local_study``
    (put a study on disk into the worklist) and ``select_study`` (show it selected)."""

    def __init__(self, window: MainWindow, store: Store, reader: str, ai: AiPanel,
                 report: ReportPanel, add_local_study: Callable[[Path, Volume], object],
                 select_study: Callable[[str], None],
                 fetch_prior: Callable[[str], object] | None = None) -> None:
        super().__init__(window)
        self.window, self.store, self.reader = window, store, reader
        self.ai, self.report = ai, report
        self.add_local_study, self.select_study = add_local_study, select_study
        self.fetch_prior = fetch_prior  # an archived prior: fetched, then compared
        self.prior_uid: str | None = None  # the offered prior is in the archive only
        self.study_uid: str | None = None
        self.prior_path: Path | None = None
        self._arriving: str | None = None  # the study shown while it arrives, not yet whole

    def arriving(self, volume: Volume) -> None:
        """The window shows ``volume`` before it is whole (progressive open): from its first
        image the report and the AI panel are this study's, not the last one's (dictation
        must not go into the previous patient's report). A pre-read stored before (made in
        the background or imported from the archive) is shown at once, its overlay over the
        slices already here; the model waits for every image."""
        path = self.window.current_path
        uid = study_uid_of(volume, path) if path else None
        if uid is None or uid == self.study_uid:
            return
        self.study_uid = self._arriving = uid
        self.prior_path = self.prior_uid = None
        self.select_study(uid)
        # Its images are on screen from now on, even if the reader stops the fetch: audited.
        self.store.audit(self.reader, "opened", uid)
        self._begin_report(uid, volume)
        self.ai.open_study(volume, uid, source=path, run=False, arriving=True)

    def opened(self, volume: Volume) -> None:
        """The window shows ``volume``: record it, select it, restore its draft, run the AI."""
        path = self.window.current_path
        uid = study_uid_of(volume, path) if path else None
        arrived = uid is not None and uid == self._arriving  # its report is open already
        self._arriving = None
        if uid is not None and uid == self.study_uid and self.ai.result is not None \
                and not arrived:
            # The same study again: the form stays. The AI result belongs to the series it
            # read: its labels are drawn on that series only (e.g. reopened with its prior).
            if same_grid(self.ai.volume, volume):
                if self.ai.assessable:  # hidden as before if rejected (the state is new)
                    self.window.state.set_overlay(shown=not self.ai.overlay_hidden)
                    self.window.show_labels(labels_volume(self.ai.result.labels, volume))
            elif not self.ai.assessable and self.window.settings.get("ai.autorun", True):
                self.ai.run(volume, self.study_uid, source=path,  # maybe this one can be read
                            asked=False)
            else:
                self.window.statusBar().showMessage(self.tr(
                    "The AI result is of another series of this study: its labels are drawn "
                    "on that series"), 10000)
            return
        self.study_uid = uid
        if self.study_uid is None:
            return
        study = self.store.study(self.study_uid)
        if study is None or not study.local_path or (
                volume.info.study_is_local and not study.uid_derived):  # a row of an older version
            self.add_local_study(path, volume)
        self.select_study(self.study_uid)
        self._offer_prior(self.study_uid)
        # Audited once the study is ready to read (its prior offered): from this row on,
        # Ctrl+P answers for this study.
        if not arrived:  # (a study shown while it arrived was audited then)
            self.store.audit(self.reader, "opened", self.study_uid)
        if not arrived:
            self._begin_report(self.study_uid, volume)
        # A stored pre-read is shown at once (no model run); else the model runs if set so.
        if arrived and self.ai.shows(volume):  # found while it arrived: shown already
            self.ai.arrived()
            return
        self.ai.open_study(volume, self.study_uid, source=path,
                           run=bool(self.window.settings.get("ai.autorun", True)))

    def _begin_report(self, uid: str, volume: Volume) -> None:
        """Open the study's report (saying so when its unsigned draft came back; a study
        that is not a chest CT said so in the panel)."""
        if self.report.begin(uid):
            self.window.statusBar().showMessage(self.tr("Unsigned draft restored"))
        self.report.set_chest(is_chest(volume.info) is not False)

    def _offer_prior(self, study_uid: str) -> None:
        """Find this patient's latest earlier study, on the station or else in the archive's
        worklist, and offer it for comparison."""
        self.prior_path = self.prior_uid = None
        with self.store.session() as s:
            current = s.scalar(select(Study).where(Study.study_instance_uid == study_uid))
            if current is None or current.patient_pk is None:
                return
            priors = s.scalars(select(Study).where(
                Study.patient_pk == current.patient_pk, Study.id != current.id,
                Study.study_date < (current.study_date or "9"))
                .order_by(Study.study_date.desc())).all()
            here = next((p for p in priors if p.local_path and Path(p.local_path).exists()),
                        None)
            archived = next((p for p in priors if not p.uid_derived), None) \
                if self.fetch_prior is not None else None
            if here is not None and (archived is None or here.study_date >= archived.study_date):
                self.prior_path, date = Path(here.local_path), here.study_date
            elif archived is not None:
                self.prior_uid, date = archived.study_instance_uid, archived.study_date
            else:
                return
        shown = dicom_date(date)
        self.window.statusBar().showMessage(
            self.tr("A prior study of this patient (%1) is here: Ctrl+P compares").replace(
                "%1", shown) if self.prior_path is not None else self.tr(
                "A prior study of this patient (%1) is in the archive: Ctrl+P fetches and "
                "compares").replace("%1", shown))

    def compare_prior(self) -> None:
        """Show the offered prior beside the study, or say why there is none."""
        bar = self.window.statusBar()
        if self.window.study is None:
            bar.showMessage(self.tr("Open a study first: the prior is the same patient's "
                                    "earlier study."), 8000)
        elif self.prior_path is not None:
            bar.clearMessage()  # the offer is taken: the loading and alignment show instead
            self.window.open_prior(self.prior_path)
        elif self.prior_uid is not None and self.fetch_prior is not None:
            bar.clearMessage()
            self.fetch_prior(self.prior_uid)
        else:
            bar.showMessage(self.tr("No earlier study of this patient is on this station "
                                    "or in the archive's worklist."), 8000)
